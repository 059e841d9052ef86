"""The search index's change log: which resources may read differently, in commit order.

The database writes the log itself (``SearchChange``), in the transaction of each change, through
triggers on every table a resource's document is made of — so no write path (a service, the
admin, a bulk load, a migration, SQL by hand) can change what search should see without saying
so. The triggers are created by the migrations from ``trigger_statements()``.

Reading it in order is where the two databases differ:

- **PostgreSQL** runs transactions side by side, and a change can commit after a later-numbered
  one: reading "ids above the last one read" would skip it for good. Each line therefore carries
  the id of its transaction (``txid``, ``pg_current_xact_id()``), and a follower reads the lines
  of the transactions below the oldest one still running (``pg_snapshot_xmin``): those are all
  finished, so no line can still appear among them. The position is that transaction id.
- **SQLite** writes one transaction at a time, so ids grow in commit order: the position is the
  last id read.

A process that reads its own writes (the tests, where each test is one transaction that never
commits) reads by id on both databases (``Changes(own_writes=True)``).
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

TABLE = "registry_searchchange"
# The SQL below is made of these constant names only: nothing a request sends reaches it.
# (table, the column holding the resource's id) of every table a document is read from; the
# resource table's own id, its relations, and the batch entries (the ``batch`` filter).
SOURCES = (
    ("registry_resource", "id"),
    ("registry_resource_tags", "resource_id"),
    ("registry_resource_regions", "resource_id"),
    ("registry_resource_industries", "resource_id"),
)
ENTRY_SOURCE = ("openness_entry", "resource_id")


def _postgres_statements(table: str, column: str) -> list[str]:
    """Statement-level triggers (one INSERT per statement, however many rows: bulk loads stay
    fast) for each of INSERT, UPDATE and DELETE."""
    function = f"{table}_search_change"
    rows = {"INSERT": "new_rows", "UPDATE": "new_rows", "DELETE": "old_rows"}
    statements = [
        f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO {TABLE} (resource_id) SELECT DISTINCT {column} FROM old_rows;
  ELSE
    INSERT INTO {TABLE} (resource_id) SELECT DISTINCT {column} FROM new_rows;
  END IF;
  RETURN NULL;
END $$"""
    ]
    for event, alias in rows.items():
        kind = "OLD" if event == "DELETE" else "NEW"
        statements.append(
            f"CREATE TRIGGER {table}_search_{event.lower()} AFTER {event} ON {table} "
            f"REFERENCING {kind} TABLE AS {alias} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
    return statements


def _sqlite_statements(table: str, column: str) -> list[str]:
    statements = []
    for event in ("INSERT", "UPDATE", "DELETE"):
        row = "OLD" if event == "DELETE" else "NEW"
        statements.append(
            f"CREATE TRIGGER {table}_search_{event.lower()} AFTER {event} ON {table} "
            f"BEGIN INSERT INTO {TABLE} (resource_id) VALUES ({row}.{column}); END"
        )
    return statements


# A platform's names are in each of its resources' documents: a rename logs all of them.
_PLATFORM_POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION registry_platform_search_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {TABLE} (resource_id) SELECT id FROM registry_resource WHERE platform_id = NEW.id;
  RETURN NULL;
END $$""",
    "CREATE TRIGGER registry_platform_search_update AFTER UPDATE ON registry_platform "
    "FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.name_en IS DISTINCT FROM "
    "NEW.name_en OR OLD.slug IS DISTINCT FROM NEW.slug) "
    "EXECUTE FUNCTION registry_platform_search_change()",
]
_PLATFORM_SQLITE = [
    "CREATE TRIGGER registry_platform_search_update AFTER UPDATE ON registry_platform "
    "WHEN OLD.name IS NOT NEW.name OR OLD.name_en IS NOT NEW.name_en OR OLD.slug IS NOT NEW.slug "
    f"BEGIN INSERT INTO {TABLE} (resource_id) SELECT id FROM registry_resource "
    "WHERE platform_id = NEW.id; END"
]


def trigger_statements(vendor: str, sources: tuple[tuple[str, str], ...]) -> list[str]:
    """The SQL that makes ``sources`` write the log (``registry_platform`` is a source of its
    own: its rename logs every resource of the platform)."""
    statements: list[str] = []
    make = _postgres_statements if vendor == "postgresql" else _sqlite_statements
    for table, column in sources:
        if table == "registry_platform":
            statements += _PLATFORM_POSTGRES if vendor == "postgresql" else _PLATFORM_SQLITE
        else:
            statements += make(table, column)
    return statements


def drop_statements(vendor: str, sources: tuple[tuple[str, str], ...]) -> list[str]:
    statements = []
    for table, _column in sources:
        events = ["update"] if table == "registry_platform" else ["insert", "update", "delete"]
        on = f" ON {table}" if vendor == "postgresql" else ""
        statements += [f"DROP TRIGGER IF EXISTS {table}_search_{e}{on}" for e in events]
        if vendor == "postgresql":
            statements.append(f"DROP FUNCTION IF EXISTS {table}_search_change()")
    return statements


# Reading ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Batch:
    """The resources changed between two positions of the log."""

    resource_ids: list[str]
    position: int


class Changes:
    """Reads the log from a position. ``own_writes``: by id, including this transaction's."""

    def __init__(self, *, own_writes: bool = False) -> None:
        self.by_transaction = connection.vendor == "postgresql" and not own_writes

    def head(self) -> int:
        """A position the index must reach to hold every change committed so far: past every
        transaction begun (PostgreSQL), or the last line (SQLite)."""
        return self._position("pg_snapshot_xmax")

    def start(self) -> int:
        """Where an index built by reading the whole database now goes on from: every line
        before this position is in what that read will find (below the oldest transaction still
        running, on PostgreSQL; the last line, on SQLite)."""
        return self._position("pg_snapshot_xmin")

    def start_of_log(self) -> int:
        return 0

    def _position(self, snapshot_bound: str) -> int:
        with connection.cursor() as cursor:
            if self.by_transaction:
                cursor.execute(f"SELECT {snapshot_bound}(pg_current_snapshot())::text")
            else:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {TABLE}")
            return int(cursor.fetchone()[0])

    def since(self, position: int, *, limit: int = 100_000) -> Batch:
        """The resources changed after ``position``, and the position that reading them reaches
        (by id, at most ``limit`` lines at a time)."""
        if self.by_transaction:
            return self._since_transaction(position)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, resource_id FROM {TABLE} WHERE id > %s ORDER BY id LIMIT %s",
                [position, limit],
            )
            rows = cursor.fetchall()
        if not rows:
            return Batch([], position)
        ids = list(dict.fromkeys(_uuid_text(row[1]) for row in rows))
        return Batch(ids, int(rows[-1][0]))

    def _since_transaction(self, position: int) -> Batch:
        """The lines of the transactions from ``position`` to the oldest one still running."""
        upto = self.start()
        if upto <= position:
            return Batch([], position)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT DISTINCT resource_id::text FROM {TABLE} "
                "WHERE txid >= %s::text::xid8 AND txid < %s::text::xid8",
                [str(position), str(upto)],
            )
            return Batch([row[0] for row in cursor.fetchall()], upto)


def _uuid_text(value: Any) -> str:
    """A resource id as the index keeps it (SQLite stores UUIDs as 32 hex digits)."""
    text = str(value)
    if len(text) == 32:
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
    return text


def prune(*, keep: timedelta) -> int:
    """Deletes the lines older than ``keep``; returns how many went."""
    from registry.models import SearchChange

    deleted, _ = SearchChange.objects.filter(at__lt=timezone.now() - keep).delete()
    return deleted
