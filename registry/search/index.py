"""The search index: a Tantivy index of every resource, a projection of the database.

One document per resource (drafts and withdrawn ones too: visibility is a filter), with

- the **text fields** ranked by BM25, each holding the tokens of ``registry.search.tokens``
  joined by spaces and split again by a whitespace analyzer, so the segmentation, the codes kept
  whole and the folding stay ours: ``name`` (Chinese and English names), ``tags``, ``platform``
  (the platform's names and short names), ``summary`` (with the type's names) and
  ``description`` (with the type attributes' values);
- the **filter fields**, one raw term per value, each a fast field so facets are counted by
  Tantivy's terms aggregations: ``resource_type``, ``platform_slug``, ``platform_id``,
  ``regions`` (province codes, ``NATIONWIDE`` for a nationwide resource), ``industries``,
  ``access_model``, ``sizes``, ``tag`` (whole tag names), ``batches`` (batch numbers listed in),
  ``status``; ``updated_at`` and ``listed_at`` (dates) and ``name_sort`` for the orderings;
- ``id``, ``display_name`` and ``display_name_en``, stored, for hits and suggestions, and
  ``recency`` (``recency()``), which weights each score so that equally ranked hits come most
  recently updated first.

One more document, ``kind_of=position``, holds how far through the change log the index has read
(``registry.search.changelog``); it is written in the same commit as the changes it covers, so
the index and its position never disagree, whatever kills the writer.

A process opens the index lazily (after gunicorn forks: Tantivy starts threads) and reloads its
reader when the writer's last commit changed ``meta.json``. With ``SEARCH_INDEX_DIR`` empty the
index lives in memory and each process follows the log itself before it searches (the tests).
"""

import itertools
import os
import shutil
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import tantivy
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError

TEXT_FIELDS = ("name", "tags", "platform", "summary", "description")
FILTER_FIELDS = (
    "resource_type",
    "platform_slug",
    "platform_id",
    "regions",
    "industries",
    "access_model",
    "sizes",
    "tag",
    "batches",
    "status",
)
NATIONWIDE = "000000"  # the region term of a nationwide resource: it is available in every region
NEVER = datetime(1970, 1, 1, tzinfo=UTC)  # ``listed_at`` of a resource never listed
POSITION_ID = "position"
ANALYZER = "registry_tokens"
MAX_TOKEN_BYTES = 255  # longer "words" (a pasted hash, a run of letters) are not indexed
WRITER_HEAP = 64_000_000
# Written beside the index; a change to the schema or to what the fields hold raises it, and an
# index of another version is rebuilt by its follower (readers answer 503 until then).
SCHEMA_VERSION = "2"
VERSION_FILE = "registry-schema-version"


RECENCY_FROM = datetime(2020, 1, 1, tzinfo=UTC)
RECENCY_YEARS = 10
RECENCY_RANGE = 0.02  # Tantivy multiplies a score by log2(2 + recency): at most 1.4 % apart


def recency(updated_at: datetime) -> float:
    """``updated_at`` as a small, growing weight: 0 in 2020, ``RECENCY_RANGE`` ten years later.
    An hour apart is about two steps of a score's 32-bit precision."""
    years = (updated_at - RECENCY_FROM).total_seconds() / (365.25 * 86400)
    return RECENCY_RANGE * min(max(years / RECENCY_YEARS, 0.0), 1.0)


class SearchUnavailable(DomainError):
    """The index is missing or unreadable: searches answer 503 until it is rebuilt."""

    status = 503
    problem = "search-unavailable"

    def __init__(self, reason: str = "") -> None:
        super().__init__(
            _(
                "Search is unavailable: the search index is missing or unreadable. Lists without q "
                "still work; an operator rebuilds it with manage.py rebuild_search_index."
            )
        )
        self.reason = reason


def _schema() -> Any:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", fast=True)
    builder.add_text_field("kind_of", tokenizer_name="raw")
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name=ANALYZER, index_option="freq")
    for name in FILTER_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_text_field("name_sort", tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_text_field("display_name", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field(
        "display_name_en", stored=True, tokenizer_name="raw", index_option="basic"
    )
    builder.add_date_field("updated_at", fast=True, indexed=True)
    builder.add_date_field("listed_at", fast=True, indexed=True)
    builder.add_float_field("recency", fast=True)  # weights scores: ties go to the newer
    builder.add_unsigned_field("position", stored=True)
    return builder.build()


SCHEMA = _schema()


def _analyzer() -> Any:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace())
        .filter(tantivy.Filter.remove_long(MAX_TOKEN_BYTES))
        .build()
    )


_generations = itertools.count(1)  # unique in the process, whichever index handle draws one


@dataclass
class _Opened:
    index: Any
    pid: int
    stamp: tuple[float, int] | None  # meta.json's (mtime, size) the reader last loaded


class SearchIndex:
    """The process's handle on the index: a reader reloaded after each commit, and the writer
    (taken by the follower and the rebuild only: Tantivy lets one process write)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._opened: _Opened | None = None
        self._lock = threading.Lock()
        self._writer: Any = None
        # Grows whenever what this process reads may have changed (an opening, a reload, a
        # commit of its own): the key under which search results may be kept (engine.RESULTS).
        self.generation = next(_generations)

    # Opening ------------------------------------------------------------------------------

    @property
    def in_memory(self) -> bool:
        return self.path is None

    def _meta_stamp(self) -> tuple[float, int] | None:
        if self.path is None:
            return None
        try:
            stat = (self.path / "meta.json").stat()
        except OSError:
            return None
        return (stat.st_mtime, stat.st_size)

    def exists(self) -> bool:
        return self.path is None or (self.path / "meta.json").exists()

    def _open(self, *, create: bool) -> Any:
        if self.path is None:
            index = tantivy.Index(SCHEMA)
        else:
            if not create and not self.exists():
                raise SearchUnavailable("no index at " + str(self.path))
            version = self.path / VERSION_FILE
            current = version.exists() and version.read_text().strip() == SCHEMA_VERSION
            if not current and not create:
                raise SearchUnavailable("the index was written for another schema")
            try:
                if not current:
                    raise ValueError("another schema")
                index = tantivy.Index(SCHEMA, path=str(self.path), reuse=True)
            except (OSError, ValueError) as error:
                if not create:
                    raise SearchUnavailable(str(error)) from error
                # Unreadable or of another schema, and about to be written anew: start afresh.
                shutil.rmtree(self.path, ignore_errors=True)
                self.path.mkdir(parents=True)
                index = tantivy.Index(SCHEMA, path=str(self.path), reuse=False)
                version.write_text(SCHEMA_VERSION + "\n")
        index.register_tokenizer(ANALYZER, _analyzer())
        index.config_reader(reload_policy="manual")
        return index

    def index(self, *, create: bool = False) -> Any:
        """The open index (opened in this process on first use, again after a fork)."""
        with self._lock:
            opened = self._opened
            if opened is None or opened.pid != os.getpid():
                self._writer = None
                opened = _Opened(self._open(create=create), os.getpid(), self._meta_stamp())
                self._opened = opened
                self.generation = next(_generations)
            return opened.index

    def searcher(self) -> Any:
        """A searcher over the last commit (reloaded when another process has committed)."""
        index = self.index()
        opened = self._opened
        stamp = self._meta_stamp()
        if opened is not None and stamp != opened.stamp:
            try:
                index.reload()
            except (OSError, ValueError) as error:
                raise SearchUnavailable(str(error)) from error
            opened.stamp = stamp
            self.generation = next(_generations)
        return index.searcher()

    def close(self) -> None:
        """Forgets the open index (the next use opens it again): after a rebuild elsewhere."""
        with self._lock:
            self._opened = None
            self._writer = None

    # Reading the position -------------------------------------------------------------------

    def position(self) -> int | None:
        """How far through the change log the index has read; None before its first commit."""
        searcher = self.searcher()
        found = searcher.search(tantivy.Query.term_query(SCHEMA, "id", POSITION_ID), 1)
        if not found.hits:
            return None
        values = searcher.doc(found.hits[0][1]).to_dict().get("position") or [0]
        return int(values[0])

    def health(self) -> str | None:
        """None when the index can be searched; else why not."""
        try:
            if self.position() is None:
                return "the index has never been built"
        except SearchUnavailable as error:
            return error.reason or "unreadable"
        except (OSError, ValueError) as error:
            return str(error)
        return None

    # Writing ---------------------------------------------------------------------------------

    def writer(self) -> Any:
        index = self.index(create=True)
        if self._writer is None:
            self._writer = index.writer(WRITER_HEAP, 1)
        return self._writer

    def apply(self, documents: list[dict[str, Any]], removed: list[str], position: int) -> None:
        """Writes these documents (replacing any of the same id), removes ``removed``, records
        ``position`` and commits: all of it, or (on a crash) none of it."""
        writer = self.writer()
        for resource_id in removed:
            writer.delete_documents_by_term("id", resource_id)
        for document in documents:
            writer.delete_documents_by_term("id", document["id"])
            writer.add_document(tantivy.Document(**document))
        self._commit(position)

    def replace_all(self, chunks: Iterable[list[dict[str, Any]]], position: int) -> int:
        """Every document anew, a chunk at a time, in one commit; returns how many."""
        writer = self.writer()
        writer.delete_all_documents()
        written = 0
        for chunk in chunks:
            for document in chunk:
                writer.add_document(tantivy.Document(**document))
            written += len(chunk)
        self._commit(position)
        return written

    def _commit(self, position: int) -> None:
        writer = self.writer()
        writer.delete_documents_by_term("id", POSITION_ID)
        writer.add_document(tantivy.Document(id=POSITION_ID, kind_of="position", position=position))
        writer.commit()
        self.index().reload()  # this process reads what it wrote at once
        self.generation = next(_generations)
        if self._opened is not None:
            self._opened.stamp = self._meta_stamp()

    def release_writer(self) -> None:
        """Lets another process write (the writer's lock goes with it)."""
        if self._writer is not None:
            self._writer.wait_merging_threads()
            self._writer = None


_index: SearchIndex | None = None
_index_lock = threading.Lock()


def configured_path() -> Path | None:
    directory = getattr(settings, "SEARCH_INDEX_DIR", "")
    return Path(directory) if directory else None


def get_index() -> SearchIndex:
    """This process's index handle, for the configured ``SEARCH_INDEX_DIR``."""
    global _index
    with _index_lock:
        path = configured_path()
        if _index is None or _index.path != path:
            _index = SearchIndex(path)
        return _index


def reset_index() -> None:
    """A new, empty in-memory index (the tests start each from nothing)."""
    global _index
    with _index_lock:
        _index = None
