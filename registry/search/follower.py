"""Keeping the index current: it follows the change log (``registry.search.changelog``).

``catch_up`` reads the log from the index's position, re-reads the resources it names from the
database and commits their documents together with the new position: a follower killed at any
moment loses nothing, it reads the same lines again when it starts. ``rebuild`` writes every
document anew. ``follow`` is the follower's loop (``manage.py follow_search_index``): one process
per index directory writes; every other process only reads.

With the index in memory (``SEARCH_INDEX_DIR`` empty: the tests) each process follows the log
itself, including its own transaction's lines, before it searches (``ensure_current``).
"""

import logging
import signal
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection

from registry.search import documents
from registry.search.changelog import Changes, prune
from registry.search.index import SearchIndex, SearchUnavailable, get_index

logger = logging.getLogger("registry.search")
CHUNK = 2000
PRUNE_EVERY = 3600.0  # seconds between prunings of the change log


def _write(index: SearchIndex, resource_ids: list[str], position: int) -> None:
    from registry.models import Resource

    found: list[dict[str, Any]] = []
    for start in range(0, len(resource_ids), CHUNK):
        chunk = resource_ids[start : start + CHUNK]
        found += documents.documents(Resource.objects.filter(pk__in=chunk))
    present = {document["id"] for document in found}
    index.apply(found, [pk for pk in resource_ids if pk not in present], position)


def catch_up(index: SearchIndex | None = None, *, own_writes: bool = False) -> int:
    """Applies the log's new lines; returns how many resources were re-read."""
    index = index or get_index()
    changes = Changes(own_writes=own_writes)
    position = index.position() if index.exists() else None
    fresh = position is None
    if fresh and index.in_memory:
        position = changes.start_of_log()  # an index in memory follows the log from its start
    if position is None:
        return rebuild(index, own_writes=own_writes)
    batch = changes.since(position)
    if batch.position == position and not fresh:
        return 0
    _write(index, batch.resource_ids, batch.position)
    return len(batch.resource_ids)


def rebuild(
    index: SearchIndex | None = None,
    *,
    own_writes: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Writes every resource's document anew, in one commit; returns how many."""
    index = index or get_index()
    # Everything the log holds before this position is in the documents read after it.
    position = Changes(own_writes=own_writes).start()

    def chunks() -> Iterator[list[dict[str, Any]]]:
        for chunk in documents.all_documents(chunk_size=CHUNK):
            yield chunk
            if progress is not None:
                progress(len(chunk))

    return index.replace_all(chunks(), position)


def ensure_current() -> None:
    """Before a search in a process that follows the log itself (the index in memory), the
    lines written since, this transaction's own included."""
    index = get_index()
    if index.in_memory:
        catch_up(index, own_writes=True)


def wait_until_current(*, timeout: float) -> bool:
    """Waits until the index holds every change committed before the call (subscription matching
    never judges an event by an index that has not taken it in); False after ``timeout``."""
    index = get_index()
    if index.in_memory:
        catch_up(index, own_writes=True)
        return True
    head = Changes().head()
    deadline = time.monotonic() + timeout
    while True:
        try:
            position = index.position()
        except SearchUnavailable:
            position = None
        if position is not None and position >= head:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


class Follower:
    """The loop of ``manage.py follow_search_index``: catch up, sleep, again, until stopped."""

    def __init__(self, *, interval: float, index: SearchIndex | None = None) -> None:
        self.interval = interval
        self.index = index or get_index()
        self.stopping = False
        self.pruned_at = 0.0

    def stop(self, *_: Any) -> None:
        self.stopping = True

    def run(self, *, once: bool = False) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        while not self.stopping:
            try:
                applied = catch_up(self.index)
                if applied:
                    logger.info("search index: %d resource(s) re-read", applied)
                self._prune()
            except Exception:
                logger.exception("search index: catching up failed; trying again")
                connection.close()
                applied = 0
            if once:
                break
            if not applied:
                close_old_connections()
                time.sleep(self.interval)
        self.index.release_writer()

    def _prune(self) -> None:
        if time.monotonic() - self.pruned_at < PRUNE_EVERY:
            return
        self.pruned_at = time.monotonic()
        deleted = prune(keep=timedelta(days=settings.SEARCH_CHANGES_KEEP_DAYS))
        if deleted:
            logger.info("search index: %d old change-log line(s) pruned", deleted)
