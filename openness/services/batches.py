"""Batches before publication: created, edited, opened for submissions and closed for review."""

from typing import Any

from django.db import transaction
from django.db.models import Max

from core.audit import apply_fields, record
from core.choices import EventType
from core.events import NewEvent
from openness.models import Batch
from openness.services.transitions import batch_state, guard_batch


@transaction.atomic
def batch_create(*, actor: Any, data: dict[str, Any]) -> Batch:
    """A new draft batch, numbered after the last one."""
    last = Batch.objects.select_for_update().aggregate(last=Max("number"))["last"] or 0
    batch = Batch(number=last + 1, **data)
    batch.full_clean(exclude=["number"])
    batch.save()
    record(subject=batch, action="created", actor=actor, before=None, after=batch_state(batch))
    return batch


@transaction.atomic
def batch_update(*, actor: Any, batch_id: int, data: dict[str, Any]) -> Batch:
    batch = Batch.objects.select_for_update().get(pk=batch_id)
    guard_batch(batch, "edit")
    before, after = apply_fields(batch, data, batch_state)
    if after == before:
        return batch
    batch.full_clean(exclude=["number"])
    batch.save()
    record(subject=batch, action="updated", actor=actor, before=before, after=after)
    return batch


def batch_event(event_type: str, batch: Batch, *, public: bool, **extra: Any) -> NewEvent:
    """The event about ``batch``, with ``extra`` data."""
    data = {
        "batch": batch.number,
        "title": batch.title,
        "status": batch.status,
        "url": batch.get_absolute_url(),
        **extra,
    }
    return NewEvent(event_type, "batch", batch.number, data, public)


@transaction.atomic
def batch_open(*, actor: Any, batch_id: int) -> Batch:
    return _move_batch(actor, batch_id, "open", EventType.BATCH_OPENED)


@transaction.atomic
def batch_close(*, actor: Any, batch_id: int) -> Batch:
    return _move_batch(actor, batch_id, "close", EventType.BATCH_CLOSED)


def _move_batch(actor: Any, batch_id: int, action: str, event_type: str) -> Batch:
    batch = Batch.objects.select_for_update().get(pk=batch_id)
    before = batch_state(batch)
    batch.status = guard_batch(batch, action)
    batch.save()
    after = batch_state(batch)
    event = batch_event(event_type, batch, public=False)
    record(subject=batch, action=action, actor=actor, before=before, after=after, event=event)
    return batch
