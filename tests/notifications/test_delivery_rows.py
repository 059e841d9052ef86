"""Writing a matching run's deliveries (``notifications.delivery_rows``): on PostgreSQL by ``COPY``,
elsewhere by ``bulk_create``; either way every row reads back as written, and a delivery that
exists already is kept, not doubled."""

from typing import Any

import pytest
from django.utils import timezone

from core.choices import EventType
from core.models import Event
from notifications import delivery_rows
from notifications.choices import DeliveryStatus
from notifications.matching import Match
from notifications.models import Delivery
from tests.factories import UserFactory
from tests.notifications.helpers import subscription_of

AWKWARD = {
    "event_type": "entry.listed",
    "query": 'q=C:\\path\\to\tGPU\n算力 "quoted"',
    "resources": ["a\\b"],
    "count": 1,
}


def events(count: int) -> list[Event]:
    now = timezone.now()
    return [
        Event.objects.create(
            type=EventType.ENTRY_LISTED,
            occurred_at=now,
            subject_type="entry",
            subject_id=str(n),
            public=True,
            matched_at=now,
            data={},
        )
        for n in range(count)
    ]


@pytest.fixture
def two_subscriptions(db: Any) -> tuple[Any, Any]:
    owner = UserFactory()
    webhook, _ = subscription_of(owner, "type=compute", webhook_url="https://hooks.example.com/a")
    pull, _ = subscription_of(owner, "type=compute")
    return webhook, pull


def test_deliveries_read_back_as_written_whatever_their_reason_holds(two_subscriptions):
    webhook, pull = two_subscriptions
    first, second = events(2)
    delivery_rows.insert(
        [
            Match(webhook.pk, first.pk, True, AWKWARD),
            Match(pull.pk, first.pk, False, AWKWARD),
            Match(webhook.pk, second.pk, True, {"count": 2, "resources": ["x", "y"]}),
        ]
    )

    rows = {(d.subscription_id, d.event_id): d for d in Delivery.objects.order_by("event_id", "id")}
    assert len(rows) == 3
    sent = rows[(webhook.pk, first.pk)]
    assert sent.matched == AWKWARD
    assert sent.status == DeliveryStatus.PENDING
    assert sent.next_attempt_at is not None
    assert sent.attempts == 0
    assert sent.webhook_id == f"msg_{first.pk}_{webhook.pk}"
    pulled = rows[(pull.pk, first.pk)]
    assert pulled.matched == AWKWARD
    assert pulled.status == DeliveryStatus.PULL
    assert pulled.next_attempt_at is None
    assert rows[(webhook.pk, second.pk)].matched == {"count": 2, "resources": ["x", "y"]}


def test_a_delivery_that_exists_already_is_kept_and_only_the_others_are_added(
    two_subscriptions,
):
    webhook, pull = two_subscriptions
    first, second = events(2)
    delivery_rows.insert([Match(webhook.pk, first.pk, True, {"count": 1})])
    Delivery.objects.update(status=DeliveryStatus.SUCCEEDED, attempts=1)

    delivery_rows.insert(
        [
            Match(webhook.pk, first.pk, True, {"count": 99}),
            Match(webhook.pk, second.pk, True, {"count": 1}),
            Match(pull.pk, first.pk, False, {"count": 1}),
        ]
    )

    kept = Delivery.objects.get(subscription=webhook, event=first)
    assert (kept.status, kept.attempts, kept.matched) == (DeliveryStatus.SUCCEEDED, 1, {"count": 1})
    assert sorted(Delivery.objects.values_list("subscription_id", "event_id")) == sorted(
        [(webhook.pk, first.pk), (webhook.pk, second.pk), (pull.pk, first.pk)]
    )


def test_nothing_to_write_runs_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        delivery_rows.insert([])
