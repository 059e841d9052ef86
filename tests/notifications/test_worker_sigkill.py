"""At least once, across a SIGKILL: a worker killed in the middle of a webhook delivery does not
lose it. Another worker sends it again once the attempt's lease has run out, with the same
``webhook-id``, so the receiver can drop the duplicate.

Everything is real but the clock's pace: a ``manage.py db_worker`` subprocess, a receiver on
127.0.0.1 (allow-listed through the worker's environment) and a committed event. The receiver holds
the first request open, so the worker is mid-delivery when it is killed; ``WEBHOOK_TIMEOUT`` is 2 s,
so the lease (twice that) ends 4 s after the attempt began.

The worker needs the test's data in a database it can open. On PostgreSQL that is the test
database itself. The SQLite test database lives in this process's memory, so there it is copied to
a file for the workers (SQLite's backup API) and the outcome is read from that file.
"""

import contextlib
import os
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from core.choices import EventType
from notifications.choices import DeliveryStatus
from notifications.matching import normalise_query
from notifications.models.delivery import message_id
from notifications.services import subscription_create
from registry import services as registry_services
from tests.factories import PlatformFactory, UserFactory
from tests.openness.helpers import active_resource
from tests.tools import DB_WORKER, postgres_url, start_manage_py

pytestmark = [pytest.mark.slow]

WEBHOOK_TIMEOUT = 2  # seconds: the lease of an attempt is twice this
FIRST_REQUEST_WITHIN = 30  # worker start-up, matching, claiming
REDELIVERY_WITHIN = 30  # restart, the lease running out, the second attempt
RECEIVER_HOLDS_AT_MOST = 60  # the first request is held until released, never longer than this
# Read in plain SQL: on SQLite the deliveries are in the workers' copy, which the ORM does not see.
DELIVERIES_SQL = (
    "SELECT event_id, subscription_id, status, attempts, last_status_code"
    " FROM openness_delivery ORDER BY id"
)


class Receiver:
    """A webhook receiver that holds the first request open until ``release`` and answers every
    later one 200 at once; it keeps every request's ``webhook-id`` and body."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.requests: list[tuple[str, bytes]] = []
        self.arrived = threading.Condition()
        self.released = threading.Event()
        server.expect_request("/hook", method="POST").respond_with_handler(self.handle)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/hook"

    def handle(self, request: Request) -> Response:
        with self.arrived:
            self.requests.append((request.headers.get("webhook-id", ""), request.get_data()))
            first = len(self.requests) == 1
            self.arrived.notify_all()
        if first:
            self.released.wait(timeout=RECEIVER_HOLDS_AT_MOST)
        return Response("received", status=200)

    def wait_for(self, count: int, timeout: float) -> bool:
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.requests) >= count, timeout=timeout)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    # Threaded, so the later requests are answered while the first one is still held.
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    receiver = Receiver(server)
    try:
        yield receiver
    finally:
        receiver.released.set()
        server.clear()
        if server.is_running():
            server.stop()


class WorkerDatabase:
    """The database the worker subprocesses use, and a way to read the deliveries from it."""

    def __init__(self, tmp_path: Path) -> None:
        self.sqlite_copy: Path | None = None
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            self.sqlite_copy = tmp_path / "worker.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(self.sqlite_copy) as target:
                connection.connection.backup(target)
            target.close()

    @property
    def url(self) -> str:
        if self.sqlite_copy is not None:
            return f"sqlite:///{self.sqlite_copy}"
        db = connection.settings_dict
        if connection.vendor == "sqlite":
            return f"sqlite:///{db['NAME']}"
        if connection.vendor != "postgresql":
            pytest.skip(f"no worker database for {connection.vendor}")
        return postgres_url(db["NAME"])

    def deliveries(self) -> list[dict[str, Any]]:
        if self.sqlite_copy is not None:
            with sqlite3.connect(self.sqlite_copy, timeout=10) as reader:
                rows = reader.execute(DELIVERIES_SQL).fetchall()
            reader.close()
        else:
            with connection.cursor() as cursor:
                cursor.execute(DELIVERIES_SQL)
                rows = cursor.fetchall()
        names = ["status", "attempts", "last_status_code"]
        return [
            {
                "webhook_id": message_id(event_id, subscription_id),
                **dict(zip(names, rest, strict=True)),
            }
            for event_id, subscription_id, *rest in rows
        ]


class Workers:
    """``manage.py db_worker`` subprocesses, each in its own process group, all killed at the end;
    their output goes to a file that a failing test shows."""

    def __init__(self, database_url: str, log: Path) -> None:
        self.log = log
        self.processes: list[subprocess.Popen[bytes]] = []
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": database_url,
            "DB_CONN_MAX_AGE": "0",
            "SECRET_KEY": settings.SECRET_KEY,  # the signing secrets are encrypted with it
            "ENCRYPTION_KEYS": ",".join(settings.ENCRYPTION_KEYS),
            "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
            "WEBHOOK_TIMEOUT": str(WEBHOOK_TIMEOUT),
            "WEBHOOK_CONNECT_TIMEOUT": "1",
            "DEBUG": "0",
            "PYTHONUNBUFFERED": "1",
        }

    def start(self) -> subprocess.Popen[bytes]:
        process = start_manage_py(*DB_WORKER, "--verbosity", "2", env=self.env, log=self.log)
        self.processes.append(process)
        return process

    @staticmethod
    def kill(process: subprocess.Popen[bytes]) -> None:
        """SIGKILL to the worker's whole process group: no handler, no clean-up, no goodbye."""
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):  # it died just now by itself
                os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def kill_all(self) -> None:
        for process in self.processes:
            self.kill(process)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def wait_until(condition: Callable[[], bool], timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


@pytest.mark.django_db(transaction=True)
def test_a_delivery_interrupted_by_sigkill_is_sent_again_with_the_same_webhook_id(
    receiver: Receiver, tmp_path: Path, vocabularies: None
):
    owner = UserFactory(username="sme")
    subscription, _secret = subscription_create(
        owner=owner,
        data={
            "name": "算力 in Guangdong",
            "query": normalise_query("type=compute&region=440000"),
            "event_types": [EventType.RESOURCE_ACTIVATED],
            "webhook_url": receiver.url,
        },
    )
    resource = active_resource(
        PlatformFactory(slug="platform-a"), status="draft", regions=["440000"]
    )
    # The event and its matching task are committed together; the workers do the rest.
    registry_services.resource_activate(actor=owner, resource_id=resource.pk)

    database = WorkerDatabase(tmp_path)
    workers = Workers(database.url, tmp_path / "workers.log")
    try:
        first = workers.start()
        assert receiver.wait_for(1, timeout=FIRST_REQUEST_WITHIN), (
            "the first worker never delivered:\n" + workers.output()
        )
        workers.kill(first)  # mid-delivery: the receiver is still holding the request
        assert first.returncode == -signal.SIGKILL

        # The attempt never got an outcome: the delivery is still being sent, its lease running.
        [interrupted] = database.deliveries()
        assert interrupted["status"] == DeliveryStatus.SENDING
        assert interrupted["attempts"] == 1

        workers.start()
        assert receiver.wait_for(2, timeout=REDELIVERY_WITHIN), (
            "the delivery was not sent again after the restart:\n" + workers.output()
        )
        assert wait_until(
            lambda: database.deliveries()[0]["status"] == DeliveryStatus.SUCCEEDED,
            timeout=10,
        ), f"{database.deliveries()}\n{workers.output()}"
    finally:
        receiver.released.set()
        workers.kill_all()

    [delivery] = database.deliveries()
    assert delivery["attempts"] == 2
    assert delivery["last_status_code"] == 200
    ids = [webhook_id for webhook_id, _body in receiver.requests]
    assert len(ids) == 2
    assert set(ids) == {delivery["webhook_id"]}
    assert delivery["webhook_id"].endswith(f"_{subscription.pk}")
    bodies = {body for _id, body in receiver.requests}
    assert len(bodies) == 1, "both attempts carry the same event"
