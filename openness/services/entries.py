"""Entries: a resource submitted to a batch, reviewed (approved or rejected), retracted by its
publisher, or, once listed, withdrawn."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record
from core.choices import EventType
from core.errors import DomainError, require_reason
from core.events import NewEvent
from openness.choices import EntryStatus
from openness.models import Batch, Entry
from openness.services.transitions import ENTRY_ACTION_BATCH_STATUSES, guard_entry, refuse
from registry.choices import ResourceStatus
from registry.models import Resource
from registry.snapshots import resource_snapshot, snapshot_search_text


def copy_search_columns(entry: Entry, snapshot: dict[str, Any]) -> None:
    """The entry's own copies of what the list's filters and search read, from ``snapshot``."""
    entry.resource_type = snapshot["resource_type"]
    entry.access_model = snapshot["access_model"]
    entry.nationwide = snapshot["nationwide"]
    entry.region_codes = "," + ",".join(snapshot["regions"]) + "," if snapshot["regions"] else ""
    entry.industry_codes = (
        "," + ",".join(snapshot["industries"]) + "," if snapshot["industries"] else ""
    )
    entry.search_text = snapshot_search_text(snapshot)


def entry_event(event_type: str, entry: Entry, batch: Batch, **extra: Any) -> NewEvent:
    """The public event about a listed (or withdrawn) entry, with ``extra`` data."""
    snapshot = entry.snapshot or {}
    data = {
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
        **extra,
    }
    return NewEvent(event_type, "entry", entry.pk, data, public=True)


@transaction.atomic
def entry_submit(*, actor: Any, batch_id: int, resource: Resource) -> Entry:
    """Submits an active resource to an open batch (once per batch)."""
    batch = Batch.objects.select_for_update().get(pk=batch_id)
    if batch.status not in ENTRY_ACTION_BATCH_STATUSES["submit"]:
        raise refuse(_("batch"), batch.get_status_display(), "submit")
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
    copy_search_columns(entry, resource_snapshot(resource))
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:
        raise DomainError(
            _("This resource is already in the batch."), problem="already-submitted"
        ) from exc
    record(subject=entry, action="submitted", actor=actor, before=None, after=_placed(entry))
    return entry


def _placed(entry: Entry) -> dict[str, Any]:
    """A submission as its history records it: where, what, and its status."""
    return {"batch": entry.batch.number, "resource": str(entry.resource_id), "status": entry.status}


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
    entry.status = guard_entry(entry, batch, action) or entry.status
    entry.reason = reason
    entry.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    entry.decided_at = timezone.now()
    entry.save()
    record(
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
    guard_entry(entry, batch, "retract")
    record(subject=entry, action="retracted", actor=actor, before=_placed(entry), after=None)
    entry.delete()


@transaction.atomic
def entry_withdraw(*, actor: Any, entry_id: int, reason: str) -> Entry:
    """A listed entry leaves the list: it keeps its number and stays readable, as withdrawn."""
    reason = require_reason(reason)
    entry, batch = _locked_entry(entry_id)
    guard_entry(entry, batch, "withdraw")
    entry.status = EntryStatus.WITHDRAWN
    entry.reason = reason
    entry.withdrawn_by = actor if getattr(actor, "is_authenticated", False) else None
    entry.withdrawn_at = timezone.now()
    entry.save()
    record(
        subject=entry,
        action="withdrawn",
        actor=actor,
        before={"status": EntryStatus.LISTED},
        after={"status": entry.status},
        reason=reason,
        event=entry_event(EventType.ENTRY_WITHDRAWN, entry, batch, reason=reason),
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
