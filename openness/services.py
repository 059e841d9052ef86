"""The openness lists' workflow: batches, submissions, review, publication and withdrawal.

Every service runs in one transaction, locks what it changes, checks its transition table, writes
the change record and the events, and raises a ``DomainError`` (409) when the rules refuse.
"""

from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import record_change
from core.choices import EventType
from core.errors import DomainError, TransitionNotAllowed, require_reason
from core.events import emit, emit_many
from openness.choices import BatchStatus, EntryStatus
from openness.diff import batch_diff, batch_diff_counts
from openness.models import Batch, Entry
from registry.choices import ResourceStatus
from registry.models import Resource
from registry.snapshots import resource_snapshot, snapshot_search_text

# For each action: the statuses it may start from, and the status it leads to.
BATCH_TRANSITIONS: dict[str, dict[str, str]] = {
    "edit": {s: s for s in (BatchStatus.DRAFT, BatchStatus.OPEN, BatchStatus.REVIEW)},
    "open": {BatchStatus.DRAFT: BatchStatus.OPEN},
    "close": {BatchStatus.OPEN: BatchStatus.REVIEW},
    "publish": {BatchStatus.REVIEW: BatchStatus.PUBLISHED},
}
ENTRY_TRANSITIONS: dict[str, dict[str, str | None]] = {
    "approve": {
        EntryStatus.SUBMITTED: EntryStatus.APPROVED,
        EntryStatus.REJECTED: EntryStatus.APPROVED,
    },
    "reject": {
        EntryStatus.SUBMITTED: EntryStatus.REJECTED,
        EntryStatus.APPROVED: EntryStatus.REJECTED,
    },
    "retract": {EntryStatus.SUBMITTED: None},
    "withdraw": {EntryStatus.LISTED: EntryStatus.WITHDRAWN},
}
# The batch statuses in which each entry action may happen.
ENTRY_ACTION_BATCH_STATUSES: dict[str, set[str]] = {
    "submit": {BatchStatus.OPEN},
    "approve": {BatchStatus.OPEN, BatchStatus.REVIEW},
    "reject": {BatchStatus.OPEN, BatchStatus.REVIEW},
    "retract": {BatchStatus.OPEN},
    "withdraw": {BatchStatus.PUBLISHED},
}

BATCH_FIELDS = [
    "title",
    "title_en",
    "year",
    "document_reference",
    "submission_opens_at",
    "submission_closes_at",
]


def _batch_state(batch: Batch) -> dict[str, Any]:
    state = {name: getattr(batch, name) for name in [*BATCH_FIELDS, "status", "published_at"]}
    # In UTC: the same instant read from the database and typed into a form compares equal.
    return {
        k: v.astimezone(UTC).isoformat() if isinstance(v, datetime) else v for k, v in state.items()
    }


# What each action is called in a refusal, in the reader's language.
_ACTION_LABELS = {
    "edit": gettext_lazy("edit"),
    "open": gettext_lazy("open"),
    "close": gettext_lazy("close for review"),
    "publish": gettext_lazy("publish"),
    "submit": gettext_lazy("submit"),
    "approve": gettext_lazy("approve"),
    "reject": gettext_lazy("reject"),
    "retract": gettext_lazy("retract"),
    "withdraw": gettext_lazy("withdraw"),
}


def _refuse(kind: str, status_label: str, action: str) -> TransitionNotAllowed:
    return TransitionNotAllowed(
        _("A %(kind)s that is “%(status)s” does not allow “%(action)s”.")
        % {"kind": kind, "status": status_label, "action": _ACTION_LABELS[action]}
    )


def _guard_batch(batch: Batch, action: str) -> str:
    allowed = BATCH_TRANSITIONS[action]
    if batch.status not in allowed:
        if batch.status == BatchStatus.PUBLISHED:
            raise DomainError(_("A published batch is final."), problem="batch-final")
        raise _refuse(_("batch"), batch.get_status_display(), action)
    return allowed[batch.status]


def _guard_entry(entry: Entry, batch: Batch, action: str) -> str | None:
    if batch.status not in ENTRY_ACTION_BATCH_STATUSES[action]:
        raise _refuse(_("batch"), batch.get_status_display(), action)
    allowed = ENTRY_TRANSITIONS[action]
    if entry.status not in allowed:
        raise _refuse(_("entry"), entry.get_status_display(), action)
    return allowed[entry.status]


# Batches ----------------------------------------------------------------------------------------


@transaction.atomic
def batch_create(*, actor: Any, data: dict[str, Any]) -> Batch:
    """A new draft batch, numbered after the last one."""
    last = Batch.objects.select_for_update().aggregate(last=Max("number"))["last"] or 0
    batch = Batch(number=last + 1, **data)
    batch.full_clean(exclude=["number"])
    batch.save()
    record_change(
        subject=batch, action="created", actor=actor, before=None, after=_batch_state(batch)
    )
    return batch


@transaction.atomic
def batch_update(*, actor: Any, batch_id: int, data: dict[str, Any]) -> Batch:
    batch = Batch.objects.select_for_update().get(pk=batch_id)
    _guard_batch(batch, "edit")
    before = _batch_state(batch)
    for name, value in data.items():
        setattr(batch, name, value)
    after = _batch_state(batch)
    if after == before:
        return batch
    batch.full_clean(exclude=["number"])
    batch.save()
    record_change(subject=batch, action="updated", actor=actor, before=before, after=after)
    return batch


def _batch_event_data(batch: Batch) -> dict[str, Any]:
    return {
        "batch": batch.number,
        "title": batch.title,
        "status": batch.status,
        "url": batch.get_absolute_url(),
    }


@transaction.atomic
def batch_open(*, actor: Any, batch_id: int) -> Batch:
    return _move_batch(actor, batch_id, "open", EventType.BATCH_OPENED)


@transaction.atomic
def batch_close(*, actor: Any, batch_id: int) -> Batch:
    return _move_batch(actor, batch_id, "close", EventType.BATCH_CLOSED)


def _move_batch(actor: Any, batch_id: int, action: str, event_type: str) -> Batch:
    batch = Batch.objects.select_for_update().get(pk=batch_id)
    before = _batch_state(batch)
    batch.status = _guard_batch(batch, action)
    batch.save()
    record_change(
        subject=batch, action=action, actor=actor, before=before, after=_batch_state(batch)
    )
    emit(
        event_type,
        subject_type="batch",
        subject_id=batch.number,
        data=_batch_event_data(batch),
        public=False,
    )
    return batch


def _copy_search_columns(entry: Entry, snapshot: dict[str, Any]) -> None:
    entry.resource_type = snapshot["resource_type"]
    entry.access_model = snapshot["access_model"]
    entry.nationwide = snapshot["nationwide"]
    entry.region_codes = "," + ",".join(snapshot["regions"]) + "," if snapshot["regions"] else ""
    entry.industry_codes = (
        "," + ",".join(snapshot["industries"]) + "," if snapshot["industries"] else ""
    )
    entry.search_text = snapshot_search_text(snapshot)


@transaction.atomic
def batch_publish(*, actor: Any, batch_id: int) -> Batch:
    """Publishes the batch in one transaction: every approved entry is listed, numbered and
    frozen; the batch becomes final; the events are written. Anything failing undoes it all."""
    batch = Batch.objects.select_for_update().get(pk=batch_id)
    before = _batch_state(batch)
    new_status = _guard_batch(batch, "publish")
    waiting = batch.entries.filter(status=EntryStatus.SUBMITTED).count()
    if waiting:
        raise DomainError(
            _("%(count)d entries still await review; approve or reject them first.")
            % {"count": waiting},
            problem="entries-awaiting-review",
        )
    now = timezone.now()
    approved = list(
        batch.entries.filter(status=EntryStatus.APPROVED)
        .select_related("resource__platform")
        .prefetch_related("resource__tags", "resource__industries", "resource__regions")
        .order_by("submitted_at", "id")
    )
    for sequence, entry in enumerate(approved, start=1):
        snapshot = resource_snapshot(entry.resource)
        entry.status = EntryStatus.LISTED
        entry.sequence = sequence
        entry.snapshot = snapshot
        entry.listed_version = snapshot["version"]
        entry.listed_at = now
        _copy_search_columns(entry, snapshot)
    Entry.objects.bulk_update(
        approved,
        [
            "status",
            "sequence",
            "snapshot",
            "listed_version",
            "listed_at",
            "resource_type",
            "access_model",
            "nationwide",
            "region_codes",
            "industry_codes",
            "search_text",
        ],
        batch_size=500,
    )
    Resource.objects.filter(
        pk__in=[entry.resource_id for entry in approved], listed_at__isnull=True
    ).update(listed_at=now)
    batch.status = new_status
    batch.published_at = now
    batch.save()
    record_change(
        subject=batch,
        action="published",
        actor=actor,
        before=before,
        after={**_batch_state(batch), "listed": len(approved)},
    )
    emit(
        EventType.BATCH_PUBLISHED,
        subject_type="batch",
        subject_id=batch.number,
        data={**_batch_event_data(batch), "listed": len(approved), **_compared_data(batch)},
        public=True,
    )
    emit_many(
        EventType.ENTRY_LISTED,
        [("entry", entry.pk, _entry_event_data(entry, batch)) for entry in approved],
        public=True,
    )
    return batch


def _compared_data(batch: Batch) -> dict[str, Any]:
    """The ``batch.published`` event's summary of the new batch against the last one published
    before it: its number, how many resources are in each case of the diff (``openness.diff``),
    and the diff's URL; nulls for the first batch."""
    previous = (
        Batch.objects.filter(status=BatchStatus.PUBLISHED, number__lt=batch.number)
        .order_by("-number")
        .first()
    )
    if previous is None:
        return {"against": None, "diff": None, "diff_url": None}
    diff = batch_diff(batch=batch, against=previous)
    return {
        "against": previous.number,
        "diff": batch_diff_counts(diff),
        "diff_url": reverse("api:batch-diff", kwargs={"number": batch.number})
        + f"?against={previous.number}",
    }


def _entry_event_data(entry: Entry, batch: Batch) -> dict[str, Any]:
    snapshot = entry.snapshot or {}
    return {
        "entry": entry.pk,
        "batch": batch.number,
        "sequence": entry.sequence,
        "citation": f"batch-{batch.number}/{entry.sequence}" if entry.sequence else None,
        "status": entry.status,
        "resource": str(entry.resource_id),
        "resource_type": entry.resource_type,
        "platform": snapshot.get("platform", {}).get("slug"),
        "name": snapshot.get("name"),
        "version": entry.listed_version,
        "url": entry.get_absolute_url(),
        "resource_url": f"/api/v1/resources/{entry.resource_id}/",
    }


# Entries ----------------------------------------------------------------------------------------


@transaction.atomic
def entry_submit(*, actor: Any, batch_id: int, resource: Resource) -> Entry:
    """Submits an active resource to an open batch (once per batch)."""
    batch = Batch.objects.select_for_update().get(pk=batch_id)
    if batch.status not in ENTRY_ACTION_BATCH_STATUSES["submit"]:
        raise _refuse(_("batch"), batch.get_status_display(), "submit")
    resource = Resource.objects.select_for_update().get(pk=resource.pk)  # its status, now
    if resource.status != ResourceStatus.ACTIVE:
        raise DomainError(
            _("Only active resources can be submitted; this one is %(status)s.")
            % {"status": resource.get_status_display()},
            problem="resource-not-active",
        )
    if batch.entries.filter(resource=resource).exists():
        raise DomainError(_("This resource is already in the batch."), problem="already-submitted")
    entry = Entry(
        batch=batch,
        resource=resource,
        platform_id=resource.platform_id,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        submitted_at=timezone.now(),
    )
    _copy_search_columns(entry, resource_snapshot(resource))
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:
        raise DomainError(
            _("This resource is already in the batch."), problem="already-submitted"
        ) from exc
    record_change(
        subject=entry,
        action="submitted",
        actor=actor,
        before=None,
        after={"batch": batch.number, "resource": str(resource.pk), "status": entry.status},
    )
    return entry


def _locked_entry(entry_id: int) -> tuple[Entry, Batch]:
    entry = Entry.objects.select_for_update().select_related("batch").get(pk=entry_id)
    return entry, entry.batch


@transaction.atomic
def entry_approve(*, actor: Any, entry_id: int) -> Entry:
    return _decide(actor, entry_id, "approve", reason="")


@transaction.atomic
def entry_reject(*, actor: Any, entry_id: int, reason: str) -> Entry:
    return _decide(actor, entry_id, "reject", reason=reason)


def _decide(actor: Any, entry_id: int, action: str, *, reason: str) -> Entry:
    if action == "reject":
        reason = require_reason(reason)
    entry, batch = _locked_entry(entry_id)
    before = {"status": entry.status, "reason": entry.reason}
    entry.status = _guard_entry(entry, batch, action) or entry.status
    entry.reason = reason
    entry.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    entry.decided_at = timezone.now()
    entry.save()
    record_change(
        subject=entry,
        action=f"{action}d" if action.endswith("e") else f"{action}ed",
        actor=actor,
        before=before,
        after={"status": entry.status, "reason": entry.reason},
        reason=reason,
    )
    return entry


@transaction.atomic
def entry_retract(*, actor: Any, entry_id: int) -> None:
    """The publisher takes a submission back while the batch is open."""
    entry, batch = _locked_entry(entry_id)
    _guard_entry(entry, batch, "retract")
    record_change(
        subject=entry,
        action="retracted",
        actor=actor,
        before={"batch": batch.number, "resource": str(entry.resource_id), "status": entry.status},
        after=None,
    )
    entry.delete()


@transaction.atomic
def entry_withdraw(*, actor: Any, entry_id: int, reason: str) -> Entry:
    """A listed entry leaves the list: it keeps its number and stays readable, as withdrawn."""
    reason = require_reason(reason)
    entry, batch = _locked_entry(entry_id)
    _guard_entry(entry, batch, "withdraw")
    entry.status = EntryStatus.WITHDRAWN
    entry.reason = reason
    entry.withdrawn_by = actor if getattr(actor, "is_authenticated", False) else None
    entry.withdrawn_at = timezone.now()
    entry.save()
    record_change(
        subject=entry,
        action="withdrawn",
        actor=actor,
        before={"status": EntryStatus.LISTED},
        after={"status": entry.status},
        reason=reason,
    )
    emit(
        EventType.ENTRY_WITHDRAWN,
        subject_type="entry",
        subject_id=entry.pk,
        data={**_entry_event_data(entry, batch), "reason": reason},
        public=True,
    )
    return entry


def withdraw_listings_of(*, actor: Any, resource: Resource, reason: str) -> int:
    """Takes a resource that is being withdrawn out of every list, with the same reason: its listed
    entries are withdrawn, and its submissions still awaiting publication are rejected (so a
    withdrawn resource is never listed later)."""
    entries = list(
        Entry.objects.filter(
            resource=resource,
            status__in=[EntryStatus.LISTED, EntryStatus.SUBMITTED, EntryStatus.APPROVED],
        ).values_list("pk", "status")
    )
    for entry_id, status in entries:
        if status == EntryStatus.LISTED:
            entry_withdraw(actor=actor, entry_id=entry_id, reason=reason)
        else:
            entry_reject(actor=actor, entry_id=entry_id, reason=reason)
    return len(entries)
