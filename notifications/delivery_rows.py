"""Writing the deliveries a matching run makes, which can be a million rows for one batch.

On PostgreSQL they are streamed with ``COPY``, which skips the parsing of a parameter per value
that a bulk ``INSERT`` pays. A chunk's events are locked and not matched yet, so none of its
deliveries can exist already; should one exist all the same (the unique (subscription, event)
refuses the ``COPY``), the rows go through a temporary table and one ``INSERT … SELECT … ON
CONFLICT DO NOTHING`` instead, as ``bulk_create`` with ``ignore_conflicts`` does on the other
databases: a second matching of the same events never makes a second delivery.

The reason a delivery matched is shared by every subscription with the same query: it is encoded
once, not once per row.
"""

import json
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from notifications.choices import DeliveryStatus
from notifications.models import Delivery

if TYPE_CHECKING:
    from notifications.matching import Match

BULK_SIZE = 5000
COPY_BLOCK = 1 << 20  # characters written to COPY at a time

CREATE_STAGING = """
CREATE TEMPORARY TABLE IF NOT EXISTS delivery_staging (
    subscription_id bigint NOT NULL,
    event_id bigint NOT NULL,
    status varchar(12) NOT NULL,
    matched jsonb NOT NULL,
    next_attempt_at timestamptz,
    attempts integer NOT NULL,
    last_error varchar(300) NOT NULL,
    last_response text NOT NULL,
    created_at timestamptz NOT NULL
) ON COMMIT DELETE ROWS
"""
COLUMNS = "subscription_id, event_id, status, matched, next_attempt_at"
DIRECT = (
    f"COPY openness_delivery ({COLUMNS}, attempts, last_error, last_response, created_at)"
    " FROM STDIN"
)
MOVE_STAGED = """
INSERT INTO openness_delivery (
    subscription_id, event_id, status, matched, next_attempt_at,
    attempts, last_error, last_response, created_at
)
SELECT * FROM delivery_staging
ON CONFLICT (subscription_id, event_id) DO NOTHING
"""


def insert(matches: list["Match"]) -> None:
    """Writes a delivery for each match not delivered already; inside the caller's transaction."""
    if not matches:
        return
    now = timezone.now()
    if connection.vendor == "postgresql":
        _copy(matches, now)
    else:
        Delivery.objects.bulk_create(
            (_delivery(match, now) for match in matches),
            batch_size=BULK_SIZE,
            ignore_conflicts=True,
        )


def _delivery(match: "Match", now: datetime) -> Delivery:
    return Delivery(
        subscription_id=match.subscription_id,
        event_id=match.event_id,
        status=DeliveryStatus.PENDING if match.webhook else DeliveryStatus.PULL,
        next_attempt_at=now if match.webhook else None,
        matched=match.why,
    )


def _copy(matches: list["Match"], now: datetime) -> None:
    import psycopg  # only here: psycopg's COPY raises its own errors, not Django's

    try:
        with transaction.atomic(), connection.cursor() as cursor:  # a savepoint
            _copy_into(cursor, DIRECT, matches, now)
        return
    except (IntegrityError, psycopg.IntegrityError):
        pass  # some exist already: only the others are added
    with connection.cursor() as cursor:
        cursor.execute(CREATE_STAGING)
        _copy_into(cursor, "COPY delivery_staging FROM STDIN", matches, now)
        cursor.execute(MOVE_STAGED)
        cursor.execute("TRUNCATE delivery_staging")  # rather than at the caller's commit


def _copy_into(cursor: Any, statement: str, matches: list["Match"], now: datetime) -> None:
    with cursor.cursor.copy(statement) as copy:  # psycopg's own cursor
        for block in _lines(matches, now):
            copy.write(block)


def _lines(matches: Iterable["Match"], now: datetime) -> Iterable[str]:
    """The rows in COPY's text format, in blocks of about ``COPY_BLOCK`` characters."""
    encoded: dict[int, str] = {}  # id(why) → its JSON, escaped for COPY
    created = now.isoformat()
    pending = f"{DeliveryStatus.PENDING}\t{{}}\t{created}\t0\t\t\t{created}\n"
    pull = f"{DeliveryStatus.PULL}\t{{}}\t\\N\t0\t\t\t{created}\n"
    lines: list[str] = []
    size = 0
    for match in matches:
        why = encoded.get(id(match.why))
        if why is None:
            why = encoded[id(match.why)] = _copy_text(json.dumps(match.why, ensure_ascii=False))
        line = f"{match.subscription_id}\t{match.event_id}\t" + (
            pending if match.webhook else pull
        ).format(why)
        lines.append(line)
        size += len(line)
        if size >= COPY_BLOCK:
            yield "".join(lines)
            lines, size = [], 0
    if lines:
        yield "".join(lines)


def _copy_text(value: str) -> str:
    """``value`` escaped for COPY's text format (JSON has backslashes, if no raw tab or newline)."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )
