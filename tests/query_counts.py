"""What the query-count guards share (tests/*/test_query_counts.py,
tests/config/test_list_query_counts.py): counting a request's SQL queries, and the fixed costs a
request adds to them. Their files also use the ``synonyms_read`` fixture (tests/conftest.py)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

ROWS = 105  # more than the largest page (KeysetPagination.max_page_size)

# A signed-in request (force_login): its session, then its user.
SESSION = 2
# An AUTHENTICATED or OWN_PLATFORM rule, or a ``visible_to`` queryset, asks whether the user is a
# curator (who passes every rule and sees everything).
CURATOR_CHECK = 1


# A search in a test process first reads the change log (its index in memory follows the log
# itself; in production the follower does, and a search runs no query for it).
SEARCH_LOG = 1


def queries(client, url: str, params: dict) -> tuple[int, dict]:
    """The number of SQL queries a GET runs, and its body (which must be a 200). The search index
    is brought up to date first, as the follower keeps it."""
    from registry.search import ensure_current
    from registry.search.entities import platform_entities

    ensure_current()
    platform_entities()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(captured), response.json()


def assert_same_queries_at_page_size_1_and_100(client, url: str) -> int:
    """The count of a full page of 100 (with a next page), the same as a page of one."""
    one, small = queries(client, url, {"page_size": 1})
    hundred, large = queries(client, url, {"page_size": 100})
    assert (len(small["results"]), len(large["results"])) == (1, 100)
    assert large["next"] is not None
    assert one == hundred
    return hundred
