"""Highlights for hits, and completions for what a searcher has typed so far."""

import html
import re
from typing import Any

from django.db.models import Exists, F, Func, OuterRef, Q, Subquery

from registry.choices import ResourceStatus
from registry.search.query import Term, highlight_tokens, matches, parse
from registry.search.tokens import normalise

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


def suggestions(q: str, resources: Any) -> list[dict[str, str]]:
    """Up to ten completions of ``q``: tags, platform names and resource names that continue what
    was typed (the last word as a prefix); tags most used first, resource names newest first."""
    from registry.models import Platform, Resource, Tag

    text = q.strip()
    if not text:
        return []
    terms = parse(text) or [Term(((normalise(text),),))]
    found: list[dict[str, str]] = []
    seen: set[str] = set()

    def add(kind: str, value: str) -> None:
        if value and value.lower() not in seen and len(found) < MAX_SUGGESTIONS:
            seen.add(value.lower())
            found.append({"kind": kind, "text": value})

    prefix = normalise(text)
    # A tag is suggested when an active resource carries it; the order counts every resource
    # carrying it, read from the tag's index alone. Counting only the active ones means reading
    # each carrier's row: 30,000 of them for the tags starting with 算 at 100,000 resources.
    carried = Resource.objects.filter(tags=OuterRef("pk"), status=ResourceStatus.ACTIVE)
    uses = (
        Resource.tags.through.objects.filter(tag_id=OuterRef("pk"))
        .order_by()
        .annotate(uses=Func(F("tag_id"), function="COUNT"))  # one row: no GROUP BY
        .values("uses")  # type: ignore[misc]  # the stubs miss annotations on a through model
    )
    tags = (
        Tag.objects.filter(name__startswith=prefix)
        .filter(Exists(carried))
        .annotate(uses=Subquery(uses))
        .order_by("-uses", "name")[:MAX_SUGGESTIONS]
    )
    for tag in tags:
        add("tag", tag.name)
    for name, name_en in (
        Platform.objects.filter(Q(name__istartswith=text) | Q(name_en__istartswith=text))
        .order_by("name")
        .values_list("name", "name_en")[:MAX_SUGGESTIONS]
    ):
        add("platform", name if name.lower().startswith(text.lower()) else name_en)
    if len(found) < MAX_SUGGESTIONS:
        # The index finds the candidates; a name is only a completion if it holds what was typed
        # (the document also holds tags, type and platform names, summary and description).
        words = prefix.split()
        in_name, in_name_en = Q(), Q()
        for word in words:
            in_name &= Q(name__icontains=word)
            in_name_en &= Q(name_en__icontains=word)
        names = (
            resources.filter(matches(terms, prefix=True))
            .filter(in_name | in_name_en)
            .order_by("-updated_at", "-id")
            .values_list("name", "name_en")[: MAX_SUGGESTIONS * 2]
        )
        for name, name_en in names:
            add("resource", name if all(w in normalise(name) for w in words) else name_en)
    return found
