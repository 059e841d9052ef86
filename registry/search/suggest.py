"""Highlights for hits, and completions for what a searcher has typed so far."""

import html
import re
from typing import Any

import tantivy
from django.db.models import Q

from registry.choices import ResourceStatus
from registry.search.engine import RESULTS, current_searcher
from registry.search.index import SCHEMA, get_index
from registry.search.queries import Filters, all_of, filter_queries
from registry.search.query import highlight_tokens
from registry.search.tokens import normalise, query_tokens

SNIPPET_CHARS = 80
MAX_SUGGESTIONS = 10


def _marker(tokens: set[str]) -> re.Pattern[str] | None:
    words = sorted((t for t in tokens if t), key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)


def _mark(text: str, marker: re.Pattern[str]) -> str:
    """``text`` HTML-escaped, each match wrapped in ``<mark>``."""
    out, last = [], 0
    for match in marker.finditer(text):
        out += [
            html.escape(text[last : match.start()]),
            f"<mark>{html.escape(match.group())}</mark>",
        ]
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def _snippet(text: str, marker: re.Pattern[str]) -> str:
    match = marker.search(text)
    if match is None:
        return ""
    start = max(0, match.start() - SNIPPET_CHARS // 3)
    end = min(len(text), start + SNIPPET_CHARS)
    piece = text[start:end]
    return ("…" if start else "") + _mark(piece, marker) + ("…" if end < len(text) else "")


def highlights(resources: list[dict[str, Any]], q: str) -> dict[str, dict[str, str]]:
    """For each resource (a row with its id, names, summaries and descriptions): its name and a
    short snippet with the matched terms marked."""
    marker = _marker(highlight_tokens(q))
    if marker is None:
        return {}
    found = {}
    for resource in resources:
        snippet = ""
        for text in (
            resource["summary"],
            resource["summary_en"],
            resource["description"],
            resource["description_en"],
        ):
            snippet = _snippet(text, marker) if text else ""
            if snippet:
                break
        found[str(resource["id"])] = {
            "name": _mark(resource["name"], marker),
            "name_en": _mark(resource["name_en"], marker),
            "snippet": snippet,
        }
    return found


def suggestions(q: str, user: Any) -> list[dict[str, str]]:
    """Up to ten completions of ``q`` (the last word as a prefix) among the active resources
    ``user`` may see: tags most carried first, then platform names, then resource names (the
    index's most recently updated first) that hold every word typed."""
    from registry.models import Platform
    from registry.search import visibility_of

    text = q.strip()
    if not text:
        return []
    prefix = normalise(text)
    found: list[dict[str, str]] = []
    seen: set[str] = set()

    def add(kind: str, value: str) -> None:
        if value and value.lower() not in seen and len(found) < MAX_SUGGESTIONS:
            seen.add(value.lower())
            found.append({"kind": kind, "text": value})

    searcher = current_searcher()
    visibility = visibility_of(user)
    visible = all_of(filter_queries(Filters({"status": [ResourceStatus.ACTIVE]}, None, visibility)))

    def from_the_index() -> tuple[list[str], list[tuple[str, str]]]:
        tags = searcher.terms_with_prefix(
            "tag", prefix, filter_query=visible, limit=MAX_SUGGESTIONS
        )
        return [tag for tag, _count in tags], _names(searcher, prefix, visible)

    # Kept until the index changes, as searches are (``engine.RESULTS``).
    key = (get_index().generation, "suggest", prefix, visibility)
    tags, names = RESULTS.get(key, from_the_index)
    for tag in tags:
        add("tag", tag)
    for name, name_en in (
        Platform.objects.filter(Q(name__istartswith=text) | Q(name_en__istartswith=text))
        .order_by("name")
        .values_list("name", "name_en")[:MAX_SUGGESTIONS]
    ):
        add("platform", name if name.lower().startswith(text.lower()) else name_en)
    for name, name_en in names:
        add("resource", name if _holds(name, prefix) else name_en)
    return found


def _holds(name: str, prefix: str) -> bool:
    return all(word in normalise(name) for word in prefix.split())


def _names(searcher: Any, prefix: str, visible: Any) -> list[tuple[str, str]]:
    """Resource names holding every word typed, the last one as a prefix of a name's word."""
    tokens = query_tokens(prefix)
    if not tokens:
        return []
    *whole, last = tokens
    continuing = [word for word, _count in searcher.terms_with_prefix("name", last, limit=50)]
    if not continuing:
        return []
    parts = [
        tantivy.Query.term_query(SCHEMA, "name", token, index_option="freq") for token in whole
    ]
    parts.append(tantivy.Query.term_set_query(SCHEMA, "name", continuing))
    query = all_of([*parts, visible])
    hits = searcher.search(
        query, MAX_SUGGESTIONS * 2, count=False, order_by_field="updated_at"
    ).hits
    names = []
    for _key, address in hits:
        document = searcher.doc(address)
        name, name_en = document["display_name"][0], document["display_name_en"][0]
        if _holds(name, prefix) or _holds(name_en, prefix):
            names.append((name, name_en))
    return names
