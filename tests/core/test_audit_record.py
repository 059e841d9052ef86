"""``core.audit.record``: one call writes the change record and, when asked, its events."""

import pytest
from django.db import transaction

from core.audit import history_of, record
from core.events import NewEvent, emit
from core.models import ChangeRecord, Event
from tests.factories import PlatformFactory


def event(event_type: str, subject_id: str, *, public: bool = True) -> NewEvent:
    return NewEvent(event_type, "resource", subject_id, {"n": subject_id}, public=public)


@pytest.mark.django_db(transaction=False)
def test_a_change_without_events_writes_its_change_record_only(curator):
    platform = PlatformFactory()
    with transaction.atomic():
        change = record(
            subject=platform,
            action="updated",
            actor=curator,
            before={"name": "甲", "slug": "a"},
            after={"name": "乙", "slug": "a"},
            reason="更名",
            version=3,
        )
    assert list(history_of(platform)) == [change]
    assert change.changes == {"name": {"before": "甲", "after": "乙"}}
    assert (change.actor, change.actor_name, change.reason, change.version) == (
        curator,
        curator.get_username(),
        "更名",
        3,
    )
    assert not Event.objects.exists()


@pytest.mark.django_db(transaction=False)
def test_its_events_are_written_after_the_record_in_order(curator):
    platform = PlatformFactory()
    with transaction.atomic():
        record(
            subject=platform,
            action="published",
            actor=None,
            before=None,
            after={"status": "published"},
            event=event("batch.published", "b1"),
            events=[event("entry.listed", "e1"), event("entry.listed", "e2")],
        )
    change = ChangeRecord.objects.get()
    assert change.actor_name == "system"
    rows = list(Event.objects.values_list("type", "subject_id", "data", "public"))
    assert rows == [
        ("batch.published", "b1", {"n": "b1"}, True),
        ("entry.listed", "e1", {"n": "e1"}, True),
        ("entry.listed", "e2", {"n": "e2"}, True),
    ]


@pytest.mark.django_db(transaction=False)
def test_a_run_of_one_type_is_one_query(django_assert_num_queries):
    with transaction.atomic(), django_assert_num_queries(1):
        emit(*(event("pilot.updated", f"p{n}") for n in range(5)))
    assert Event.objects.filter(matched_at__isnull=False).count() == 5  # not subscribable


@pytest.mark.django_db(transaction=False)
def test_only_public_subscribable_events_wait_for_matching():
    with transaction.atomic():
        emit(event("resource.updated", "r1"), event("resource.updated", "r2", public=False))
    assert list(
        Event.objects.filter(matched_at__isnull=True).values_list("subject_id", flat=True)
    ) == ["r1"]
