"""What one subscription's webhooks may cost everyone else, and the edges of delivery: events from
before a subscription existed, a subscription deleted mid-attempt, tasks whose worker was killed,
and redeliveries asked for again and again.

The receivers are pytest-httpserver on 127.0.0.1; the background tasks run in the test's process
(``run_tasks``), or one by one where a test counts what one task run does.
"""

from datetime import timedelta
from typing import Any

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_httpserver import HTTPServer
from rest_framework.test import APIClient
from werkzeug import Request, Response

from notifications import delivery as delivery_module
from notifications import services, tasks
from notifications.models import Delivery, Subscription
from notifications.webhooks import transport
from registry import services as registry_services
from tests.factories import PlatformFactory
from tests.notifications.helpers import run_tasks, subscription_of
from tests.openness.helpers import active_resource

pytestmark = pytest.mark.django_db


class Receiver:
    """Answers each request with the next planned status (then 200); keeps the webhook ids."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.answers: list[int] = []
        self.ids: list[str] = []
        server.expect_request("/hook", method="POST").respond_with_handler(self.handle)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/hook"

    def handle(self, request: Request) -> Response:
        self.ids.append(request.headers.get("webhook-id", ""))
        return Response("ok", status=self.answers.pop(0) if self.answers else 200)


@pytest.fixture
def receiver(httpserver: HTTPServer, settings: Any) -> Receiver:
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    return Receiver(httpserver)


def activated(actor: Any) -> Any:
    resource = active_resource(PlatformFactory(), status="draft", regions=["440000"])
    return registry_services.resource_activate(actor=actor, resource_id=resource.pk)


def run_one_task(path: str = "notifications.tasks.deliver") -> Any:
    """Runs the first ready task with this path, as one worker's one turn would."""
    row = DBTaskResult.objects.ready().filter(task_path=path).first()
    assert row is not None, f"no {path} task is ready"
    row.claim("tests")
    value = row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
    row.set_successful(value)
    return value


def queued_deliveries(subscription: Subscription, count: int) -> list[Delivery]:
    return [services.subscription_ping(subscription_id=subscription.pk) for _ in range(count)]


# One receiver cannot hold up the others -----------------------------------------------------------


def test_a_failed_attempt_ends_the_task_and_its_retry_is_a_later_task(receiver, sme_user):
    subscription, _ = subscription_of(sme_user, webhook_url=receiver.url)
    first, second, third = queued_deliveries(subscription, 3)
    receiver.answers = [500, 500, 500]

    assert run_one_task() == 1
    assert len(receiver.ids) == 1  # the other two wait for a task of their own
    first.refresh_from_db()
    assert (first.status, first.attempts) == ("pending", 1)
    assert first.next_attempt_at > timezone.now()
    run_tasks()  # every task due now, one after another
    assert receiver.ids == [first.webhook_id, second.webhook_id, third.webhook_id]


def test_a_subscription_with_an_attempt_in_flight_is_not_sent_another(receiver, sme_user):
    subscription, _ = subscription_of(sme_user, webhook_url=receiver.url)
    sending, waiting = queued_deliveries(subscription, 2)
    Delivery.objects.filter(pk=sending.pk).update(
        status="sending", attempts=1, lease_until=timezone.now() + timedelta(seconds=30)
    )
    run_tasks()
    assert receiver.ids == []  # the receiver is busy with the first: one attempt at a time
    waiting.refresh_from_db()
    assert (waiting.status, waiting.attempts) == ("pending", 0)


def test_a_task_stops_after_its_time_budget_and_a_new_one_sends_the_rest(
    receiver, sme_user, settings
):
    settings.WEBHOOK_TASK_SECONDS = 0
    subscription, _ = subscription_of(sme_user, webhook_url=receiver.url)
    deliveries = queued_deliveries(subscription, 3)
    assert run_one_task() == 1
    run_tasks()
    assert receiver.ids == [d.webhook_id for d in deliveries]
    assert set(Delivery.objects.values_list("status", flat=True)) == {"succeeded"}


# A subscription hears only what happens after it exists -------------------------------------------


def test_a_new_subscription_does_not_receive_events_from_before_it_existed(receiver, sme_user):
    activated(sme_user)  # not matched yet when the subscription is made
    subscription, _ = subscription_of(sme_user, "region=440000", webhook_url=receiver.url)
    run_tasks()
    assert not Delivery.objects.filter(subscription=subscription).exists()
    assert receiver.ids == []

    later = activated(sme_user)
    run_tasks()
    [delivery] = Delivery.objects.filter(subscription=subscription)
    assert delivery.event.subject_id == str(later.pk)
    assert receiver.ids == [delivery.webhook_id]


# A subscription deleted while an attempt is on its way --------------------------------------------


def test_deleting_the_subscription_during_an_attempt_ends_the_task_quietly(
    receiver, sme_user, monkeypatch
):
    subscription, _ = subscription_of(sme_user, webhook_url=receiver.url)
    queued_deliveries(subscription, 2)

    def post_while_the_owner_deletes(*args: Any, **kwargs: Any) -> Any:
        reply = transport.post(*args, **kwargs)
        Subscription.objects.filter(pk=subscription.pk).delete()
        return reply

    monkeypatch.setattr(delivery_module, "post", post_while_the_owner_deletes)
    run_tasks()  # raises TaskFailed if a task fails
    assert len(receiver.ids) == 1
    assert not Delivery.objects.exists()
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).exists()


# Tasks whose worker was killed --------------------------------------------------------------------


def test_a_task_left_running_by_a_killed_worker_is_marked_failed_by_the_next_worker(
    receiver, sme_user, settings, monkeypatch
):
    settings.TASKS_STALE_AFTER = 60
    monkeypatch.setattr(tasks, "_last_sweep", None)
    subscription, _ = subscription_of(sme_user, webhook_url=receiver.url)
    lost = tasks.deliver.enqueue(subscription.pk)
    recent = tasks.deliver.enqueue(subscription.pk)
    DBTaskResult.objects.filter(pk__in=[lost.id, recent.id]).update(
        status=TaskResultStatus.RUNNING, worker_ids=["killed"]
    )
    DBTaskResult.objects.filter(pk=lost.id).update(
        started_at=timezone.now() - timedelta(seconds=61)
    )
    DBTaskResult.objects.filter(pk=recent.id).update(started_at=timezone.now())

    services.subscription_ping(subscription_id=subscription.pk)
    run_tasks()

    lost_row = DBTaskResult.objects.get(pk=lost.id)
    assert lost_row.status == TaskResultStatus.FAILED
    assert lost_row.exception_class_path == tasks.LOST
    assert lost_row.finished_at is not None
    assert DBTaskResult.objects.get(pk=recent.id).status == TaskResultStatus.RUNNING
    assert len(receiver.ids) == 1


# Redelivering -------------------------------------------------------------------------------------


@pytest.fixture
def redeliveries_limited(throttling: Any) -> None:
    throttling(redeliver="3/min")


def test_redeliveries_are_rate_limited_per_user(receiver, sme_user, redeliveries_limited):
    client = APIClient()
    client.force_login(sme_user)
    subscription, _ = subscription_of(sme_user, webhook_url=receiver.url)
    [delivery] = queued_deliveries(subscription, 1)
    run_tasks()
    url = f"/api/v1/deliveries/{delivery.pk}/redeliver/"
    statuses = []
    for _ in range(5):
        statuses.append(client.post(url).status_code)
        run_tasks()
    assert statuses == [202, 202, 202, 429, 429]
    assert len(receiver.ids) == 4  # the first delivery and three redeliveries
    assert client.get(f"/api/v1/deliveries/{delivery.pk}/").status_code == 200


def test_redelivering_a_delivery_already_queued_sends_it_once(receiver, sme_user):
    client = APIClient()
    client.force_login(sme_user)
    subscription, _ = subscription_of(sme_user, webhook_url=receiver.url)
    [delivery] = queued_deliveries(subscription, 1)
    url = f"/api/v1/deliveries/{delivery.pk}/redeliver/"
    statuses = [client.post(url).status_code for _ in range(5)]
    run_tasks()
    assert statuses == [202] * 5
    assert receiver.ids == [delivery.webhook_id]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("succeeded", 1)
