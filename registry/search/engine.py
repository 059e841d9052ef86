"""Searching the index: ``q`` and the filters beside it, ranked, paged and counted by Tantivy.

**Matching.** A resource matches when it satisfies every term of ``q`` (``Term``: any of its
alternatives, filters or fuzzy words) and every filter. When fewer than ``FEW`` resources do, the
list widens to the resources that satisfy some terms (``Mode.SOME``), so a sentence or a query with
one word too many still finds the best there is; the complete matches come first all the same.

**Ranking** is BM25 per field, weighted: the name and the tags above the platform above the summary
(and the type's names) above the description (and the attributes) (``FIELD_BOOSTS`` in
``registry.search.queries``, chosen on the relevance set: ``make search-eval``); a word within one
edit of the one typed counts a fraction of an exact one. In ``Mode.SOME`` every satisfied term
first adds ``COVERAGE``, so resources covering more of the query come first, BM25 ordering those
that cover as much. Equally ranked resources come most recently updated first (to within about an
hour: ``recency``).

**Filters** are exact terms of the filter fields (``registry.search.index``), and who may see what
is one more: drafts only for their platform's members and for curators (``Visibility``).
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import tantivy

from registry.search.index import SearchUnavailable, get_index
from registry.search.queries import (
    Filters,
    Mode,
    Vocabulary,
    combined,
    text_query,
)
from registry.search.query import Term

FEW = 10  # fewer resources matching every term than this, and the list widens to partial matches
MAX_WINDOW = 10_000  # how deep into a ranking a page may start
ORDERINGS = {  # the index's fast field of each ordering but relevance
    "-updated_at": ("updated_at", tantivy.Order.Desc),
    "-listed_at": ("listed_at", tantivy.Order.Desc),
    "name": ("name_sort", tantivy.Order.Asc),
}


class Results:
    """Search results kept per process, by the index's generation: a repeated search (a portal's
    "算力" box, the first page of a popular query) costs a lookup until the index next changes,
    as Elasticsearch's request cache does. Least recently used ones go first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.kept: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        with self.lock:
            if key in self.kept:
                self.kept.move_to_end(key)
                return self.kept[key]
        value = compute()
        with self.lock:
            self.kept[key] = value
            while len(self.kept) > self.size:
                self.kept.popitem(last=False)
        return value

    def clear(self) -> None:
        with self.lock:
            self.kept.clear()


RESULTS = Results(size=512)


@dataclass(frozen=True)
class Hit:
    id: str
    score: float


@dataclass
class Page:
    hits: list[Hit]
    has_more: bool
    mode: Mode


# Searching -------------------------------------------------------------------------------------


def current_searcher() -> Any:
    """A searcher over the index as it is now; 503 (``SearchUnavailable``) without an index."""
    from registry.search.follower import ensure_current

    ensure_current()
    index = get_index()
    if index.position() is None:
        raise SearchUnavailable("the index has never been built")
    return index.searcher()


@dataclass
class Search:
    """One search: ``q``'s terms and the filters, against the index as it is now."""

    terms: list[Term]
    filters: Filters
    searcher: Any = None
    mode: Mode = Mode.ALL
    _vocabulary: Vocabulary | None = None

    def __post_init__(self) -> None:
        self.generation: int | None = None  # None: results not kept (a searcher of the caller's)
        if self.searcher is None:
            self.searcher = current_searcher()
            self.generation = get_index().generation
        self._vocabulary = Vocabulary(self.searcher)

    def _kept(self, what: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        if self.generation is None:
            return compute()
        key = (self.generation, tuple(self.terms), self.filters.key(), self.mode, *what)
        return RESULTS.get(key, compute)

    def query(self, filters: Filters | None = None, mode: Mode | None = None) -> Any:
        assert self._vocabulary is not None
        text = text_query(self.terms, self._vocabulary, mode or self.mode)
        return combined(text, filters or self.filters)

    def settle_mode(self) -> Mode:
        """``Mode.ALL`` when at least ``FEW`` resources satisfy every term, else ``Mode.SOME``
        (those that do come first all the same)."""
        if len(self.terms) > 1:
            count = self._kept(
                ("count",), lambda: self.searcher.search(self.query(mode=Mode.ALL), 1).count
            )
            self.mode = Mode.ALL if count >= FEW else Mode.SOME
        return self.mode

    def page(self, *, ordering: str, offset: int, limit: int) -> Page:
        """``limit`` hits from ``offset`` in ``ordering`` (relevance, -updated_at, -listed_at,
        name), and whether more follow. By relevance each score is weighted by the resource's
        ``recency`` (at most 1.4 % apart), so equally relevant resources come most recently updated
        first, to within about an hour, without another pass over the hits."""
        offset = min(offset, MAX_WINDOW)
        page: Page = self._kept(
            ("page", ordering, offset, limit), lambda: self._page(ordering, offset, limit)
        )
        return page

    def _page(self, ordering: str, offset: int, limit: int) -> Page:
        if ordering == "relevance":
            found = self.searcher.search(
                self.query(), limit + 1, count=False, offset=offset, weight_by_field="recency"
            )
        else:
            field_name, order = ORDERINGS[ordering]
            found = self.searcher.search(
                self.query(),
                limit + 1,
                count=False,
                order_by_field=field_name,
                order=order,
                offset=offset,
            )
        hits = [
            Hit(pk, key) for (key, _a), pk in zip(found.hits, self._ids(found.hits), strict=True)
        ]
        return Page(hits[:limit], len(hits) > limit, self.mode)

    def ids(self, *, limit: int) -> list[str]:
        return self._ids(self.searcher.search(self.query(), limit, count=False).hits)

    def _ids(self, hits: Iterable[tuple[Any, Any]]) -> list[str]:
        return [self.searcher.doc(address)["id"][0] for _key, address in hits]

    def counts(self, facet_field: str, filters: Filters) -> list[tuple[str, int]]:
        """(value, resources) of one facet field over this search with ``filters``."""
        counted: dict[str, list[tuple[str, int]]] = self._kept(
            ("counts", facet_field, filters.key()),
            lambda: self._aggregate(self.query(filters), [facet_field]),
        )
        return counted[facet_field]

    def all_counts(self, facet_fields: list[str]) -> dict[str, list[tuple[str, int]]]:
        """Several facet fields over this search and its filters, in one pass."""
        counted: dict[str, list[tuple[str, int]]] = self._kept(
            ("counts", tuple(facet_fields)),
            lambda: self._aggregate(self.query(), facet_fields),
        )
        return dict(counted)

    def _aggregate(self, query: Any, facet_fields: list[str]) -> dict[str, list[tuple[str, int]]]:
        spec = {name: {"terms": {"field": name, "size": 10_000}} for name in facet_fields}
        result = self.searcher.aggregate(query, spec)
        return {
            name: [(bucket["key"], bucket["doc_count"]) for bucket in result[name]["buckets"]]
            for name in facet_fields
        }


def matching_ids(terms: list[Term], among: list[str], statuses: list[str]) -> set[str]:
    """The ids among ``among`` that every term of the query matches, with one of ``statuses``:
    what a subscription's ``q`` finds among the resources of the events it is matched against."""
    if not among:
        return set()
    if not terms:
        return set()
    filters = Filters({"id": list(among), "status": list(statuses)})
    return set(Search(terms, filters).ids(limit=len(among)))
