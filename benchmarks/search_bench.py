"""Search speed at scale, from one client: p50 and p99 of searches and suggestions.

``make bench-search``.

Search runs in an embedded Tantivy index (``registry/search``); the database only reads the
page's rows by id. This script times, one request at a time, in-process:

- **engine**: the index's own work for the request, the calls the view makes
  (``search_work.engine_work``: the filter set's search with ``q`` parsed and the mode settled,
  the first page of 20 by relevance, the facet counts; for suggestions ``suggestions()``);
- **request**: the whole request through Django (middleware, view, filter set, the page's rows,
  representation, JSON), so the server's time without the network and without other clients.

Both with the engine's cache of results off (``search_work.no_result_cache``), so each request
searches, as a query not asked since the index last changed does; **repeated** is the request
again with the cache on, as a popular query costs from its second time until the next change.

``make bench`` measures the same searches under load (gunicorn, wrk at concurrency 8) with the
engine's CPU as part of their limit; this one is the latency floor. By default it uses ``make
bench``'s database and index for 100,000 resources (``registry_bench_read_100k`` and
``benchmarks/results/index_100k``): seeded (``seed_demo``) when the database has fewer resources,
the index rebuilt (``rebuild_search_index``) when it is missing or holds another number of
resources. Do not run it while ``make bench`` rebuilds that index. Targets (issue 14): searches
with facets p99 < 50 ms, suggestions p99 < 20 ms.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
PYTHON = sys.executable

OPERATIONS = {
    "search 算力 + facets": "/api/v1/resources/?q=算力&facets=type,region,platform",
    "search large model + facets": "/api/v1/resources/?q=large+model&facets=type,region,platform",
    "search GPU算力 in 440000": "/api/v1/resources/?q=GPU算力&region=440000&facets=type",
    "search 算力, highlights": "/api/v1/resources/?q=算力&highlight=true",
    "suggest 算": "/api/v1/resources/suggest/?q=算",
    "suggest g": "/api/v1/resources/suggest/?q=g",
}
P99_TARGETS_MS = {
    "search 算力 + facets": 50,
    "search large model + facets": 50,
    "suggest 算": 20,
    "suggest g": 20,
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(work: Any, runs: int) -> dict[str, float]:
    """p50 and p99 wall milliseconds of ``runs`` calls of ``work`` (after five to warm up)."""
    for _ in range(5):
        work()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(percentile(times, 0.99), 2),
    }


def prepare(args: argparse.Namespace) -> dict[str, Any]:
    """The database seeded and the index built; returns what was done."""
    from match_subscriptions import ensure_database
    from read_bench import seed

    env = dict(os.environ)
    ensure_database(env["DATABASE_URL"], fresh=False)
    prepared: dict[str, Any] = {"seed": seed(args.resources, env)}

    import django

    django.setup()
    from django.db import connection

    from registry.models import Resource
    from registry.search.index import SearchUnavailable, get_index

    if prepared["seed"]["seeded"]:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would have by now
    resources = Resource.objects.count()
    index = get_index()
    try:
        documents = index.searcher().num_docs - 1 if index.exists() else None
    except SearchUnavailable:  # unreadable, or written for another schema
        documents = None
    if documents != resources:
        print(f"building the search index in {index.path}", file=sys.stderr)
        started = time.perf_counter()
        command = [PYTHON, str(ROOT / "manage.py"), "rebuild_search_index", "--no-progress"]
        subprocess.run(command, check=True, env=env, stdout=sys.stderr)
        prepared["rebuild_seconds"] = round(time.perf_counter() - started, 1)
        index.close()
    prepared["resources"] = resources
    prepared["documents"] = index.searcher().num_docs - 1
    return prepared


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200, help="Requests per operation.")
    parser.add_argument(
        "--database-url", help="Default: make bench's database for this many resources."
    )
    parser.add_argument("--index-dir", help="Default: make bench's index for this many.")
    args = parser.parse_args()

    from read_bench import DEFAULT_DATABASE_URL, INDEX_DIR, database_url_for, size_label

    base_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL  # as make bench names it
    url = args.database_url or database_url_for(base_url, args.resources)
    index_dir = args.index_dir or str(INDEX_DIR).format(size=size_label(args.resources))
    os.environ.update(
        DATABASE_URL=url,
        SEARCH_INDEX_DIR=index_dir,
        DEBUG="0",
        SECRET_KEY=os.environ.get("SECRET_KEY", "benchmark-only-not-secret"),
        ALLOWED_HOSTS="testserver",
        THROTTLING_ENABLED="0",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    prepared = prepare(args)

    from django.test import Client
    from search_work import cpu_per_round, engine_work, matches, no_result_cache

    client = Client()

    def request(path: str) -> Any:
        def get() -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code, response.content[:300])

        return get

    load_before = os.getloadavg()[0]
    results = {}
    for label, path in OPERATIONS.items():
        work = engine_work(path)
        assert work is not None, path
        with no_result_cache():
            engine = timed(work, args.runs)
            engine["cpu_ms"] = round(cpu_per_round(work) * 1000, 3)
            whole = timed(request(path), args.runs)
        repeated = timed(request(path), args.runs)
        body = client.get(path).json()
        results[label] = {
            "path": path,
            "engine": engine,
            "request": whole,
            "repeated_request": repeated,
            "items": len(body.get("results", body.get("suggestions", []))),
            "matches": matches(path),
        }
        print(
            f"  {label}: engine p50 {engine['p50_ms']} ms, request p50 {whole['p50_ms']} ms",
            file=sys.stderr,
        )
    load = f"{load_before:.2f} → {os.getloadavg()[0]:.2f}"
    print(
        f"\n{prepared['resources']:,} resources on PostgreSQL ({url.rsplit('/', 1)[1]}), index "
        f"{index_dir} ({prepared['documents']:,} documents); {args.runs} requests each, one at a "
        f"time; load average (1 min) at the start and the end: {load}\n"
    )
    print(
        "| operation | engine p50 ms | engine p99 ms | engine CPU ms | request p50 ms | "
        "request p99 ms | repeated p50 / p99 ms | items | matches |\n"
        "|---|---|---|---|---|---|---|---|---|"
    )
    for label, figures in results.items():
        engine, whole = figures["engine"], figures["request"]
        target = P99_TARGETS_MS.get(label)
        p99 = f"{whole['p99_ms']:g}"
        if target is not None:
            p99 += f" {'✓' if whole['p99_ms'] <= target else '✗'} (≤ {target})"
        print(
            f"| {label} | {engine['p50_ms']:g} | {engine['p99_ms']:g} | {engine['cpu_ms']:g} | "
            f"{whole['p50_ms']:g} | {p99} | {figures['repeated_request']['p50_ms']:g} / "
            f"{figures['repeated_request']['p99_ms']:g} | {figures['items']} | "
            f"{'' if figures['matches'] is None else f'{figures["matches"]:,}'} |"
        )
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    report = {
        **prepared,
        "database": url.rsplit("/", 1)[1],
        "index": index_dir,
        "runs": args.runs,
        "load_average": load,
        "results": results,
    }
    (out / "search_bench.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
