"""Resource search: the one place that decides what ``q`` matches, how well, and how facets count.

The resource list, batch entries, subscription matching and suggestions all call in here, so
"matches" means the same thing everywhere (docs/search.md).

- ``tokens``: text to tokens (rjieba for Chinese, codes kept whole, traditional folded);
- ``query`` and ``entities``: ``q`` to terms, with synonyms, provinces, platforms and typos;
- ``index``: the Tantivy index, a projection of the database; ``documents``: what it holds;
- ``changelog`` and ``follower``: how the index follows the database;
- ``queries`` and ``engine``: a search as Tantivy queries; matching, ranking and paging it;
- ``facets``: counts per facet value (the index with ``q``, the database without);
- ``suggest``: completions and highlights.
"""

from typing import Any

from registry.search.engine import Search, matching_ids
from registry.search.facets import FACETS, facet_counts
from registry.search.facets import index_facet_counts as engine_facet_counts
from registry.search.follower import ensure_current, wait_until_current
from registry.search.index import SearchUnavailable
from registry.search.queries import Filters, Mode, Visibility
from registry.search.query import Term, highlight_tokens, matches_text, parse

MAX_IDS = 10_000  # the most resources ``q`` names to the database as a condition


def visibility_of(user: Any) -> Visibility:
    """What ``user`` may find: everything (curators), or public resources and their own
    platforms' drafts."""
    from core.roles import is_curator

    if user is None or is_curator(user):
        return Visibility(everything=True) if user is not None else Visibility()
    if getattr(user, "is_authenticated", False):
        own = tuple(str(pk) for pk in user.platforms.values_list("pk", flat=True))
        return Visibility(own_platforms=own)
    return Visibility()


__all__ = [
    "FACETS",
    "MAX_IDS",
    "Filters",
    "Mode",
    "Search",
    "SearchUnavailable",
    "Term",
    "Visibility",
    "engine_facet_counts",
    "ensure_current",
    "facet_counts",
    "highlight_tokens",
    "matches_text",
    "matching_ids",
    "parse",
    "visibility_of",
    "wait_until_current",
]
