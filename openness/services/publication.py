"""Publishing a batch: in one transaction every approved entry is listed, numbered and frozen, the
batch becomes final, and its events are written (``batch.published``, one ``entry.listed`` per
entry). Anything failing undoes it all."""

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record
from core.choices import EventType
from core.errors import DomainError
from openness.choices import BatchStatus, EntryStatus
from openness.diff import batch_diff, batch_diff_counts
from openness.models import Batch, Entry
from openness.services.batches import batch_event
from openness.services.entries import copy_search_columns, entry_event
from openness.services.transitions import batch_state, guard_batch
from registry.models import Resource
from registry.snapshots import resource_snapshot

# What publication writes on each entry it lists.
LISTED_FIELDS = [
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
]


@transaction.atomic
def batch_publish(*, actor: Any, batch_id: int) -> Batch:
    """Publishes the batch in one transaction: every approved entry is listed, numbered and
    frozen; the batch becomes final; the events are written. Anything failing undoes it all."""
    batch = Batch.objects.select_for_update().get(pk=batch_id)
    before = batch_state(batch)
    new_status = guard_batch(batch, "publish")
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
        copy_search_columns(entry, snapshot)
    Entry.objects.bulk_update(approved, LISTED_FIELDS, batch_size=500)
    Resource.objects.filter(
        pk__in=[entry.resource_id for entry in approved], listed_at__isnull=True
    ).update(listed_at=now)
    batch.status = new_status
    batch.published_at = now
    batch.save()
    listed = len(approved)
    record(
        subject=batch,
        action="published",
        actor=actor,
        before=before,
        after={**batch_state(batch), "listed": listed},
        event=batch_event(
            EventType.BATCH_PUBLISHED, batch, public=True, listed=listed, **_compared_data(batch)
        ),
        events=[entry_event(EventType.ENTRY_LISTED, entry, batch) for entry in approved],
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
