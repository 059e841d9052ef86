"""What ``q`` matches, and how well: the query side of search.

A query is a list of **terms**, every one of which must match. A term is the set of its
**alternatives** (the words of its synonym group), any of which may match; an alternative is one
or more tokens that must all be in the document (``large model`` → ``large`` and ``model``).
Synonym phrases are found in the query first (longest first), the rest is tokenized.

On PostgreSQL the query becomes a ``tsquery`` matched against the GIN-indexed ``tsvector`` and
ranked by ``ts_rank`` over the document's A and B lexemes (``rank_document``: names, tags, type and
platform names), with their weights; on SQLite each token is looked up in the same
document text with ``LIKE`` and the rank is simpler (name hits above summary hits above the rest).
"""

import re
import time
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from registry.search.documents import lexeme
from registry.search.tokens import normalise, query_tokens

MAX_TERMS = 8
SYNONYMS_TTL = 60.0  # seconds a process keeps the synonym groups before reading them again


@dataclass(frozen=True)
class Term:
    alternatives: tuple[tuple[str, ...], ...]

    @property
    def tokens(self) -> set[str]:
        return {token for alternative in self.alternatives for token in alternative}


# Synonyms --------------------------------------------------------------------------------------

_cache: dict[str, Any] = {"at": -SYNONYMS_TTL, "groups": []}


def synonym_groups() -> list[list[str]]:
    """The active synonym groups, normalised (read again after ``SYNONYMS_TTL``, or at once
    after a change in this process)."""
    now = time.monotonic()
    if now - _cache["at"] >= SYNONYMS_TTL:
        from registry.models import SynonymGroup

        groups = [
            [normalise(term) for term in group.term_list()]
            for group in SynonymGroup.objects.filter(active=True)
        ]
        _cache.update(at=now, groups=[g for g in groups if len(g) > 1])
    return list(_cache["groups"])


def forget_synonyms(**_: Any) -> None:
    _cache["at"] = -SYNONYMS_TTL


def _alternatives(words: list[str]) -> tuple[tuple[str, ...], ...]:
    found = (tuple(query_tokens(word)) for word in words)
    return tuple(dict.fromkeys(alternative for alternative in found if alternative))


def parse(q: str) -> list[Term]:
    """The terms of ``q`` (at most ``MAX_TERMS``), synonyms expanded."""
    text = normalise(q)
    groups = synonym_groups()
    phrases = sorted(
        {(term, index) for index, group in enumerate(groups) for term in group},
        key=lambda pair: -len(pair[0]),
    )
    terms: list[Term] = []
    for phrase, index in phrases:
        ascii_phrase = phrase.isascii()
        pattern = (
            rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])" if ascii_phrase else re.escape(phrase)
        )
        if re.search(pattern, text):
            text = re.sub(pattern, " ", text)
            terms.append(Term(_alternatives(groups[index])))
    for token in query_tokens(text):
        terms.append(Term(((token,),)))
    unique = list(dict.fromkeys(term for term in terms if term.alternatives))
    return unique[:MAX_TERMS]


def highlight_tokens(q: str) -> set[str]:
    """Every token a hit for ``q`` may contain (for marking matches)."""
    return {token for term in parse(q) for token in term.tokens}


# PostgreSQL -------------------------------------------------------------------------------------


class _TsQuery(Func):
    template = "(%(expressions)s)::tsquery"
    output_field = FloatField()  # only ever an argument


class _Matches(Func):
    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class _TsRank(Func):
    """``ts_rank`` as a double: its own ``real`` reaches Python rounded (0.6079271), so a cursor
    carrying that value would not equal the row's rank and the next page would repeat this one."""

    function = "ts_rank"
    template = "%(function)s(%(expressions)s)::double precision"
    output_field = FloatField()


def tsquery(terms: list[Term], *, prefix: bool = False) -> str:
    """The tsquery text of ``terms``; with ``prefix`` the last token matches any continuation."""
    parts = []
    for position, term in enumerate(terms):
        alternatives = []
        for alternative in term.alternatives:
            tokens = [lexeme(token) for token in alternative]
            if prefix and position == len(terms) - 1:
                tokens = [f"{token}:*" for token in tokens]
            alternatives.append("(" + " & ".join(tokens) + ")")
        parts.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(parts)


def _postgres() -> bool:
    return connection.vendor == "postgresql"


# Both databases ---------------------------------------------------------------------------------


def _token_condition(token: str, *, prefix: bool = False) -> Q:
    needle = "'" + token.replace("'", "''")
    return Q(search_document__contains=needle if prefix else needle + "':")


def matches(terms: list[Term], *, prefix: bool = False) -> Any:
    """A filter condition: the document holds every term (one of its alternatives each)."""
    if _postgres():
        return _Matches(F("search_document"), _TsQuery(Value(tsquery(terms, prefix=prefix))))
    condition = Q()
    for position, term in enumerate(terms):
        last = prefix and position == len(terms) - 1
        either = Q()
        for alternative in term.alternatives:
            both = Q()
            for token in alternative:
                both &= _token_condition(token, prefix=last)
            either |= both
        condition &= either
    return condition


def search(queryset: QuerySet[Any], q: str) -> QuerySet[Any]:
    """Resources matching every term of ``q``: none when ``q`` holds no word at all (``%``)."""
    terms = parse(q)
    if not terms:
        return queryset if not q.strip() else queryset.none()
    return queryset.filter(matches(terms))


def with_rank(queryset: QuerySet[Any], q: str) -> QuerySet[Any]:
    """``queryset`` annotated with the relevance ``rank`` of each resource for ``q``."""
    terms = parse(q)
    if not terms:
        return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    if _postgres():
        # The small A/B vector kept in the row: ranking a third of the catalogue by the whole
        # document (kept out of line) costs ten times more, and ranks no better (relevance set).
        rank = _TsRank(F("rank_document"), _TsQuery(Value(tsquery(terms))))
        return queryset.annotate(rank=rank)
    score: Any = Value(0, output_field=IntegerField())
    for term in terms:
        in_name = Q()
        in_summary = Q()
        for token in term.tokens:
            in_name |= Q(name__icontains=token) | Q(name_en__icontains=token)
            in_summary |= Q(summary__icontains=token) | Q(summary_en__icontains=token)
        score = score + Case(
            When(in_name, then=Value(8)),
            When(in_summary, then=Value(4)),
            default=Value(1),
            output_field=IntegerField(),
        )
    return queryset.annotate(rank=Coalesce(score, Value(0), output_field=IntegerField()))


def matches_text(terms: list[Term], field: str) -> Q:
    """The same terms over a plain, lower-cased text column (batch entries' snapshots): each token
    is looked for as a substring."""
    condition = Q()
    for term in terms:
        either = Q()
        for alternative in term.alternatives:
            both = Q()
            for token in alternative:
                both &= Q(**{f"{field}__contains": token})
            either |= both
        condition &= either
    return condition
