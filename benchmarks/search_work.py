"""The search engine's own work for a request, in-process, and how to time a piece of work.

Shared by ``read_bench.py`` (the engine's part of a search's limit) and ``search_bench.py``
(its latency from one client). With the index, a search's SQL is only the page's rows by id (and
the platform facet's names): the matching, ranking, paging and counting are done by Tantivy in the
web process, so they are measured here, through the calls the view makes:

- a list with ``q``: ``ResourceFilterSet(...).search()`` (``q`` parsed, the mode settled), the
  first page of 20 by relevance, and ``facet_counts()``;
- suggestions: ``registry.search.suggest.suggestions(q, anonymous)``.

The engine keeps results per process until the index changes (``registry.search.engine.RESULTS``,
as Elasticsearch's request cache): a benchmark repeating one request measures a lookup from the
second request on. ``no_result_cache()`` turns it off, so each request does the search's work, as
a query not asked since the index last changed does; ``bench_wsgi`` does the same for gunicorn.

Django must be set up, with ``SEARCH_INDEX_DIR`` naming a built index.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

PAGE_SIZE = 20
SUGGEST_PATH = "/api/v1/resources/suggest/"


def engine_work(path: str) -> Callable[[], Any] | None:
    """The in-process engine work of the request ``path``; None when it has no ``q``."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import QueryDict

    parts = urlsplit(path)
    params = QueryDict(parts.query)
    q = params.get("q", "")
    if not q.strip():
        return None
    anonymous = AnonymousUser()
    if parts.path == SUGGEST_PATH:
        from registry.search.suggest import suggestions

        return lambda: suggestions(q, anonymous)

    from registry.filtersets import ResourceFilterSet
    from registry.models import Resource

    def search_page_and_facets() -> Any:
        filterset = ResourceFilterSet(
            data=QueryDict(parts.query), queryset=Resource.objects.visible_to(anonymous)
        )
        found = filterset.search()
        page = found.page(ordering="relevance", offset=0, limit=PAGE_SIZE)
        facets = filterset.facet_counts() if params.get("facets") else {}
        return found, page, facets

    return search_page_and_facets


def matches(path: str) -> int | None:
    """How many resources the search ``path`` finds (in its settled mode); None without ``q``
    or for suggestions."""
    work = engine_work(path)
    if work is None or urlsplit(path).path == SUGGEST_PATH:
        return None
    found, _page, _facets = work()
    return int(found.searcher.search(found.query(), 1, count=True).count)


def cpu_per_round(work: Callable[[], Any], *, max_rounds: int = 200) -> float:
    """CPU seconds per round of ``work``: after ten rounds to warm up, the median of five batches
    of about a second each (at least 5, at most ``max_rounds`` rounds a batch). The process's CPU
    time, so the engine's threads count too."""
    started = time.perf_counter()
    for _ in range(10):
        work()
    per_round = (time.perf_counter() - started) / 10
    rounds = max(5, min(max_rounds, int(1 / max(per_round, 1e-6))))
    batches = []
    for _ in range(5):
        started = time.process_time()
        for _ in range(rounds):
            work()
        batches.append((time.process_time() - started) / rounds)
    return sorted(batches)[len(batches) // 2]


def statements_of(work: Callable[[], Any]) -> int:
    """How many SQL statements one round of ``work`` runs (the platform facet's names, the
    suggestions' platform names: counted in the SQL replay too)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        work()
    return len(captured.captured_queries)


def result_cache() -> Any:
    """The engine's cache of results, if this version of it has one."""
    from registry.search import engine

    return getattr(engine, "RESULTS", None)


def disable_result_cache() -> None:
    cache = result_cache()
    if cache is not None:
        cache.size = 0  # what is computed is put in and dropped at once
        cache.clear()


@contextmanager
def no_result_cache() -> Iterator[None]:
    """Within: every search computed anew."""
    cache = result_cache()
    if cache is None:
        yield
        return
    size = cache.size
    disable_result_cache()
    try:
        yield
    finally:
        cache.size = size
