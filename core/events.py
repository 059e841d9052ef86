"""Writing events: the outbox of changes that the feed serves and subscriptions deliver.

``emit`` (or ``core.audit.record``, which writes a change record with its events) must be called
inside the transaction that makes the change, so an event exists exactly when its change does. A
public event also enqueues, in that same transaction, the task that matches it against the
subscriptions: the queue is a table of the same database, so the task exists exactly when the
event does (a transactional outbox). Events nobody may subscribe to (the private
ones, and the public ones about pilots, scenarios and service platforms, which are in the feed for
integrators to mirror) are marked matched at once.

Which task matches is the subscriptions' business: their app names it with ``on_matchable``
(``openness.apps``), so this layer imports no domain app.
"""

from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby
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


@dataclass(frozen=True)
class NewEvent:
    """An event to write with a change: its type, what it is about (the feed's subject type and
    id), its data, and whether the public feed shows it."""

    type: str
    subject_type: str
    subject_id: Any
    data: dict[str, Any]
    public: bool


def emit(*events: NewEvent) -> list[Event]:
    """Writes ``events``, in order, in the transaction of their change; each run of events of one
    type (a publication's ``entry.listed``) in one query."""
    if not events:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Events are written inside the transaction of their change.")
    written: list[Event] = []
    for (event_type, public), run in groupby(events, key=lambda event: (event.type, event.public)):
        written += _insert(event_type, public, list(run))
    return written


def _insert(event_type: str, public: bool, events: list[NewEvent]) -> list[Event]:
    """One query for events of one type; a public one that may be subscribed to enqueues the
    matching, and the others are matched at once."""
    now = timezone.now()
    matchable = public and event_type in SUBSCRIBABLE_EVENT_TYPES
    written = Event.objects.bulk_create(
        [
            Event(
                type=event_type,
                occurred_at=now,
                subject_type=event.subject_type,
                subject_id=str(event.subject_id),
                public=public,
                data=event.data,
                matched_at=None if matchable else now,
            )
            for event in events
        ]
    )
    if matchable:
        _enqueue_matching()
    return written


def _enqueue_matching() -> None:
    for enqueue in _enqueue_matching_hooks:
        enqueue()
