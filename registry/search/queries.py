"""How ``q`` and the filters become Tantivy queries: each term's alternatives over the weighted
fields (``FIELD_BOOSTS``), fuzzy words and corrections within one edit, the names matched as
filters (a province, a platform), and the filters and visibility as exact terms. The engine
(``registry.search.engine``) runs them."""

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import tantivy

from registry.search.index import NATIONWIDE, SCHEMA, TEXT_FIELDS
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
# The dates the engine holds (nanoseconds since 1970 in 64 bits): an ``updated_since`` outside them
# is answered without a range (every resource, or none) rather than an error.
EARLIEST_DATE = datetime(1678, 1, 1, tzinfo=UTC)
LATEST_DATE = datetime(2262, 1, 1, tzinfo=UTC)
COVERAGE = 1000.0


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


class Vocabulary:
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


def term_query(term: Term, vocabulary: Vocabulary) -> Any | None:
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


def text_query(terms: list[Term], vocabulary: Vocabulary, mode: Mode) -> Any:
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
        if filters.updated_since > LATEST_DATE:
            queries.append(tantivy.Query.empty_query())  # nothing was updated after then
        elif filters.updated_since > EARLIEST_DATE:  # before, every resource matches
            queries.append(
                tantivy.Query.range_query(
                    SCHEMA, "updated_at", tantivy.FieldType.Date, lower_bound=filters.updated_since
                )
            )
    visible = _visibility(filters.visibility)
    if visible is not None:
        queries.append(visible)
    return queries


def combined(text: Any, filters: Filters) -> Any:
    parts = [(tantivy.Occur.Must, text)]
    parts += [(tantivy.Occur.Must, query) for query in filter_queries(filters)]
    return tantivy.Query.boolean_query(parts) if len(parts) > 1 else text
