"""The openness lists' workflow: batches, submissions, review, publication and withdrawal.

Every service runs in one transaction, locks what it changes, checks its transition table
(``transitions``), writes the change record and the events (``core.audit.record``), and raises a
``DomainError`` (409) when the rules refuse. The services, by what they change: ``batches``
(create, edit, open, close), ``publication`` (publish) and ``entries`` (submit, review, retract,
withdraw).
"""

from openness.diff import batch_diff
from openness.services.batches import batch_close, batch_create, batch_open, batch_update
from openness.services.entries import (
    entry_approve,
    entry_reject,
    entry_retract,
    entry_submit,
    entry_withdraw,
    withdraw_listings_of,
)
from openness.services.publication import batch_publish
from openness.services.transitions import (
    BATCH_TRANSITIONS,
    ENTRY_ACTION_BATCH_STATUSES,
    ENTRY_TRANSITIONS,
)

__all__ = [
    "BATCH_TRANSITIONS",
    "ENTRY_ACTION_BATCH_STATUSES",
    "ENTRY_TRANSITIONS",
    "batch_close",
    "batch_create",
    "batch_diff",
    "batch_open",
    "batch_publish",
    "batch_update",
    "entry_approve",
    "entry_reject",
    "entry_retract",
    "entry_submit",
    "entry_withdraw",
    "withdraw_listings_of",
]
