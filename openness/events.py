"""Writing events: the outbox of changes that the feed serves and subscriptions deliver.

``emit`` must be called inside the transaction that makes the change, so an event exists exactly
when its change does.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone

from openness.models import Event


def emit(
    event_type: str, *, subject_type: str, subject_id: Any, data: dict[str, Any], public: bool
) -> Event:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Events are written inside the transaction of their change.")
    return Event.objects.create(
        type=event_type,
        occurred_at=timezone.now(),
        subject_type=subject_type,
        subject_id=str(subject_id),
        public=public,
        data=data,
    )


def emit_many(
    event_type: str, subjects: list[tuple[str, Any, dict[str, Any]]], *, public: bool
) -> list[Event]:
    """One event per (subject type, subject id, data), in order, in one query."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Events are written inside the transaction of their change.")
    now = timezone.now()
    return Event.objects.bulk_create(
        [
            Event(
                type=event_type,
                occurred_at=now,
                subject_type=subject_type,
                subject_id=str(subject_id),
                public=public,
                data=data,
            )
            for subject_type, subject_id, data in subjects
        ]
    )
