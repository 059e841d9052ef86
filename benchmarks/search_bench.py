"""Search speed at scale: p50 and p99 server time of searches and suggestions.

``make bench-search``.

Against the PostgreSQL database ``DATABASE_URL`` names (default: its own database,
``registry_bench_search`` on 127.0.0.1), seeded with ``--resources`` demo resources (100,000 by
default; seeding is skipped when they are there). Each request goes through the whole Django
stack in-process (middleware, view, filter set, serializer, JSON), so the time measured is the
server's time for the request, without the network. Targets (issue 6): search p99 < 50 ms,
suggestions p99 < 20 ms.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/registry_bench_search"

OPERATIONS = {
    "search 算力 + facets": "/api/v1/resources/?q=算力&facets=type,region,platform",
    "search large model + facets": "/api/v1/resources/?q=large+model&facets=type,region,platform",
    "search GPU算力 in 440000": "/api/v1/resources/?q=GPU算力&region=440000&facets=type",
    "search 算力, highlights": "/api/v1/resources/?q=算力&highlight=true",
    "suggest 算": "/api/v1/resources/suggest/?q=算",
    "suggest g": "/api/v1/resources/suggest/?q=g",
}


def _database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("SECRET_KEY", "benchmark")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("THROTTLING_ENABLED", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if url.startswith("postgres"):
        _database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from registry.models import Resource

    call_command("migrate", verbosity=0)
    if Resource.objects.count() < args.resources:
        started = time.perf_counter()
        call_command(
            "seed_demo", resources=args.resources, no_batches=True, no_progress=True, verbosity=0
        )
        print(f"seeded {args.resources} resources in {time.perf_counter() - started:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # As autovacuum would have by now: statistics, and the visibility map that lets the
            # suggestions and the region facet count from indexes alone.
            cursor.execute("VACUUM ANALYZE")

    client = Client()
    load_before = os.getloadavg()[0]
    results = {}
    for label, path in OPERATIONS.items():
        for _ in range(5):  # warm caches and connections
            client.get(path)
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code, response.content[:300])
        body = response.json()
        hits = len(body.get("results", body.get("suggestions", [])))
        results[label] = {
            "p50_ms": round(statistics.median(times), 2),
            "p99_ms": round(percentile(times, 0.99), 2),
            "items": hits,
        }
    total = Resource.objects.count()
    load = f"{load_before:.2f} → {os.getloadavg()[0]:.2f}"
    print(f"\n{total} resources on {connection.vendor}, {args.runs} requests each")
    print(f"load average (1 min) at the start and the end: {load}\n")
    print("| operation | p50 ms | p99 ms | items |\n|---|---|---|---|")
    for label, figures in results.items():
        print(f"| {label} | {figures['p50_ms']} | {figures['p99_ms']} | {figures['items']} |")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    figures = {
        "resources": total,
        "database": connection.vendor,
        "load_average": load,
        "results": results,
    }
    (out / "search_bench.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
