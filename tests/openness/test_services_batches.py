"""The openness lists' workflow straight through the services: the whole transition tables,
submission, publication (atomic, numbered, frozen) and withdrawal, whatever calls them."""

from collections import Counter
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict

import core.events
from core.audit import history_of
from core.choices import EventType
from core.errors import DomainError
from core.models import ChangeRecord, Event
from openness import services
from openness.choices import BatchStatus, EntryStatus
from openness.models import Batch, Entry
from registry import services as registry_services
from registry.models import Resource
from registry.snapshots import resource_snapshot
from tests.factories import PlatformFactory, ResourceFactory
from tests.openness.helpers import (
    active_resource,
    batch_in,
    curator_user,
    open_batch,
    published_batch,
    publisher_of,
    raw_entry_in,
    submit,
)

pytestmark = pytest.mark.django_db

BATCH_STATUSES = list(BatchStatus.values)
ENTRY_STATUSES = list(EntryStatus.values)
BATCH_ACTIONS = ["edit", "open", "close", "publish"]
ENTRY_ACTIONS = ["approve", "reject", "retract", "withdraw"]

# The tables as the design states them (written out here, not read from the services): for each
# (status, action) that is allowed, the status it leads to. Everything else is a 409.
EXPECTED_BATCH = {
    ("draft", "edit"): "draft",
    ("draft", "open"): "open",
    ("open", "edit"): "open",
    ("open", "close"): "review",
    ("review", "edit"): "review",
    ("review", "publish"): "published",
}
# (batch status, entry status, action) → the entry's new status (None: the entry is gone).
EXPECTED_ENTRY = {
    **{
        (batch, entry, "approve"): "approved"
        for batch in ("open", "review")
        for entry in ("submitted", "rejected")
    },
    **{
        (batch, entry, "reject"): "rejected"
        for batch in ("open", "review")
        for entry in ("submitted", "approved")
    },
    ("open", "submitted", "retract"): None,
    ("published", "listed", "withdraw"): "withdrawn",
}
# The combinations the workflow itself can produce; the others are inserted directly.
REACHABLE = {
    ("open", "submitted"),
    ("open", "approved"),
    ("open", "rejected"),
    ("review", "submitted"),
    ("review", "approved"),
    ("review", "rejected"),
    ("published", "rejected"),
    ("published", "listed"),
    ("published", "withdrawn"),
}


@pytest.fixture
def curator() -> Any:
    return curator_user()


@pytest.fixture
def platform() -> Any:
    return PlatformFactory(slug="platform-a", name="甲平台科技有限公司", name_en="Platform A")


def counts() -> dict[str, int]:
    return {"events": Event.objects.count(), "change records": ChangeRecord.objects.count()}


def batch_row(batch: Batch) -> dict[str, Any]:
    return Batch.objects.filter(pk=batch.pk).values().get()


def entry_row(entry: Entry) -> dict[str, Any] | None:
    return Entry.objects.filter(pk=entry.pk).values().first()


# The tables ------------------------------------------------------------------------------------


def test_the_services_tables_are_the_designed_tables():
    batch_table = {
        (status, action): target
        for action, moves in services.BATCH_TRANSITIONS.items()
        for status, target in moves.items()
    }
    assert batch_table == EXPECTED_BATCH
    entry_table = {
        (batch, entry, action): target
        for action, moves in services.ENTRY_TRANSITIONS.items()
        for entry, target in moves.items()
        for batch in services.ENTRY_ACTION_BATCH_STATUSES[action]
    }
    assert entry_table == EXPECTED_ENTRY
    assert services.ENTRY_ACTION_BATCH_STATUSES["submit"] == {"open"}


def run_batch_action(action: str, batch: Batch, actor: Any) -> Batch:
    if action == "edit":
        return services.batch_update(actor=actor, batch_id=batch.pk, data={"title": "改过的标题"})
    move = {
        "open": services.batch_open,
        "close": services.batch_close,
        "publish": services.batch_publish,
    }[action]
    return move(actor=actor, batch_id=batch.pk)


BATCH_EVENTS = {
    "edit": [],
    "open": [(EventType.BATCH_OPENED, False)],
    "close": [(EventType.BATCH_CLOSED, False)],
    "publish": [(EventType.BATCH_PUBLISHED, True)],
}


@pytest.mark.parametrize("action", BATCH_ACTIONS)
@pytest.mark.parametrize("status", BATCH_STATUSES)
def test_every_batch_status_and_action_is_allowed_or_refused_with_409_as_the_table_says(
    curator, status, action
):
    batch = batch_in(status, curator)
    before_row, before_counts = batch_row(batch), counts()
    last_event = Event.objects.order_by("id").last()

    if (status, action) in EXPECTED_BATCH:
        run_batch_action(action, batch, curator)
        batch.refresh_from_db()
        assert batch.status == EXPECTED_BATCH[(status, action)]
        assert history_of(batch).last().action == {"edit": "updated", "publish": "published"}.get(
            action, action
        )
        new_events = Event.objects.filter(id__gt=last_event.id if last_event else 0)
        assert [(e.type, e.public) for e in new_events] == BATCH_EVENTS[action]
        if action == "edit":
            assert batch.title == "改过的标题"
        if action == "publish":
            assert batch.published_at is not None
    else:
        with pytest.raises(DomainError) as refused:
            run_batch_action(action, batch, curator)
        assert refused.value.status == 409
        expected_problem = "batch-final" if status == "published" else "transition-not-allowed"
        assert refused.value.problem == expected_problem
        assert batch_row(batch) == before_row
        assert counts() == before_counts


def entry_in(batch_status: str, entry_status: str, resource: Resource, actor: Any) -> Entry:
    """An entry in ``entry_status`` in a batch in ``batch_status``: made through the workflow when
    the workflow can reach the combination, inserted directly when it cannot."""
    if (batch_status, entry_status) not in REACHABLE:
        return raw_entry_in(batch_status, resource, entry_status)
    batch = open_batch(actor)
    entry = submit(batch, resource, actor)
    if entry_status in ("approved", "listed", "withdrawn"):
        services.entry_approve(actor=actor, entry_id=entry.pk)
    if entry_status == "rejected":
        services.entry_reject(actor=actor, entry_id=entry.pk, reason="材料不全")
    if batch_status in ("review", "published"):
        services.batch_close(actor=actor, batch_id=batch.pk)
    if batch_status == "published":
        services.batch_publish(actor=actor, batch_id=batch.pk)
    if entry_status == "withdrawn":
        services.entry_withdraw(actor=actor, entry_id=entry.pk, reason="停止开放")
    entry = Entry.objects.get(pk=entry.pk)
    assert (entry.batch.status, entry.status) == (batch_status, entry_status)
    return entry


def run_entry_action(action: str, entry: Entry, actor: Any) -> None:
    if action == "approve":
        services.entry_approve(actor=actor, entry_id=entry.pk)
    elif action == "reject":
        services.entry_reject(actor=actor, entry_id=entry.pk, reason="不符合开放条件")
    elif action == "retract":
        services.entry_retract(actor=actor, entry_id=entry.pk)
    elif action == "withdraw":
        services.entry_withdraw(actor=actor, entry_id=entry.pk, reason="平台停止开放")


@pytest.mark.parametrize("action", ENTRY_ACTIONS)
@pytest.mark.parametrize("entry_status", ENTRY_STATUSES)
@pytest.mark.parametrize("batch_status", BATCH_STATUSES)
def test_every_entry_status_and_action_in_every_batch_status_is_allowed_or_refused_with_409(
    curator, platform, batch_status, entry_status, action
):
    entry = entry_in(batch_status, entry_status, active_resource(platform), curator)
    before_entry, before_batch, before_counts = entry_row(entry), batch_row(entry.batch), counts()
    key = (batch_status, entry_status, action)

    if key in EXPECTED_ENTRY:
        run_entry_action(action, entry, curator)
        after = entry_row(entry)
        if EXPECTED_ENTRY[key] is None:
            assert after is None
        else:
            assert after["status"] == EXPECTED_ENTRY[key]
        assert counts()["change records"] == before_counts["change records"] + 1
    else:
        with pytest.raises(DomainError) as refused:
            run_entry_action(action, entry, curator)
        assert refused.value.status == 409
        assert refused.value.problem == "transition-not-allowed"
        assert entry_row(entry) == before_entry
        assert batch_row(entry.batch) == before_batch
        assert counts() == before_counts


def test_a_reviewer_may_change_their_mind_until_publication(curator, platform):
    batch = open_batch(curator)
    entry = submit(batch, active_resource(platform), curator)
    services.entry_reject(actor=curator, entry_id=entry.pk, reason="材料不全")
    services.entry_approve(actor=curator, entry_id=entry.pk)
    entry = services.entry_reject(actor=curator, entry_id=entry.pk, reason="复核未通过")
    assert (entry.status, entry.reason, entry.decided_by) == ("rejected", "复核未通过", curator)
    assert [r.action for r in history_of(entry)] == [
        "submitted",
        "rejected",
        "approved",
        "rejected",
    ]


@pytest.mark.parametrize("action", ["reject", "withdraw"])
@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_a_rejection_or_a_withdrawal_needs_a_reason(curator, platform, action, reason):
    resource = active_resource(platform)
    if action == "reject":
        entry = submit(open_batch(curator), resource, curator)
        run = services.entry_reject
    else:
        entry = published_batch(curator, [resource]).entries.get()
        run = services.entry_withdraw
    before_entry, before_counts = entry_row(entry), counts()
    with pytest.raises(ValidationError) as refused:
        run(actor=curator, entry_id=entry.pk, reason=reason)
    assert "reason" in refused.value.message_dict
    assert (entry_row(entry), counts()) == (before_entry, before_counts)


# Submission ------------------------------------------------------------------------------------


@pytest.mark.parametrize("resource_status", ["draft", "withdrawn"])
def test_only_an_active_resource_can_be_submitted(curator, platform, resource_status):
    batch = open_batch(curator)
    resource = ResourceFactory(platform=platform, status=resource_status)
    before = counts()
    with pytest.raises(DomainError) as refused:
        submit(batch, resource, curator)
    assert (refused.value.status, refused.value.problem) == (409, "resource-not-active")
    assert not Entry.objects.exists()
    assert counts() == before


def test_a_resource_is_submitted_to_a_batch_at_most_once(curator, platform):
    batch = open_batch(curator)
    resource = active_resource(platform)
    first = submit(batch, resource, curator)
    before = counts()
    with pytest.raises(DomainError) as refused:
        submit(batch, resource, curator)
    assert (refused.value.status, refused.value.problem) == (409, "already-submitted")
    assert list(Entry.objects.values_list("pk", flat=True)) == [first.pk]
    assert counts() == before


def test_the_same_resource_may_be_submitted_to_two_batches(curator, platform):
    resource = active_resource(platform)
    first, second = open_batch(curator), open_batch(curator)
    submit(first, resource, curator)
    submit(second, resource, curator)
    assert Entry.objects.filter(resource=resource).count() == 2


def test_a_retracted_submission_can_be_made_again(curator, platform):
    batch = open_batch(curator)
    resource = active_resource(platform)
    entry = submit(batch, resource, curator)
    services.entry_retract(actor=curator, entry_id=entry.pk)
    again = submit(batch, resource, curator)
    assert again.status == "submitted"
    assert list(batch.entries.values_list("pk", flat=True)) == [again.pk]


@pytest.mark.parametrize("batch_status", ["draft", "review", "published"])
def test_submissions_are_accepted_only_while_the_batch_is_open(curator, platform, batch_status):
    batch = batch_in(batch_status, curator)
    before = counts()
    with pytest.raises(DomainError) as refused:
        submit(batch, active_resource(platform), curator)
    assert (refused.value.status, refused.value.problem) == (409, "transition-not-allowed")
    assert not batch.entries.exists()
    assert counts() == before


def test_a_submission_records_who_submitted_it_and_copies_the_resource_for_filtering(
    curator, platform
):
    publisher = publisher_of(platform, "publisher_a")
    resource = active_resource(
        platform, resource_type="data", regions=["110000", "440000"], industries=["C", "I"]
    )
    entry = submit(open_batch(curator), resource, publisher)
    assert (entry.status, entry.submitted_by, entry.platform) == ("submitted", publisher, platform)
    assert (entry.resource_type, entry.access_model) == ("data", resource.access_model)
    assert (entry.region_codes, entry.industry_codes) == (",110000,440000,", ",C,I,")
    assert (entry.sequence, entry.snapshot, entry.listed_at) == (None, None, None)
    assert history_of(entry).get().action == "submitted"


# Publication -----------------------------------------------------------------------------------


def test_publication_is_refused_while_any_entry_awaits_review_and_changes_nothing(
    curator, platform
):
    batch = open_batch(curator)
    approved = submit(batch, active_resource(platform), curator)
    services.entry_approve(actor=curator, entry_id=approved.pk)
    waiting = submit(batch, active_resource(platform), curator)
    services.batch_close(actor=curator, batch_id=batch.pk)
    before = (batch_row(batch), entry_row(approved), entry_row(waiting), counts())

    with pytest.raises(DomainError) as refused:
        services.batch_publish(actor=curator, batch_id=batch.pk)

    assert (refused.value.status, refused.value.problem) == (409, "entries-awaiting-review")
    assert (batch_row(batch), entry_row(approved), entry_row(waiting), counts()) == before
    assert not Resource.objects.filter(listed_at__isnull=False).exists()


def test_publication_lists_the_approved_entries_numbered_in_submission_order_with_snapshots(
    curator, platform
):
    publisher = publisher_of(platform, "publisher_a")
    # Names in an order that is neither the submission nor the approval order.
    gamma = active_resource(platform, name="丙资源", attributes={"accelerator_kind": "gpu"})
    alpha = active_resource(platform, name="甲资源")
    refused = active_resource(platform, name="丁资源")
    beta = active_resource(platform, name="乙资源", nationwide=True, regions=[])
    batch = open_batch(curator)
    entries = {
        resource.pk: submit(batch, resource, publisher)
        for resource in (gamma, alpha, refused, beta)
    }
    for resource in (beta, alpha, gamma):  # approved in reverse
        services.entry_approve(actor=curator, entry_id=entries[resource.pk].pk)
    services.entry_reject(actor=curator, entry_id=entries[refused.pk].pk, reason="不符合条件")
    # A change after submission is what gets listed: the snapshot is taken at publication.
    registry_services.resource_update(
        actor=publisher, resource_id=alpha.pk, data={"name": "甲资源（新版）"}, if_match=None
    )
    services.batch_close(actor=curator, batch_id=batch.pk)
    last_event_id = Event.objects.order_by("id").last().id

    batch = services.batch_publish(actor=curator, batch_id=batch.pk)

    assert batch.status == "published"
    assert batch.published_at is not None
    listed = list(batch.entries.filter(status="listed").order_by("sequence"))
    assert [(e.resource_id, e.sequence) for e in listed] == [
        (gamma.pk, 1),
        (alpha.pk, 2),
        (beta.pk, 3),
    ]
    assert [e.citation for e in listed] == [f"batch-{batch.number}/{n}" for n in (1, 2, 3)]
    for entry in listed:
        resource = Resource.objects.get(pk=entry.resource_id)
        assert entry.snapshot == resource_snapshot(resource)
        assert entry.listed_version == resource.version == entry.snapshot["version"]
        assert entry.listed_at == batch.published_at
        assert resource.listed_at == batch.published_at
    alpha_snapshot = listed[1].snapshot
    assert alpha_snapshot["name"] == "甲资源（新版）"
    assert alpha_snapshot["version"] == 2
    assert alpha_snapshot["platform"] == {
        "slug": "platform-a",
        "name": "甲平台科技有限公司",
        "name_en": "Platform A",
    }
    assert listed[0].snapshot["attributes"] == {"accelerator_kind": "gpu"}
    assert listed[2].snapshot["nationwide"] is True

    rejected = Entry.objects.get(pk=entries[refused.pk].pk)
    assert (rejected.status, rejected.reason) == ("rejected", "不符合条件")
    assert (rejected.sequence, rejected.snapshot, rejected.listed_at) == (None, None, None)
    assert Resource.objects.get(pk=refused.pk).listed_at is None

    events = list(Event.objects.filter(id__gt=last_event_id))
    assert [(e.type, e.subject_id, e.public) for e in events] == [
        ("batch.published", str(batch.number), True),
        *[("entry.listed", str(entry.pk), True) for entry in listed],
    ]
    assert events[0].data["listed"] == 3
    assert [e.data["citation"] for e in events[1:]] == [e.citation for e in listed]
    record = history_of(batch).last()
    assert (record.action, record.actor) == ("published", curator)
    assert record.changes["status"] == {"before": "review", "after": "published"}


def test_a_batch_with_nothing_approved_publishes_an_empty_list(curator, platform):
    batch = published_batch(curator, [], rejected=[active_resource(platform)])
    assert batch.status == "published"
    assert not batch.entries.filter(status="listed").exists()
    assert Event.objects.filter(type="entry.listed").count() == 0
    assert Event.objects.get(type="batch.published").data["listed"] == 0


def test_a_resource_keeps_the_time_it_was_first_listed(curator, platform):
    resource = active_resource(platform)
    first = published_batch(curator, [resource])
    second = published_batch(curator, [resource])
    resource.refresh_from_db()
    assert second.published_at > first.published_at
    assert resource.listed_at == first.published_at
    assert [e.listed_at for e in resource.entries.order_by("batch__number")] == [
        first.published_at,
        second.published_at,
    ]


class Injected(RuntimeError):
    pass


def fail_on_second_snapshot(monkeypatch: Any) -> None:
    calls = []

    def snapshot(resource: Resource) -> dict[str, Any]:
        calls.append(resource.pk)
        if len(calls) == 2:
            raise Injected("the second snapshot fails")
        return resource_snapshot(resource)

    monkeypatch.setattr("openness.services.publication.resource_snapshot", snapshot)


def fail_on_the_entry_events(monkeypatch: Any) -> None:
    """The very last write: by then entries, resources, the batch, its change record and the
    batch.published event have all been written."""

    insert = core.events._insert

    def insert_but_entry_events(event_type: str, *args: Any) -> Any:
        if event_type == EventType.ENTRY_LISTED:
            raise Injected("writing the entry events fails")
        return insert(event_type, *args)

    monkeypatch.setattr("core.events._insert", insert_but_entry_events)


@pytest.mark.parametrize(
    "inject",
    [fail_on_second_snapshot, fail_on_the_entry_events],
    ids=["second snapshot", "last write"],
)
def test_a_failure_half_way_through_publication_leaves_nothing_changed_and_no_event(
    curator, platform, monkeypatch, inject
):
    resources = [active_resource(platform) for _ in range(3)]
    batch = open_batch(curator)
    for resource in resources:
        entry = submit(batch, resource, curator)
        services.entry_approve(actor=curator, entry_id=entry.pk)
    services.batch_close(actor=curator, batch_id=batch.pk)
    before_entries = list(batch.entries.order_by("id").values())
    before_events = list(Event.objects.values_list("id", flat=True))
    inject(monkeypatch)

    with pytest.raises(Injected):
        services.batch_publish(actor=curator, batch_id=batch.pk)

    batch.refresh_from_db()
    assert (batch.status, batch.published_at) == ("review", None)
    assert list(batch.entries.order_by("id").values()) == before_entries
    assert not batch.entries.filter(status="listed").exists()
    assert not Resource.objects.filter(listed_at__isnull=False).exists()
    assert list(Event.objects.values_list("id", flat=True)) == before_events
    assert not ChangeRecord.objects.filter(action="published").exists()

    monkeypatch.undo()  # and the batch can still be published afterwards
    services.batch_publish(actor=curator, batch_id=batch.pk)
    assert batch.entries.filter(status="listed").count() == 3
    assert Event.objects.filter(type="entry.listed").count() == 3


# Withdrawal ------------------------------------------------------------------------------------


def test_a_withdrawn_entry_keeps_its_number_and_snapshot_and_records_why_who_and_when(
    curator, platform
):
    publisher = publisher_of(platform, "publisher_a")
    batch = published_batch(curator, [active_resource(platform), active_resource(platform)])
    entry = batch.entries.get(sequence=2)
    listed = model_to_dict(entry, fields=["sequence", "snapshot", "listed_version", "listed_at"])
    last_event_id = Event.objects.order_by("id").last().id

    withdrawn = services.entry_withdraw(actor=publisher, entry_id=entry.pk, reason="平台停止开放")

    entry = Entry.objects.get(pk=entry.pk)
    assert entry.status == "withdrawn"
    assert model_to_dict(entry, fields=list(listed)) == listed
    assert entry.citation == f"batch-{batch.number}/2"
    assert (entry.reason, entry.withdrawn_by) == ("平台停止开放", publisher)
    assert entry.withdrawn_at == withdrawn.withdrawn_at
    assert entry.withdrawn_at > batch.published_at
    event = Event.objects.get(id__gt=last_event_id)
    assert (event.type, event.subject_type, event.subject_id, event.public) == (
        "entry.withdrawn",
        "entry",
        str(entry.pk),
        True,
    )
    assert event.data["reason"] == "平台停止开放"
    assert event.data["citation"] == entry.citation
    record = history_of(entry).last()
    assert (record.action, record.actor, record.reason) == ("withdrawn", publisher, "平台停止开放")
    assert batch.entries.get(sequence=1).status == "listed"


def test_withdrawing_a_resource_withdraws_its_listed_entries_with_the_same_reason(
    curator, platform
):
    publisher = publisher_of(platform, "publisher_a")
    resource, other = active_resource(platform), active_resource(platform)
    first = published_batch(curator, [resource, other])
    second = published_batch(curator, [resource])
    last_event_id = Event.objects.order_by("id").last().id

    registry_services.resource_withdraw(actor=publisher, resource_id=resource.pk, reason="资源下线")

    withdrawn = Entry.objects.filter(resource=resource).order_by("batch__number")
    assert [(e.batch_id, e.status, e.reason, e.withdrawn_by) for e in withdrawn] == [
        (first.pk, "withdrawn", "资源下线", publisher),
        (second.pk, "withdrawn", "资源下线", publisher),
    ]
    assert Entry.objects.get(resource=other).status == "listed"
    new_events = Event.objects.filter(id__gt=last_event_id)
    assert Counter(e.type for e in new_events) == {"entry.withdrawn": 2, "resource.withdrawn": 1}
    assert {e.data["reason"] for e in new_events} == {"资源下线"}


def test_withdrawing_a_resource_leaves_entries_already_withdrawn_as_they_were(curator, platform):
    resource = active_resource(platform)
    batch = published_batch(curator, [resource])
    entry = batch.entries.get()
    services.entry_withdraw(actor=curator, entry_id=entry.pk, reason="先行撤回")
    registry_services.resource_withdraw(actor=curator, resource_id=resource.pk, reason="资源下线")
    assert Entry.objects.get(pk=entry.pk).reason == "先行撤回"
    assert Event.objects.filter(type="entry.withdrawn").count() == 1


@pytest.mark.parametrize("decided", ["submitted", "approved"])
def test_withdrawing_a_resource_rejects_its_pending_entries_so_it_is_never_listed(
    curator, platform, decided
):
    resource, other = active_resource(platform), active_resource(platform)
    batch = open_batch(curator)
    entry = submit(batch, resource, curator)
    kept = submit(batch, other, curator)
    services.entry_approve(actor=curator, entry_id=kept.pk)
    if decided == "approved":
        services.entry_approve(actor=curator, entry_id=entry.pk)

    registry_services.resource_withdraw(actor=curator, resource_id=resource.pk, reason="资源下线")

    entry = Entry.objects.get(pk=entry.pk)
    assert (entry.status, entry.reason) == ("rejected", "资源下线")
    services.batch_close(actor=curator, batch_id=batch.pk)
    services.batch_publish(actor=curator, batch_id=batch.pk)
    assert Entry.objects.get(pk=entry.pk).status == "rejected"
    assert Entry.objects.get(pk=kept.pk).status == "listed"
    assert Resource.objects.get(pk=resource.pk).listed_at is None
