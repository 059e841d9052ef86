"""How PostgreSQL is asked to run a search: through the GIN index, never by reading every row.

A word as common as 算力 (with its synonyms GPU, compute …) matches a third of the catalogue, and
PostgreSQL's planner then prefers to read the whole table and test ``@@`` on each row. It does not
know that each test first fetches the row's search document (two kilobytes kept out of line): the
scan it estimates a little cheaper than the GIN bitmap is in fact ten times slower. The GIN index
answers a query of plain ``&`` and ``|`` exactly, so the bitmap scan never opens a document.

``index_scans()`` runs the queries of a search in one transaction with sequential scans disabled
for that transaction (``set_config(…, true)``, one statement), and JIT compilation off: the
planner's costs of a search over a third of the catalogue cross its JIT threshold, and compiling
costs more than the query saves. Nothing happens on SQLite.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

SETTINGS = {"enable_seqscan": "off", "jit": "off"}


def _set(values: dict[str, str]) -> list[str]:
    """Sets ``values`` for the transaction; returns the values they replace."""
    before = ", ".join("current_setting(%s)" for _ in values)
    after = ", ".join("set_config(%s, %s, true)" for _ in values)
    params = [*values, *(item for pair in values.items() for item in pair)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {before}, {after}", params)
        return list(cursor.fetchone()[: len(values)])


@contextmanager
def index_scans() -> Iterator[None]:
    """The queries inside read search matches through the index (PostgreSQL). In a transaction
    of its own the settings end with it; inside a caller's, they are put back at the end."""
    if connection.vendor != "postgresql":
        yield
        return
    nested = connection.in_atomic_block
    with transaction.atomic():
        previous = _set(SETTINGS)
        yield
        if nested:
            _set(dict(zip(SETTINGS, previous, strict=True)))
