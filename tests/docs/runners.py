"""How an example is run, and what it must do to pass: one class per kind of example.

- ``Shell`` — a shell block or inline command, run by bash with real curl (``tests.docs.shell``):
  it must exit 0 and every curl must answer 2xx (or what ``statuses`` says); ``keys`` names keys
  an answer's JSON must have (what the prose promises, e.g. the signing ``secret``).
- ``Answer`` — a JSON block shown as the answer to ``request``: the real answer has its status,
  its shape and its stable values (``tests.docs.shapes``).
- ``WebhookRequest`` — an HTTP block showing the request a webhook receiver gets: a real delivery
  (``tests.docs.webhook``) has its method, headers (their values' forms) and body shape.
- ``Python`` — a Python block, executed; ``check`` calls what it defines with real inputs.
- ``Skip`` — not run, with the reason (a diagram, or a command a test cannot run).
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.docs.markdown import Example
from tests.docs.server import RunningRegistry
from tests.docs.shapes import shape_differences
from tests.docs.shell import Outcome, run_shell
from tests.docs.webhook import DeliveredWebhook


@dataclass(frozen=True)
class Context:
    registry: RunningRegistry
    directory: Path  # the example's own temporary directory (its working directory)
    webhook: Callable[[], DeliveredWebhook]  # delivered once, on first use


@dataclass(frozen=True)
class Skip:
    reason: str


@dataclass(frozen=True)
class Shell:
    role: str | None = None  # whose token opr_… stands for: "curator", "publisher" or "sme"
    answers: tuple[tuple[str, str], ...] = ()  # (prompt pattern, what to type): on a terminal
    statuses: dict[int, int] = field(default_factory=dict)  # curl call (from 1) → its status
    keys: dict[int, frozenset[str]] = field(default_factory=dict)  # call → keys of its JSON
    webhook: bool = False  # $WEBHOOK_ID, $WEBHOOK_TIMESTAMP, $SECRET, body.json of a delivery
    check: Callable[[str, DeliveredWebhook], None] | None = None  # the output, with the webhook

    def run(self, example: Example, context: Context) -> None:
        env = {}
        webhook = context.webhook() if self.webhook else None
        if webhook is not None:
            (context.directory / "body.json").write_bytes(webhook.body)
            env = {
                "WEBHOOK_ID": webhook.headers["webhook-id"],
                "WEBHOOK_TIMESTAMP": webhook.headers["webhook-timestamp"],
                "SECRET": webhook.secret,
            }
        outcome = run_shell(
            example.text,
            context.registry,
            context.directory,
            role=self.role,
            answers=self.answers,
            env=env,
        )
        failures = self.failures(example, outcome)
        assert not failures, "\n".join([*failures, outcome.describe()])
        if self.check is not None:
            assert webhook is not None, "a check is given the delivered webhook"
            self.check(outcome.output, webhook)

    def failures(self, example: Example, outcome: Outcome) -> list[str]:
        failures = []
        if outcome.returncode != 0:
            failures.append(f"{example.id} exits with status {outcome.returncode}")
        if "curl " in example.text and not outcome.calls:
            failures.append(f"{example.id} made no curl call")
        for number, call in enumerate(outcome.calls, start=1):
            expected = self.statuses.get(number)
            if expected is None and not 200 <= call.status < 300:
                failures.append(f"curl call {number} answered {call.status}, not 2xx")
            elif expected is not None and call.status != expected:
                failures.append(f"curl call {number} answered {call.status}, not {expected}")
        for number, keys in self.keys.items():
            calls = outcome.calls
            body = _json(calls[number - 1].body) if number <= len(calls) else None
            if not isinstance(body, dict) or not keys <= body.keys():
                failures.append(f"curl call {number}'s answer does not have {sorted(keys)}")
        return failures


@dataclass(frozen=True)
class Answer:
    request: str  # "GET /api/v1/resources/?regoin=440000"
    role: str | None = None

    def run(self, example: Example, context: Context) -> None:
        shown = json.loads(example.text)
        method, path = self.request.split(" ", 1)
        answer = context.registry.api(method, path, role=self.role)
        real = _json(answer.body)
        expected = shown.get("status") if isinstance(shown, dict) else None
        if expected is None:
            assert 200 <= answer.status < 300, f"{self.request}: {answer.status} {real}"
        else:
            assert answer.status == expected, f"{self.request}: {answer.status} {real}"
        if isinstance(shown, dict) and str(shown.get("type", "")).startswith("/api/problems/"):
            assert answer.headers["content-type"].startswith("application/problem+json")
        differences = shape_differences(shown, real)
        assert not differences, f"{self.request} answers {real}:\n" + "\n".join(differences)


# The forms of the webhook headers' values, which both the docs' and the real ones must have.
WEBHOOK_HEADER_FORMS = {
    "webhook-id": r"msg_\d+_\d+",
    "webhook-timestamp": r"\d{10}",
    "webhook-signature": r"v1,[A-Za-z0-9+/]{43}=( v1,[A-Za-z0-9+/]{43}=)*",
}
WEBHOOK_HEADERS_EQUAL = ("content-type", "user-agent")


@dataclass(frozen=True)
class WebhookRequest:
    def run(self, example: Example, context: Context) -> None:
        head, _, body = example.text.partition("\n\n")
        request_line, *header_lines = head.splitlines()
        method = request_line.split()[0]
        shown = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            shown[name.strip().lower()] = value.strip()
        webhook = context.webhook()
        assert webhook.method == method
        problems = [f"{name}: not sent" for name in shown if name not in webhook.headers]
        for name in WEBHOOK_HEADERS_EQUAL:
            if shown.get(name) != webhook.headers.get(name):
                sent = webhook.headers.get(name)
                problems.append(f"{name}: the docs show {shown.get(name)!r}, sent is {sent!r}")
        for name, form in WEBHOOK_HEADER_FORMS.items():
            for who, value in (
                ("the docs'", shown.get(name, "")),
                ("the real", webhook.headers[name]),
            ):
                if not re.fullmatch(form, value):
                    problems.append(f"{name}: {who} value {value!r} is not of the form {form}")
        problems += shape_differences(json.loads(body), json.loads(webhook.body))
        assert not problems, f"sent {webhook.headers}\n{webhook.body!r}\n" + "\n".join(problems)


@dataclass(frozen=True)
class Python:
    check: Callable[[Example, DeliveredWebhook], None]

    def run(self, example: Example, context: Context) -> None:
        self.check(example, context.webhook())


How = Skip | Shell | Answer | WebhookRequest | Python


def _json(body: bytes) -> object:
    try:
        return json.loads(body)
    except ValueError:
        return None
