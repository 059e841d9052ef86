"""The lists' workflow rules: the transition tables of batches and entries, and their guards.

A guard returns the status an action leads to, or raises the ``DomainError`` (409) that says why
the rules refuse it.
"""

from datetime import UTC, datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError, TransitionNotAllowed
from openness.choices import BatchStatus, EntryStatus
from openness.field_lists import BATCH_AUDITED
from openness.models import Batch, Entry

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


def batch_state(batch: Batch) -> dict[str, Any]:
    """The batch as its history records it."""
    state = {name: getattr(batch, name) for name in BATCH_AUDITED}
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


def refuse(kind: str, status_label: str, action: str) -> TransitionNotAllowed:
    return TransitionNotAllowed(
        _("A %(kind)s that is “%(status)s” does not allow “%(action)s”.")
        % {"kind": kind, "status": status_label, "action": _ACTION_LABELS[action]}
    )


def guard_batch(batch: Batch, action: str) -> str:
    allowed = BATCH_TRANSITIONS[action]
    if batch.status not in allowed:
        if batch.status == BatchStatus.PUBLISHED:
            raise DomainError(_("A published batch is final."), problem="batch-final")
        raise refuse(_("batch"), batch.get_status_display(), action)
    return allowed[batch.status]


def guard_entry(entry: Entry, batch: Batch, action: str) -> str | None:
    if batch.status not in ENTRY_ACTION_BATCH_STATUSES[action]:
        raise refuse(_("batch"), batch.get_status_display(), action)
    allowed = ENTRY_TRANSITIONS[action]
    if entry.status not in allowed:
        raise refuse(_("entry"), entry.get_status_display(), action)
    return allowed[entry.status]
