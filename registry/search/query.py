"""What ``q`` asks for: its terms, each with the ways a resource may satisfy it.

A query is a list of **terms**. A term is satisfied by any of

- its **alternatives**: groups of tokens that must all be in the resource's text (the words of
  its synonym group; ``large model`` → ``large`` and ``model``);
- its **filters**: exact values of a filter field (a province's name in ``q`` also accepts the
  resources available there, nationwide ones included; a platform's name, its resources);
- its **fuzzy** words: within one edit of a word the index holds, for a word the index does not
  hold (``操做系统`` finds ``操作系统``; ``tensorflw`` finds ``tensorflow``) — ranked below exact
  matches.

Phrases are found in the query first, longest first: the synonym groups, the provinces and cities,
the platforms' names. The rest is tokenized, stop words dropped. How the terms are matched and
ranked is ``registry.search.engine``'s; ``matches_text`` matches them over a plain text column
(batch entries' snapshots, pilots).
"""

import re
import time
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from registry.search.entities import (
    STOP_WORDS,
    Entity,
    access_entities,
    platform_entities,
    region_entities,
)
from registry.search.tokens import HAN, normalise, query_tokens

MAX_TERMS = 12
SYNONYMS_TTL = 60.0  # seconds a process keeps the synonym groups before reading them again
FUZZY_MIN_HAN = 3  # a Chinese word of at least this many characters may carry one typo
FUZZY_MIN_LATIN = 5  # a Latin word of at least this many letters may carry one typo
FUZZY_MAX_HAN = 6


@dataclass(frozen=True)
class Term:
    alternatives: tuple[tuple[str, ...], ...]
    filters: tuple[tuple[str, str], ...] = ()
    fuzzy: tuple[str, ...] = ()
    suspect: bool = False  # the fuzzy words apply even where the index knows the alternatives

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


# Parsing ---------------------------------------------------------------------------------------


def _pattern(phrase: str) -> str:
    if phrase.isascii():
        return rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])"
    return re.escape(phrase)


Phrase = tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]]
_phrase_cache: dict[str, Any] = {"key": None, "phrases": []}


def _phrases() -> list[Phrase]:
    """Every phrase to look for, longest first, with the words it stands for (its synonym
    group's, or itself) and the filter values that satisfy it (a province, a platform …); made
    again when the synonyms or the platforms were read again."""
    groups, platforms = synonym_groups(), platform_entities()
    key = (id(_cache["groups"]), id(platforms))
    if _phrase_cache["key"] != key:
        _phrase_cache.update(key=key, phrases=_made_phrases(groups, platforms))
    return list(_phrase_cache["phrases"])


def _made_phrases(groups: list[list[str]], platforms: tuple[Entity, ...]) -> list[Phrase]:
    found: dict[str, tuple[tuple[str, ...], tuple[tuple[str, str], ...]]] = {}
    for group in groups:
        for term in group:
            words, filters = found.get(term, ((), ()))
            found[term] = (tuple(dict.fromkeys((*words, *group))), filters)
    for entity in [*access_entities(), *region_entities(), *platforms]:
        words, filters = found.get(entity.phrase, ((entity.phrase,), ()))
        found[entity.phrase] = (words, tuple(dict.fromkeys((*filters, *entity.filters))))
    return sorted(
        ((phrase, words, filters) for phrase, (words, filters) in found.items()),
        key=lambda item: -len(item[0]),
    )


def _word_terms(text: str) -> list[Term]:
    """The terms of text that names nothing: a term per content word (stop words dropped)."""
    terms: list[Term] = []
    for piece in re.split(f"({HAN})", text):
        tokens = [token for token in query_tokens(piece) if token not in STOP_WORDS]
        if re.fullmatch(HAN, piece):
            terms += _han_terms(tokens)
            continue
        for token in tokens:
            latin = token.isascii() and token.isalpha() and len(token) >= FUZZY_MIN_LATIN
            terms.append(Term(((token,),), fuzzy=(token,) if latin else ()))
    return terms


def _single(tokens: list[str], index: int) -> bool:
    return 0 <= index < len(tokens) and len(tokens[index]) == 1


def _han_terms(tokens: list[str]) -> list[Term]:
    """The terms of a run of Chinese words. Single characters are the segmenter's sign of a word
    it does not know — a typo, often (``操做系统`` → 操 做 系统): such a run, with the words it
    touches, is one term that may also be matched within one edit. Any other word may be too,
    alone or with a neighbour, where the index does not know it (``智能座仓`` → 智能 座仓)."""
    terms: list[Term] = []
    index = 0
    while index < len(tokens):
        if _single(tokens, index) or _single(tokens, index + 1):
            end = index
            while end < len(tokens) and (
                _single(tokens, end) or _single(tokens, end + 1) or _single(tokens, end - 1)
            ):
                end += 1
            span = tokens[index:end]
            joined = "".join(span)
            if FUZZY_MIN_HAN <= len(joined) <= FUZZY_MAX_HAN:
                terms.append(Term((tuple(span),), fuzzy=(joined,), suspect=True))
            else:
                terms += [Term(((part,),)) for part in span]
            index = end
            continue
        token = tokens[index]
        words = [token]
        if index > 0:
            words.append(tokens[index - 1] + token)
        if index + 1 < len(tokens):
            words.append(token + tokens[index + 1])
        fuzzy = tuple(word for word in words if FUZZY_MIN_HAN <= len(word) <= FUZZY_MAX_HAN)
        terms.append(Term(((token,),), fuzzy=fuzzy))
        index += 1
    return terms


def parse(q: str) -> list[Term]:
    """The terms of ``q`` (at most ``MAX_TERMS``): synonyms expanded, names understood."""
    text = normalise(q)
    terms: list[Term] = []
    for phrase, words, filters in _phrases():
        if phrase not in text:
            continue
        pattern = _pattern(phrase)
        if not re.search(pattern, text):
            continue
        text = re.sub(pattern, " ", text)
        terms.append(Term(_alternatives(list(words)), filters=filters))
    terms += _word_terms(text)
    merged: dict[tuple[Any, ...], Term] = {}
    for term in terms:
        if term.alternatives or term.filters:
            key = (term.alternatives, term.fuzzy)
            known = merged.get(key)
            filters = (*known.filters, *term.filters) if known else term.filters
            merged[key] = Term(
                term.alternatives, tuple(dict.fromkeys(filters)), term.fuzzy, term.suspect
            )
    return list(merged.values())[:MAX_TERMS]


def highlight_tokens(q: str) -> set[str]:
    """Every token a hit for ``q`` may contain (for marking matches)."""
    return {token for term in parse(q) for token in term.tokens}


def matches_text(terms: list[Term], field: str) -> Q:
    """The same terms over a plain, lower-cased text column (batch entries' snapshots): each
    token is looked for as a substring."""
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
