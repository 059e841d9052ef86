"""Fairness between subscribers: a receiver that stalls holds up nobody else's webhooks.

Everything is real: two ``manage.py db_worker`` subprocesses (the concurrency the README states),
receivers on 127.0.0.1 and committed events. Subscription A's receiver takes 20 s to answer, longer
than the attempt's timeout (``WEBHOOK_TIMEOUT`` 5 s here), and A has several events waiting, each
published and matched on its own (so A has several delivery tasks queued); B's one event comes
after them. B's webhook must arrive within 2 s of the workers being ready to send it, while A's
receiver is still stalled.

The workers' database is set up as in ``test_worker_sigkill``; the matching is done here, before
the workers start, so that on SQLite the events are in the workers' copy.
"""

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from core.choices import EventType
from notifications.choices import DeliveryStatus
from notifications.matching import normalise_query
from notifications.services import subscription_create
from notifications.tasks import match_pending_events
from registry import services as registry_services
from tests.factories import PlatformFactory, UserFactory
from tests.notifications.test_worker_sigkill import WorkerDatabase, Workers, wait_until
from tests.openness.helpers import active_resource

pytestmark = [pytest.mark.slow]

WEBHOOK_TIMEOUT = 5  # seconds per attempt in the workers
STALL = 20  # seconds A's receiver takes to answer
A_EVENTS = 3
B_WITHIN = 2.0  # seconds
WORKERS = 2
START_WITHIN = 60


class TimedReceiver:
    """A receiver that notes when each request arrived; with ``stall`` it answers that late."""

    def __init__(self, stall: float = 0) -> None:
        self.server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
        self.stall = stall
        self.arrivals: list[float] = []
        self.released = threading.Event()
        self.server.expect_request("/hook", method="POST").respond_with_handler(self.handle)
        self.server.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/hook"

    def handle(self, request: Request) -> Response:
        self.arrivals.append(time.monotonic())
        if self.stall:
            self.released.wait(timeout=self.stall)
        return Response("received", status=200)

    def stop(self) -> None:
        self.released.set()
        self.server.clear()
        if self.server.is_running():
            self.server.stop()


@pytest.fixture
def receivers() -> Iterator[tuple[TimedReceiver, TimedReceiver]]:
    stalled, healthy = TimedReceiver(stall=STALL), TimedReceiver()
    try:
        yield stalled, healthy
    finally:
        stalled.stop()
        healthy.stop()


def _subscribe(owner, name: str, query: str, url: str):
    subscription, _secret = subscription_create(
        owner=owner,
        data={
            "name": name,
            "query": normalise_query(query),
            "event_types": [EventType.RESOURCE_ACTIVATED],
            "webhook_url": url,
        },
    )
    return subscription


@pytest.mark.django_db(transaction=True)
def test_a_stalled_receiver_does_not_delay_another_subscribers_webhook(
    receivers: tuple[TimedReceiver, TimedReceiver], tmp_path: Path, vocabularies: None
):
    stalled, healthy = receivers
    owner_a, owner_b = UserFactory(username="slow"), UserFactory(username="quick")
    _subscribe(owner_a, "A", "region=440000", stalled.url)
    subscription_b = _subscribe(owner_b, "B", "region=110000", healthy.url)
    platform = PlatformFactory(slug="platform-a")
    for _ in range(A_EVENTS):
        resource = active_resource(platform, status="draft", regions=["440000"])
        registry_services.resource_activate(actor=owner_a, resource_id=resource.pk)
        match_pending_events()  # one matching run, one delivery task, per event
    resource = active_resource(platform, status="draft", regions=["110000"])
    registry_services.resource_activate(actor=owner_b, resource_id=resource.pk)
    match_pending_events()

    database = WorkerDatabase(tmp_path)
    url = database.url
    if url.startswith("sqlite"):  # several worker processes write to one file
        url += "?transaction_mode=IMMEDIATE&timeout=30"
    workers = Workers(url, tmp_path / "workers.log")
    workers.env["WEBHOOK_TIMEOUT"] = str(WEBHOOK_TIMEOUT)
    try:
        for _ in range(WORKERS):
            workers.start()
        assert wait_until(
            lambda: workers.output().count("Starting worker") == WORKERS, timeout=START_WITHIN
        ), workers.output()
        ready = time.monotonic()
        assert wait_until(lambda: bool(stalled.arrivals), timeout=START_WITHIN), workers.output()
        since = max(ready, stalled.arrivals[0])  # the workers are up and A's receiver is stalled
        assert wait_until(lambda: bool(healthy.arrivals), timeout=3 * WEBHOOK_TIMEOUT), (
            f"B's webhook did not arrive in {3 * WEBHOOK_TIMEOUT} s:\n{workers.output()}"
        )
        took = healthy.arrivals[0] - since
        assert took <= B_WITHIN, f"B's webhook took {took:.1f} s:\n{workers.output()}"
        assert len(stalled.arrivals) == 1, "A's receiver has one attempt at a time"
        assert wait_until(
            lambda: any(
                d["webhook_id"].endswith(f"_{subscription_b.pk}")
                and d["status"] == DeliveryStatus.SUCCEEDED
                for d in database.deliveries()
            ),
            timeout=10,
        ), f"{database.deliveries()}\n{workers.output()}"
    finally:
        workers.kill_all()
    print(f"B's webhook arrived {took:.2f} s after A's receiver stalled")  # noqa: T201
