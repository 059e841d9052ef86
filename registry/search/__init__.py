"""Resource search: the one place that decides what ``q`` matches, how well, and how facets count.

The resource list, batch entries, subscription matching and suggestions all call in here, so
"matches" means the same thing everywhere.

- ``tokens``: text to tokens (rjieba for Chinese, codes kept whole);
- ``documents``: each resource's weighted search document, kept current by the services;
- ``query``: ``q`` to terms with synonyms, matched and ranked on PostgreSQL and SQLite;
- ``suggest``: completions and highlights;
- ``facets``: counts per facet value, every facet in one query.
"""

from registry.search.facets import FACETS, facet_counts
from registry.search.query import (
    Term,
    highlight_tokens,
    matches,
    matches_text,
    parse,
    search,
    with_rank,
)

__all__ = [
    "FACETS",
    "Term",
    "facet_counts",
    "highlight_tokens",
    "matches",
    "matches_text",
    "parse",
    "search",
    "with_rank",
]
