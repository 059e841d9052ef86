"""Webhook delivery to a real receiver: what it gets, and what happens when it does not answer 2xx.

The receiver is pytest-httpserver on 127.0.0.1 (allow-listed for these tests) and answers as each
test plans; the clock is fake (time-machine, stopped), so the retry schedule is followed by moving
the clock to each next attempt and running the tasks that are then due, as ``db_worker`` would.
Signatures are checked with the ``standardwebhooks`` package, an independent verifier.
"""

import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import translation
from pytest_httpserver import HTTPServer
from rest_framework.test import APIClient
from standardwebhooks.webhooks import Webhook
from werkzeug import Request, Response

from notifications import delivery as delivery_module
from notifications import services, tasks
from notifications.models import Delivery, Subscription
from notifications.webhooks import transport
from tests.factories import PlatformFactory
from tests.notifications.helpers import run_tasks, subscription_of
from tests.openness.helpers import active_resource, curator_user, published_batch

pytestmark = pytest.mark.django_db

START = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
SITE = "https://registry.example.cn"
# The schedule the issue promises: seconds after each failed attempt until the next one.
SCHEDULE = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600]


@dataclass
class Received:
    body: bytes
    headers: dict[str, str]  # lower-case names

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]


@dataclass
class Receiver:
    """The receiver at ``url``: answers the planned ``(status, headers, body)`` in order, then
    200; ``got`` is every request it received."""

    server: HTTPServer
    answers: list[tuple[int, dict[str, str], str]] = field(default_factory=list)
    got: list[Received] = field(default_factory=list)
    hold: threading.Event | None = None  # while set to an unset event, answering waits on it

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/hook"

    def plan(self, *answers: int | tuple[int, dict[str, str], str]) -> None:
        for answer in answers:
            self.answers.append(answer if isinstance(answer, tuple) else (answer, {}, ""))

    def handle(self, request: Request) -> Response:
        self.got.append(Received(request.get_data(), {k.lower(): v for k, v in request.headers}))
        if self.hold is not None:
            self.hold.wait(timeout=5)
        status, headers, body = self.answers.pop(0) if self.answers else (200, {}, "ok")
        return Response(body, status=status, headers=headers)


@pytest.fixture(autouse=True)
def webhook_settings(settings: Any) -> None:
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.SITE_URL = SITE


@pytest.fixture
def clock(time_machine: Any) -> Any:
    """The fake clock, stopped at START; ``clock.move_to(...)`` and ``clock.shift(...)``."""
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture
def receiver(httpserver: HTTPServer, clock: Any) -> Receiver:
    receiver = Receiver(httpserver)
    httpserver.expect_request("/hook", method="POST").respond_with_handler(receiver.handle)
    return receiver


@pytest.fixture
def owner(sme_user: Any) -> Any:
    return sme_user


def now() -> datetime:
    return datetime.now(UTC)


def pinged(subscription: Subscription) -> Delivery:
    """A delivery made now by the owner's ping, not yet attempted."""
    return services.subscription_ping(subscription_id=subscription.pk)


def fresh(delivery: Delivery) -> Delivery:
    delivery.refresh_from_db()
    return delivery


# What the receiver gets -------------------------------------------------------------------------


def test_the_receiver_gets_exactly_the_matching_event_signed_and_verifiable(receiver, owner):
    subscription, secret = subscription_of(
        owner,
        "type=compute&region=440000",
        event_types=["entry.listed"],
        webhook_url=receiver.url,
    )
    platform = PlatformFactory(slug="platform-a")
    matching = active_resource(platform)
    elsewhere = active_resource(platform, resource_type="data", regions=["110000"])
    published_batch(curator_user(), [matching, elsewhere])
    run_tasks()

    [got] = receiver.got
    payload = Webhook(secret).verify(got.body, got.headers)
    delivery = Delivery.objects.get()
    assert got.webhook_id == delivery.webhook_id
    assert got.headers["webhook-timestamp"] == str(int(START.timestamp()))
    assert got.headers["content-type"] == "application/json"
    assert set(payload) == {"id", "type", "occurred_at", "subject", "data", "delivery"}
    assert payload["id"] == delivery.event_id
    assert payload["type"] == "entry.listed"
    assert datetime.fromisoformat(payload["occurred_at"]) == START
    entry = matching.entries.get()
    entry_url = f"{SITE}/api/v1/entries/{entry.pk}/"
    assert payload["subject"] == {"type": "entry", "id": str(entry.pk), "url": entry_url}
    data = payload["data"]
    assert data["resource"] == str(matching.pk)
    assert data["url"] == entry_url
    assert data["resource_url"] == f"{SITE}/api/v1/resources/{matching.pk}/"
    assert "snapshot" not in data
    assert "attributes" not in data
    assert payload["delivery"] == {
        "webhook_id": str(delivery.webhook_id),
        "subscription": {
            "id": subscription.pk,
            "name": subscription.name,
            "url": f"{SITE}/api/v1/subscriptions/{subscription.pk}/",
        },
        "matched": delivery.matched,
    }
    assert fresh(delivery).status == "succeeded"

    # The pull feed shows the same item, the same keys and values (its URLs on the request's host).
    client = APIClient()
    client.force_login(owner)
    feed = client.get(f"/api/v1/subscriptions/{subscription.pk}/events/").json()["results"]
    as_fetched = json.loads(got.body.decode().replace(SITE, "http://testserver"))
    assert feed == [as_fetched]


def test_every_url_in_the_payload_is_absolute(receiver, owner):
    _, secret = subscription_of(owner, webhook_url=receiver.url)
    published_batch(curator_user(), [active_resource(PlatformFactory())])
    run_tasks()
    assert len(receiver.got) == 2  # batch.published and entry.listed

    def urls(value: Any, key: str = "") -> list[str]:
        if isinstance(value, dict):
            return [u for k, v in value.items() for u in urls(v, k)]
        return [value] if key.endswith("url") and value else []

    for got in receiver.got:
        found = urls(Webhook(secret).verify(got.body, got.headers))
        assert found
        assert all(url.startswith(f"{SITE}/api/v1/") for url in found), found


def test_500_500_200_is_three_attempts_with_one_webhook_id_then_delivered(receiver, owner, clock):
    subscription, secret = subscription_of(owner, webhook_url=receiver.url)
    delivery = pinged(subscription)
    receiver.plan(500, 500, 200)
    run_tasks()
    for _ in range(2):
        clock.move_to(fresh(delivery).next_attempt_at)
        run_tasks()
        Webhook(secret).verify(receiver.got[-1].body, receiver.got[-1].headers)  # signed afresh

    assert [got.webhook_id for got in receiver.got] == 3 * [delivery.webhook_id]
    delivery = fresh(delivery)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("succeeded", 3, 200)
    assert delivery.next_attempt_at is None
    subscription.refresh_from_db()
    assert (subscription.failing_since, subscription.last_success_at) == (None, now())


@pytest.fixture
def in_english():
    """The worker writes its reasons in the active language (by default the registry's, Chinese,
    once the catalogue is compiled): these tests read them in English."""
    with translation.override("en"):
        yield


def test_the_response_is_stored_cut_to_1_kb(receiver, owner, in_english):
    subscription, _ = subscription_of(owner, webhook_url=receiver.url)
    delivery = pinged(subscription)
    receiver.plan((500, {}, "错" * 3000))
    run_tasks()
    delivery = fresh(delivery)
    assert delivery.last_response.startswith("错")
    assert len(delivery.last_response.encode()) <= 1024
    assert delivery.last_error == "The receiver answered 500."


# The retry schedule -----------------------------------------------------------------------------


def test_failed_attempts_are_retried_on_schedule_then_the_delivery_is_dead(receiver, owner, clock):
    subscription, _ = subscription_of(owner, webhook_url=receiver.url)
    delivery = pinged(subscription)
    receiver.plan(*[500] * 9)
    run_tasks()

    for attempt, delay in enumerate(SCHEDULE, start=1):
        delivery = fresh(delivery)
        assert (delivery.status, delivery.attempts) == ("pending", attempt)
        waited = (delivery.next_attempt_at - delivery.last_attempt_at).total_seconds()
        assert 0.8 * delay <= waited <= 1.2 * delay, (attempt, waited)

        clock.move_to(delivery.next_attempt_at - timedelta(seconds=1))
        run_tasks()
        assert len(receiver.got) == attempt  # not yet

        clock.move_to(delivery.next_attempt_at)
        run_tasks()
        assert len(receiver.got) == attempt + 1

    delivery = fresh(delivery)
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("dead", 8, None)
    assert {got.webhook_id for got in receiver.got} == {delivery.webhook_id}
    timestamps = [int(got.headers["webhook-timestamp"]) for got in receiver.got]
    assert timestamps == sorted(set(timestamps))  # each attempt signed afresh

    clock.shift(timedelta(days=2))
    run_tasks()
    assert len(receiver.got) == 8
    subscription.refresh_from_db()
    assert subscription.active  # about 28 hours of failures: not yet five days


def test_retry_after_is_honoured(receiver, owner, clock):
    subscription, _ = subscription_of(owner, webhook_url=receiver.url)
    delivery = pinged(subscription)
    receiver.plan((503, {"Retry-After": "3600"}, ""))
    run_tasks()
    delivery = fresh(delivery)
    assert delivery.next_attempt_at - delivery.last_attempt_at == timedelta(seconds=3600)

    clock.move_to(START + timedelta(seconds=3599))
    run_tasks()
    assert len(receiver.got) == 1
    clock.move_to(START + timedelta(seconds=3600))
    run_tasks()
    assert len(receiver.got) == 2
    assert fresh(delivery).status == "succeeded"


def test_a_short_retry_after_does_not_bring_the_retry_forward(receiver, owner):
    subscription, _ = subscription_of(owner, webhook_url=receiver.url)
    delivery = pinged(subscription)
    receiver.plan((429, {"Retry-After": "1"}, ""))
    run_tasks()
    delivery = fresh(delivery)
    assert (delivery.next_attempt_at - now()).total_seconds() >= 0.8 * SCHEDULE[0]


# Answers that are not a success -----------------------------------------------------------------


def test_410_gone_kills_the_delivery_and_disables_the_subscription_with_a_reason(receiver, owner):
    subscription, _ = subscription_of(owner, webhook_url=receiver.url)
    first, second = pinged(subscription), pinged(subscription)
    receiver.plan(410)
    run_tasks()

    assert len(receiver.got) == 1  # the next delivery waits for a reactivation
    assert (fresh(first).status, fresh(first).next_attempt_at) == ("dead", None)
    assert fresh(second).status == "pending"
    client = APIClient()
    client.force_login(owner)
    body = client.get(f"/api/v1/subscriptions/{subscription.pk}/").json()
    assert body["active"] is False
    assert "410" in body["disabled_reason"]
    assert body["disabled_at"] is not None

    client.post(f"/api/v1/subscriptions/{subscription.pk}/reactivate/")
    run_tasks()
    assert [got.webhook_id for got in receiver.got] == [first.webhook_id, second.webhook_id]
    assert fresh(second).status == "succeeded"


def test_a_redirect_is_a_failure_and_is_not_followed(receiver, owner, httpserver):
    httpserver.expect_request("/elsewhere").respond_with_data("should not be asked")
    subscription, _ = subscription_of(owner, webhook_url=receiver.url)
    delivery = pinged(subscription)
    receiver.plan((302, {"Location": httpserver.url_for("/elsewhere")}, ""))
    run_tasks()

    assert [request.path for request, _ in httpserver.log] == ["/hook"]
    delivery = fresh(delivery)
    assert (delivery.status, delivery.last_status_code, delivery.attempts) == ("pending", 302, 1)
    assert delivery.next_attempt_at is not None


def test_a_receiver_slower_than_the_timeout_is_a_failure_retried_later(
    receiver, owner, clock, settings
):
    settings.WEBHOOK_TIMEOUT = 1
    subscription, _ = subscription_of(owner, webhook_url=receiver.url)
    delivery = pinged(subscription)
    receiver.hold = threading.Event()
    run_tasks()
    receiver.hold.set()  # the receiver answers, too late

    delivery = fresh(delivery)
    assert delivery.status == "pending"
    assert "timeout" in delivery.last_error
    assert delivery.last_status_code is None
    clock.move_to(delivery.next_attempt_at)
    run_tasks()
    delivery = fresh(delivery)
    assert (delivery.status, delivery.attempts) == ("succeeded", 2)
    assert {got.webhook_id for got in receiver.got} == {delivery.webhook_id}


def test_five_days_of_failures_disable_the_subscription_with_a_reason_its_owner_reads(
    receiver, owner, clock, in_english
):
    subscription, _ = subscription_of(owner, webhook_url=receiver.url)
    receiver.plan(*[500] * 100)
    for day in range(5):
        clock.move_to(START + timedelta(days=day))
        pinged(subscription)
        run_tasks()
        subscription.refresh_from_db()
        assert subscription.active, day
    clock.move_to(START + timedelta(days=5))
    pinged(subscription)
    run_tasks()

    client = APIClient()
    client.force_login(owner)
    body = client.get(f"/api/v1/subscriptions/{subscription.pk}/").json()
    assert body["active"] is False
    assert "five days" in body["disabled_reason"]
    assert "500" in body["disabled_reason"]
    sent = len(receiver.got)
    clock.shift(timedelta(days=1))
    run_tasks()
    assert len(receiver.got) == sent  # nothing more is attempted while disabled


def test_a_success_in_between_restarts_the_five_days(receiver, owner, clock):
    subscription, _ = subscription_of(owner, webhook_url=receiver.url)
    receiver.plan(500)
    pinged(subscription)
    run_tasks()
    clock.move_to(START + timedelta(days=3))
    run_tasks()  # the retry succeeds
    receiver.plan(*[500] * 10)
    clock.move_to(START + timedelta(days=5, hours=1))
    pinged(subscription)
    run_tasks()
    subscription.refresh_from_db()
    assert subscription.active
    assert subscription.failing_since == START + timedelta(days=5, hours=1)


# At least once ----------------------------------------------------------------------------------


class WorkerKilled(BaseException):
    """The worker dying mid-delivery: after the request went out, before its outcome was saved."""


def test_a_delivery_whose_worker_died_mid_attempt_is_sent_again_with_the_same_webhook_id(
    receiver, owner, clock, monkeypatch
):
    subscription, _ = subscription_of(owner, webhook_url=receiver.url)
    delivery = pinged(subscription)

    def post_then_die(*args: Any, **kwargs: Any) -> Any:
        transport.post(*args, **kwargs)
        raise WorkerKilled

    monkeypatch.setattr(delivery_module, "post", post_then_die)
    with pytest.raises(WorkerKilled):
        run_tasks()
    monkeypatch.undo()
    delivery = fresh(delivery)
    assert (delivery.status, delivery.attempts) == ("sending", 1)
    assert len(receiver.got) == 1

    run_tasks()  # its lease has not ended: it might still be on its way
    assert len(receiver.got) == 1
    clock.move_to(delivery.lease_until)
    run_tasks()
    assert [got.webhook_id for got in receiver.got] == 2 * [delivery.webhook_id]
    delivery = fresh(delivery)
    assert (delivery.status, delivery.attempts, delivery.lease_until) == ("succeeded", 2, None)


def test_a_delivery_left_sending_past_its_lease_is_sent_by_the_next_task_run(receiver, owner):
    subscription, _ = subscription_of(owner, webhook_url=receiver.url)
    delivery = pinged(subscription)
    Delivery.objects.filter(pk=delivery.pk).update(
        status="sending", attempts=1, lease_until=now() - timedelta(seconds=1)
    )
    tasks.deliver.enqueue(subscription.pk)  # any later task for the subscription
    run_tasks()
    assert [got.webhook_id for got in receiver.got] == [delivery.webhook_id]
    assert fresh(delivery).status == "succeeded"


def test_a_delivery_still_within_its_lease_is_not_sent_twice(receiver, owner):
    subscription, _ = subscription_of(owner, webhook_url=receiver.url)
    delivery = pinged(subscription)
    Delivery.objects.filter(pk=delivery.pk).update(
        status="sending", attempts=1, lease_until=now() + timedelta(seconds=10)
    )
    run_tasks()
    assert receiver.got == []
    assert fresh(delivery).status == "sending"


# The address, checked again before every attempt --------------------------------------------------


def test_a_url_that_now_resolves_to_a_private_address_fails_without_a_connection(
    owner, monkeypatch, clock
):
    answers = {"hooks.example.com": ["93.184.216.34"]}
    monkeypatch.setattr(
        "notifications.webhooks.addresses.resolve", lambda host, port: answers.get(host, [])
    )
    dialled: list[str] = []

    def dial(address: str, port: int, timeout: float) -> Any:
        dialled.append(address)
        raise ConnectionRefusedError("no connection in this test")

    monkeypatch.setattr(transport, "_dial", dial)
    client = APIClient()
    client.force_login(owner)
    created = client.post(
        "/api/v1/subscriptions/",
        {"name": "外部接收", "webhook_url": "https://hooks.example.com/in"},
        format="json",
    )
    assert created.status_code == 201, created.content
    subscription = Subscription.objects.get()

    answers["hooks.example.com"] = ["10.0.0.7"]  # its DNS now points inside
    delivery = pinged(subscription)
    run_tasks()
    assert dialled == []
    delivery = fresh(delivery)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, None)
    assert "10.0.0.7" in delivery.last_error

    answers["hooks.example.com"] = ["93.184.216.34"]
    clock.move_to(delivery.next_attempt_at)
    run_tasks()
    assert dialled == ["93.184.216.34"]  # public again: dialled, and only that address
