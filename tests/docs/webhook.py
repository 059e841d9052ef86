"""A webhook delivered for real, for the examples of ``docs/webhooks.md`` that show or verify one.

The SME subscribes to compute in Guangdong with a receiver on this machine (``pytest-httpserver``;
``make run``'s settings allow loopback); the curator lists a matching resource in a new batch
through the API (create, open, submit, approve, close, publish); a worker process (``manage.py
db_worker``) matches the ``entry.listed`` event and delivers it. The first request the receiver
gets, and the subscription's secret, are what the docs' request, Python and openssl examples are
checked with.
"""

import base64
import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from tests.docs.markdown import Example
from tests.docs.server import RunningRegistry
from tests.tools import DB_WORKER, start_manage_py

QUERY = "type=compute&region=440000"
DELIVERED_WITHIN = 60  # seconds, from the publication


@dataclass(frozen=True)
class DeliveredWebhook:
    secret: str
    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    body: bytes

    @property
    def signature(self) -> str:
        """The base64 HMAC of the (one) signature in ``webhook-signature``."""
        return self.headers["webhook-signature"].partition(",")[2]


def deliver_a_webhook(registry: RunningRegistry, log: Path) -> DeliveredWebhook:
    receiver = HTTPServer(host="127.0.0.1", port=0)
    receiver.expect_request("/registry", method="POST").respond_with_data("", status=204)
    receiver.start()
    worker = None
    try:
        subscription = registry.ok(
            "POST",
            "/api/v1/subscriptions/",
            role="sme",
            body={
                "name": "广东算力",
                "query": QUERY,
                "event_types": ["entry.listed"],
                "webhook_url": receiver.url_for("/registry"),
            },
        )
        _list_a_matching_resource(registry)
        worker = _start_worker(registry, log)
        deadline = time.monotonic() + DELIVERED_WITHIN
        while not receiver.log and time.monotonic() < deadline:
            time.sleep(0.2)
        assert receiver.log, "no webhook arrived:\n" + log.read_text(errors="replace")[-4000:]
        request, _response = receiver.log[0]
        return DeliveredWebhook(
            secret=subscription["secret"],
            method=request.method,
            path=request.path,
            headers={name.lower(): value for name, value in request.headers.items()},
            body=request.get_data(),
        )
    finally:
        if worker is not None:
            _stop(worker)
        receiver.clear()
        receiver.stop()


def _list_a_matching_resource(registry: RunningRegistry) -> None:
    """A new batch, published with one entry: an active resource the subscription matches."""
    found = registry.ok("GET", f"/api/v1/resources/?{QUERY}&page_size=1", role="curator")
    [resource] = found["results"]
    batch = registry.ok(
        "POST",
        "/api/v1/batches/",
        role="curator",
        body={"title": "文档示例清单", "title_en": "The docs' example list", "year": 2026},
    )
    number = batch["number"]
    registry.ok("POST", f"/api/v1/batches/{number}/open/", role="curator")
    entry = registry.ok(
        "POST",
        f"/api/v1/batches/{number}/entries/",
        role="curator",
        body={"resource": resource["id"]},
    )
    registry.ok("POST", f"/api/v1/entries/{entry['id']}/approve/", role="curator")
    registry.ok("POST", f"/api/v1/batches/{number}/close/", role="curator")
    registry.ok("POST", f"/api/v1/batches/{number}/publish/", role="curator")


def _start_worker(registry: RunningRegistry, log: Path) -> subprocess.Popen[bytes]:
    return start_manage_py(
        *DB_WORKER, env={**registry.env, "WEBHOOK_CONNECT_TIMEOUT": "1"}, log=log
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


# The checks of the examples that verify a signature ----------------------------------------------


def _run_python(example: Example, namespace: dict[str, Any]) -> dict[str, Any]:
    code = compile(example.text, example.id, "exec")  # tracebacks name the doc and its line
    exec(code, namespace)  # noqa: S102  (the docs' own example)
    return namespace


def verifies_with_the_reference_library(example: Example, webhook: DeliveredWebhook) -> None:
    """``receive(request)`` accepts the real delivery and refuses it with a byte changed."""
    from standardwebhooks.webhooks import WebhookVerificationError

    receive = _run_python(example, {"SECRET": webhook.secret})["receive"]
    receive(SimpleNamespace(body=webhook.body, headers=webhook.headers))
    with pytest.raises(WebhookVerificationError):
        receive(SimpleNamespace(body=webhook.body + b" ", headers=webhook.headers))


def verifies_by_hand(example: Example, webhook: DeliveredWebhook) -> None:
    """``authentic(…)`` is true of the real delivery, false with a byte changed or another key."""
    authentic = _run_python(example, {})["authentic"]
    assert authentic(webhook.secret, webhook.headers, webhook.body) is True
    assert authentic(webhook.secret, webhook.headers, webhook.body + b" ") is False
    other = "whsec_" + base64.b64encode(b"another key of 32 bytes, not it.").decode()
    assert authentic(other, webhook.headers, webhook.body) is False


def openssl_prints_the_signature(output: str, webhook: DeliveredWebhook) -> None:
    """The one-liner prints the base64 HMAC that ``webhook-signature`` carries after ``v1,``."""
    printed = [line for line in output.splitlines() if line.strip()]
    assert printed, "the one-liner printed nothing"
    assert printed[-1].strip() == webhook.signature, (
        f"it printed {printed[-1]!r}; webhook-signature is {webhook.headers['webhook-signature']!r}"
    )
