"""Writing events: the outbox of changes that the feed serves and subscriptions deliver.

``emit`` must be called inside the transaction that makes the change, so an event exists exactly
when its change does. A public event also enqueues, in that same transaction, the task that matches
it against the subscriptions: the queue is a table of the same database, so the task exists
exactly when the event does (a transactional outbox). Events nobody may subscribe to (the private
ones, and the public ones about pilots, scenarios and service platforms, which are in the feed for
integrators to mirror) are marked matched at once.

Which task matches is the subscriptions' business: their app names it with ``on_matchable``
(``openness.apps``), so this layer imports no domain app.
"""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.choices import SUBSCRIBABLE_EVENT_TYPES
from core.models import Event

_enqueue_matching_hooks: list[Callable[[], None]] = []


def on_matchable(enqueue: Callable[[], None]) -> None:
    """Calls ``enqueue`` in the transaction of every change that writes events to match."""
    if enqueue not in _enqueue_matching_hooks:
        _enqueue_matching_hooks.append(enqueue)


def emit(
    event_type: str, *, subject_type: str, subject_id: Any, data: dict[str, Any], public: bool
) -> Event:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Events are written inside the transaction of their change.")
    now = timezone.now()
    matchable = public and event_type in SUBSCRIBABLE_EVENT_TYPES
    event = Event.objects.create(
        type=event_type,
        occurred_at=now,
        subject_type=subject_type,
        subject_id=str(subject_id),
        public=public,
        data=data,
        matched_at=None if matchable else now,
    )
    if matchable:
        _enqueue_matching()
    return event


def emit_many(
    event_type: str, subjects: list[tuple[str, Any, dict[str, Any]]], *, public: bool
) -> list[Event]:
    """One event per (subject type, subject id, data), in order, in one query."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Events are written inside the transaction of their change.")
    now = timezone.now()
    events = Event.objects.bulk_create(
        [
            Event(
                type=event_type,
                occurred_at=now,
                subject_type=subject_type,
                subject_id=str(subject_id),
                public=public,
                data=data,
                matched_at=None if public else now,
            )
            for subject_type, subject_id, data in subjects
        ]
    )
    if public and events:
        _enqueue_matching()
    return events


def _enqueue_matching() -> None:
    for enqueue in _enqueue_matching_hooks:
        enqueue()
