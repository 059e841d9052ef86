"""Searching the index: ``q`` and the filters beside it, ranked, paged and counted by Tantivy.

**Matching.** A resource matches when it satisfies every term of ``q`` (``Term``: any of its
alternatives, filters or fuzzy words) and every filter. When fewer than ``FEW`` resources do, the
list widens to the resources that satisfy some terms (``Mode.SOME``), so a sentence or a query with
one word too many still finds the best there is; the complete matches come first all the same.

**Ranking** is BM25 per field, weighted: the name and the tags above the platform above the summary
(and the type's names) above the description (and the attributes) (``FIELD_BOOSTS``, chosen on the
relevance set: ``make search-eval``); a word within one edit of the one typed counts a fraction of
an exact one. In ``Mode.SOME`` every satisfied term first adds ``COVERAGE``, so resources covering
more of the query come first, BM25 ordering those that cover as much. Equally ranked resources come
most recently updated first (to within about an hour: ``recency``).

**Filters** are exact terms of the filter fields (``registry.search.index``), and who may see what
is one more: drafts only for their platform's members and for curators (``Visibility``).
"""

import enum
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import tantivy

from registry.search.index import NATIONWIDE, SCHEMA, TEXT_FIELDS, SearchUnavailable, get_index
from registry.search.query import Term

FIELD_BOOSTS = {
    "name": 4.0,
    "tags": 4.0,
    "platform": 2.5,
    "summary": 2.0,
    "description": 1.0,
}
TIE_BREAKER = 0.4  # how much the fields after a token's best field add to its score
FUZZY_BOOST = 0.3
CORRECTION_BOOST = 0.6  # a word within one edit of the one typed, ranked below exact matches
CORRECTION_FIELDS = ("name", "tags", "summary")
MAX_CORRECTIONS = 5
FILTER_SCORE = 1.0  # what a name matched as a filter (a province, a platform) adds
NATIONWIDE_SCORE = 0.3
COVERAGE = 1000.0
FEW = 10  # fewer resources matching every term than this, and the list widens to partial matches
MAX_WINDOW = 10_000  # how deep into a ranking a page may start
ORDERINGS = {  # the index's fast field of each ordering but relevance
    "-updated_at": ("updated_at", tantivy.Order.Desc),
    "-listed_at": ("listed_at", tantivy.Order.Desc),
    "name": ("name_sort", tantivy.Order.Asc),
}


class Mode(enum.StrEnum):
    ALL = "all"
    SOME = "some"


@dataclass(frozen=True)
class Visibility:
    """What the searcher may see: everything (curators), or public resources (active,
    withdrawn) and the drafts of their own platforms."""

    everything: bool = False
    own_platforms: tuple[str, ...] = ()


@dataclass
class Filters:
    """The filters beside ``q``: field → accepted values (any of them), and a lower bound on
    ``updated_at``."""

    terms: dict[str, list[str]] = field(default_factory=dict)
    updated_since: datetime | None = None
    visibility: Visibility = field(default_factory=lambda: Visibility(everything=True))

    def without(self, name: str) -> "Filters":
        terms = {key: values for key, values in self.terms.items() if key != name}
        return Filters(terms, self.updated_since, self.visibility)

    def key(self) -> tuple[Any, ...]:
        chosen = tuple(
            sorted((name, tuple(values)) for name, values in self.terms.items() if values)
        )
        return (chosen, self.updated_since, self.visibility)


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


# Queries ---------------------------------------------------------------------------------------


def _token(token: str) -> Any:
    return tantivy.Query.disjunction_max_query(
        [
            tantivy.Query.boost_query(
                tantivy.Query.term_query(SCHEMA, name, token, index_option="freq"), boost
            )
            for name, boost in FIELD_BOOSTS.items()
        ],
        tie_breaker=TIE_BREAKER,
    )


def _fuzzy(word: str) -> Any:
    return tantivy.Query.boost_query(
        tantivy.Query.disjunction_max_query(
            [tantivy.Query.fuzzy_term_query(SCHEMA, name, word) for name in FIELD_BOOSTS]
        ),
        FUZZY_BOOST,
    )


def all_of(queries: list[Any]) -> Any:
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, query) for query in queries])


def any_of(queries: list[Any]) -> Any:
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, query) for query in queries])


class _Vocabulary:
    """Whether the index holds a word (a fuzzy word it holds is searched exactly), and the words
    it holds within one edit of one it does not."""

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher
        self.known: dict[str, bool] = {}
        self.near: dict[str, list[str]] = {}

    def corrections(self, word: str) -> list[str]:
        """The index's most used words within one edit of ``word`` that share its first
        character (its first two, for a Latin word); Tantivy's own fuzzy query catches the rest,
        unranked."""
        if word not in self.near:
            prefix = word[:2] if word.isascii() else word[:1]
            counts: dict[str, int] = {}
            for name in CORRECTION_FIELDS:
                for candidate, count in self.searcher.terms_with_prefix(name, prefix):
                    if abs(len(candidate) - len(word)) <= 1 and _one_edit(candidate, word):
                        counts[candidate] = counts.get(candidate, 0) + count
            ranked = sorted(counts, key=lambda candidate: -counts[candidate])
            self.near[word] = ranked[:MAX_CORRECTIONS]
        return self.near[word]

    def __contains__(self, word: str) -> bool:
        if word not in self.known:
            self.known[word] = any(self.searcher.doc_freq(name, word) > 0 for name in TEXT_FIELDS)
        return self.known[word]


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one substitution, insertion, deletion or transposition."""
    if a == b:
        return False
    if len(a) == len(b):
        differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(differ) == 1 or (
            len(differ) == 2
            and differ[1] == differ[0] + 1
            and a[differ[0]] == b[differ[1]]
            and a[differ[1]] == b[differ[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def term_query(term: Term, vocabulary: _Vocabulary) -> Any | None:
    """What satisfies ``term``: any of its alternatives, filters and fuzzy words. A fuzzy word
    counts where the index does not know the term's words (or the term is ``suspect``): as
    itself if the index knows it, else as the words the index holds within one edit of it."""
    either = [all_of([_token(token) for token in alternative]) for alternative in term.alternatives]
    known = any(all(token in vocabulary for token in alt) for alt in term.alternatives)
    for word in term.fuzzy:
        if word in vocabulary:
            if (word,) not in term.alternatives:
                either.append(_token(word))
        elif term.suspect or not known:
            either += [
                tantivy.Query.boost_query(_token(near), CORRECTION_BOOST)
                for near in vocabulary.corrections(word)
            ]
            either.append(_fuzzy(word))
    by_field: dict[tuple[str, float], list[str]] = {}
    for name, value in term.filters:
        # A resource available everywhere satisfies a province's name, below those named there.
        score = NATIONWIDE_SCORE if value == NATIONWIDE else FILTER_SCORE
        by_field.setdefault((name, score), []).append(value)
    for (name, score), values in by_field.items():
        either.append(
            tantivy.Query.const_score_query(
                tantivy.Query.term_set_query(SCHEMA, name, values), score
            )
        )
    return any_of(either) if either else None


def text_query(terms: list[Term], vocabulary: _Vocabulary, mode: Mode) -> Any:
    parts = [query for term in terms if (query := term_query(term, vocabulary)) is not None]
    if not parts:
        return tantivy.Query.empty_query()
    if mode is Mode.ALL:
        return all_of(parts)
    return any_of(
        [
            tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Should, tantivy.Query.const_score_query(part, COVERAGE)),
                    (tantivy.Occur.Should, part),
                ]
            )
            for part in parts
        ]
    )


def _visibility(visibility: Visibility) -> Any | None:
    if visibility.everything:
        return None
    public = tantivy.Query.term_set_query(SCHEMA, "status", ["active", "withdrawn"])
    if not visibility.own_platforms:
        return public
    own = tantivy.Query.term_set_query(SCHEMA, "platform_id", list(visibility.own_platforms))
    return any_of([public, own])


def filter_queries(filters: Filters) -> list[Any]:
    queries = []
    for name, values in filters.terms.items():
        if values:
            if name == "regions":
                values = [*values, NATIONWIDE]
            queries.append(tantivy.Query.term_set_query(SCHEMA, name, list(values)))
    if filters.updated_since is not None:
        queries.append(
            tantivy.Query.range_query(
                SCHEMA, "updated_at", tantivy.FieldType.Date, lower_bound=filters.updated_since
            )
        )
    visible = _visibility(filters.visibility)
    if visible is not None:
        queries.append(visible)
    return queries


def _combined(text: Any, filters: Filters) -> Any:
    parts = [(tantivy.Occur.Must, text)]
    parts += [(tantivy.Occur.Must, query) for query in filter_queries(filters)]
    return tantivy.Query.boolean_query(parts) if len(parts) > 1 else text


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
    _vocabulary: _Vocabulary | None = None

    def __post_init__(self) -> None:
        self.generation: int | None = None  # None: results not kept (a searcher of the caller's)
        if self.searcher is None:
            self.searcher = current_searcher()
            self.generation = get_index().generation
        self._vocabulary = _Vocabulary(self.searcher)

    def _kept(self, what: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        if self.generation is None:
            return compute()
        key = (self.generation, tuple(self.terms), self.filters.key(), self.mode, *what)
        return RESULTS.get(key, compute)

    def query(self, filters: Filters | None = None, mode: Mode | None = None) -> Any:
        assert self._vocabulary is not None
        text = text_query(self.terms, self._vocabulary, mode or self.mode)
        return _combined(text, filters or self.filters)

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
