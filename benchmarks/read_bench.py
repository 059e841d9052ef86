"""Read throughput of the production server, against the in-process limit, at 10,000 and 100,000
resources.

    .venv/bin/python benchmarks/read_bench.py          # or: make bench
    … --sizes 100000 --duration 20                     # one size, longer runs
    … --operations list,detail                         # some operations only
    … --fresh                                          # drop the databases, seed and time it again

For each size, against its own PostgreSQL database (``DATABASE_URL``'s name with ``_10k`` or
``_100k`` added; by default ``registry_bench_read_10k`` and ``registry_bench_read_100k`` on
127.0.0.1, created when missing and reused afterwards), the script:

1. migrates and seeds the demo catalogue with ``seed_demo --resources N`` (its three batches and
   the pilots come with it), timing it and reading its peak memory, then writes 10,000
   subscriptions as ``make bench-match`` does, and runs ``VACUUM ANALYZE``;
2. builds the search index of that size in its own directory (``benchmarks/results/index_<size>``,
   the ``SEARCH_INDEX_DIR`` of this process, its children and gunicorn) from nothing with
   ``manage.py rebuild_search_index`` in a child process: its wall time, peak memory, the
   directory's size on disk and the documents it holds;
3. measures the **limit** of each operation: the request is made once through Django in-process to
   record the SQL it runs and the body it returns; then, on one psycopg connection, those
   statements are run and their rows fetched, and the body is encoded with orjson. The CPU time of
   that, per operation, is the limit. A search (``q``) is matched, ranked, paged and counted by
   the index inside the web process, so its limit adds the engine's own CPU: the calls the view
   makes (``search_work.engine_work``: the filter set's search, the first page by relevance and
   the facet counts; for suggestions, ``suggestions()``), timed the same way;
4. starts gunicorn with the checked-in ``config/gunicorn.py`` on 127.0.0.1 (throttling off, else
   the load generator is the one being throttled) and drives each operation with ``wrk`` at
   concurrency 8 (installed with apt-get when missing), reading the CPU time of the gunicorn
   processes before and after: **server CPU per request** is their difference over the requests
   wrk completed. The engine keeps results per process until the index changes, so a search
   repeated by wrk is answered from that cache from its second request on; the searches are
   measured once more "uncached", on a second gunicorn running ``benchmarks/bench_wsgi.py`` (the
   same application with that cache off), their limits with it off too;
5. reads each worker's resident memory after each operation and after the run (a worker recycled
   after ``max_requests`` is replaced by a fresh one, so the most any worker held is reported too).

Each size runs in its own process (the database and the index are settings). The script prints one
Markdown table per size with the ratios server CPU ÷ limit and server CPU ÷ the plain list's, a
table of how each figure grew from the smallest size to the largest, and writes everything to
``benchmarks/results/read_bench.json``.
"""

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
RESULTS = ROOT / "benchmarks" / "results" / "read_bench.json"
INDEX_DIR = ROOT / "benchmarks" / "results" / "index_{size}"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/registry_bench_read"
PYTHON = sys.executable
SUBSCRIPTIONS = 10_000
CONCURRENCY = 8

# What each operation requests; {…} are filled in from the seeded data (``operation_paths``).
OPERATIONS = {
    "list": "/api/v1/resources/",
    "filtered list": "/api/v1/resources/?type=compute&region=440000&platform={platform}",
    "search 算力 + facets": "/api/v1/resources/?q=算力&facets=type,region,platform",
    "search large model + facets": "/api/v1/resources/?q=large+model&facets=type,region,platform",
    "search 算力 + facets (uncached)": "/api/v1/resources/?q=算力&facets=type,region,platform",
    "search large model + facets (uncached)": (
        "/api/v1/resources/?q=large+model&facets=type,region,platform"
    ),
    "suggestions": "/api/v1/resources/suggest/?q=算",
    "suggestions (uncached)": "/api/v1/resources/suggest/?q=算",
    "detail": "/api/v1/resources/{resource}/",
    "batch entries": "/api/v1/batches/{batch}/entries/",
    "change feed": "/api/v1/events/?cursor={event_cursor}",
}
# Measured with the engine's cache of results off (``bench_wsgi``; in-process ``no_result_cache``):
# each request does the search's work, as a query not asked since the index last changed does. The
# same operations without the suffix repeat one request, so from the second on the engine answers
# from its cache. Targets name the operation without the suffix and hold for both.
UNCACHED = " (uncached)"
# Issue 8's targets: ratio of server CPU per request to the limit's CPU per operation.
RATIO_TARGETS = {
    "list": 4,
    "filtered list": 4,
    "detail": 10,
    "search 算力 + facets": 1.5,
    "search large model + facets": 1.5,
}
P99_TARGETS_MS = {
    "search 算力 + facets": 50,
    "search large model + facets": 50,
    "suggestions": 20,
}
# Issue 14's: server CPU per request over the plain list's.
LIST_CPU_TARGETS = {
    "filtered list": 1.5,
    "search 算力 + facets": 2,
    "search large model + facets": 2,
}
# p50 at the largest size over p50 at the smallest (issue 8; issue 14 for the searches).
GROWTH_TARGETS = {
    "list": 1.3,
    "filtered list": 1.3,
    "detail": 1.3,
    "search 算力 + facets": 1.5,
    "search large model + facets": 1.5,
}
WORKER_RSS_TARGET_MB = 250
REBUILD_TARGET_SECONDS = 60  # issue 14: 100,000 resources rebuilt in under 60 s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    )
    parser.add_argument("--sizes", default="10000,100000", help="Resources, comma-separated.")
    parser.add_argument("--duration", type=int, default=10, help="Seconds of load per operation.")
    parser.add_argument("--operations", default=",".join(OPERATIONS))
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--fresh", action="store_true", help="Drop the databases first (and so time seeding)."
    )
    parser.add_argument("--one-size", type=int, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    unknown = set(args.operations.split(",")) - set(OPERATIONS)
    if unknown:
        parser.error(f"unknown operations: {', '.join(sorted(unknown))}")
    if args.one_size is not None:
        print(json.dumps(measure_size(args, args.one_size), ensure_ascii=False))
        return

    ensure_wrk()
    sizes = [int(size) for size in args.sizes.split(",")]
    runs = []
    for size in sizes:
        print(f"\n== {size:,} resources ==", file=sys.stderr)
        command = [PYTHON, __file__, *sys.argv[1:], "--one-size", str(size)]
        output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout
        runs.append(json.loads(output.strip().splitlines()[-1]))
    grown = growth(runs)
    report = {"runs": runs, "growth": grown, "load_average_end": os.getloadavg()[0]}
    for run in runs:
        print_run(run)
    if len(runs) > 1:
        print_growth(runs, grown)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}")


# One size, in its own process -------------------------------------------------------------------


def measure_size(args: argparse.Namespace, size: int) -> dict[str, Any]:
    url = database_url_for(args.database_url, size)
    index_dir = Path(str(INDEX_DIR).format(size=size_label(size)))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SEARCH_INDEX_DIR": str(index_dir),
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-not-secret"),
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "THROTTLING_ENABLED": "0",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    os.environ.update(env)
    from match_subscriptions import ensure_database

    ensure_database(url, fresh=args.fresh)
    run: dict[str, Any] = {
        "resources": size,
        "database": url.rsplit("/", 1)[1],
        "code": code_version(),
    }
    run["seed"] = seed(size, env)

    import django

    django.setup()
    prepare_database(run)
    run["index"] = build_index(index_dir, env)
    paths = operation_paths(args.operations.split(","))
    run["limits"] = {
        name: measure_limit(path, uncached=name.endswith(UNCACHED)) for name, path in paths.items()
    }
    run["load_average_start"] = os.getloadavg()[0]
    run["server"] = serve_and_measure(args, env, paths)
    run["load_average_end"] = os.getloadavg()[0]
    operations = run["server"]["operations"]
    for name, figures in operations.items():
        figures["ratio"] = round(figures["cpu_ms"] / run["limits"][name]["cpu_ms"], 2)
        if "list" in operations:
            figures["list_cpu_ratio"] = round(figures["cpu_ms"] / operations["list"]["cpu_ms"], 2)
    return run


def code_version() -> dict[str, Any] | None:
    """The commit measured, and the files changed since outside ``benchmarks/`` (another's
    uncommitted work is measured too)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
        ).stdout.splitlines()
    except OSError:
        return None
    if not commit:  # not a git checkout
        return None
    changed = [line[3:] for line in status if not line[3:].startswith("benchmarks/")]
    return {"commit": commit, "changed_files": changed}


def database_url_for(base: str, size: int) -> str:
    parts = urlsplit(base)
    if parts.scheme not in ("postgres", "postgresql"):
        raise SystemExit(f"The benchmark runs on PostgreSQL; DATABASE_URL is {parts.scheme}://…")
    return urlunsplit(parts._replace(path=unquote(parts.path) + "_" + size_label(size)))


def size_label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def seed(size: int, env: dict[str, str]) -> dict[str, Any]:
    """``seed_demo --resources size`` in a child process: its wall time and peak memory."""
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], check=True, env=env)
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as conn:
        row = conn.execute("SELECT count(*) FROM registry_resource").fetchone()
    count = row[0] if row else 0
    if count >= size:
        return {"seeded": False, "resources_found": count}
    started = time.perf_counter()
    child = subprocess.Popen(
        [*manage, "seed_demo", "--resources", str(size), "--no-progress"],
        env=env,
        stdout=sys.stderr,
    )
    _pid, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise SystemExit(f"seed_demo failed ({status})")
    seconds = time.perf_counter() - started
    print(f"  seeded {size:,} resources in {seconds:.0f} s", file=sys.stderr)
    return {
        "seeded": True,
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),  # kilobytes on Linux
    }


def prepare_database(run: dict[str, Any]) -> None:
    import random

    from django.db import connection

    from notifications.models import Subscription
    from registry.models import Resource

    existing = Subscription.objects.count()
    if existing < SUBSCRIPTIONS:
        from match_subscriptions import create_subscriptions

        create_subscriptions(SUBSCRIPTIONS - existing, random.Random(2026))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would have by now
    run["counts"] = {
        "resources": Resource.objects.count(),
        "active_resources": Resource.objects.filter(status="active").count(),
        "subscriptions": Subscription.objects.count(),
    }


def build_index(directory: Path, env: dict[str, str]) -> dict[str, Any]:
    """``rebuild_search_index`` from nothing (the directory removed first) in a child process: its
    wall time and peak memory, the directory's bytes on disk, the documents it holds."""
    shutil.rmtree(directory, ignore_errors=True)
    started = time.perf_counter()
    child = subprocess.Popen(
        [PYTHON, str(ROOT / "manage.py"), "rebuild_search_index", "--no-progress"],
        env=env,
        stdout=sys.stderr,
    )
    _pid, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise SystemExit(f"rebuild_search_index failed ({status})")
    seconds = time.perf_counter() - started
    size = sum(path.stat().st_size for path in directory.rglob("*") if path.is_file())
    from registry.search.index import get_index

    index = get_index()
    assert index.path == directory, (index.path, directory)
    documents = index.searcher().num_docs - 1  # the position's document is not a resource
    print(
        f"  indexed {documents:,} resources in {seconds:.1f} s, {size / 2**20:.1f} MB on disk",
        file=sys.stderr,
    )
    return {
        "directory": str(directory.relative_to(ROOT)),
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "bytes": size,
        "documents": documents,
    }


def operation_paths(names: list[str]) -> dict[str, str]:
    """Each operation's path, with real values: the platform with the most compute in Guangdong,
    a listed resource that pilots use, the last published batch, the change feed's second page."""
    from django.db.models import Count, Q

    from openness.models import Batch
    from registry.models import Platform, Resource

    platform = (
        Platform.objects.annotate(
            hits=Count(
                "resources",
                filter=Q(
                    resources__resource_type="compute",
                    resources__regions="440000",
                    resources__status="active",
                ),
            )
        )
        .order_by("-hits", "slug")
        .values_list("slug", flat=True)
        .first()
    )
    resource = (
        Resource.objects.filter(status="active", entries__status="listed", pilots__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    ) or Resource.objects.filter(status="active").values_list("pk", flat=True).first()
    batch = (
        Batch.objects.filter(status="published").order_by("-number").values_list("number").first()
    )
    values = {
        "platform": platform,
        "resource": resource,
        "batch": batch[0] if batch else 1,
        "event_cursor": second_feed_page(),
    }
    return {name: OPERATIONS[name].format(**values) for name in names}


def second_feed_page() -> str:
    """The cursor of the change feed's second page, as its first page's ``next`` link gives it."""
    from django.test import Client

    link = Client().get("/api/v1/events/").json()["next"] or "cursor="
    return link.split("cursor=", 1)[1].split("&", 1)[0]


# The limit --------------------------------------------------------------------------------------


def measure_limit(path: str, *, uncached: bool = False) -> dict[str, Any]:
    """The CPU time of the operation's own SQL, on one psycopg connection, and of encoding its
    body with orjson: what serving it would cost with nothing in between (per round, the median
    of five batches of about a second each, at most 200 rounds). With ``q``, plus the engine's
    own work in-process (``search_work.engine_work``), timed the same way (``uncached``: with the
    engine's cache of results off)."""
    import orjson
    import psycopg
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from search_work import cpu_per_round, engine_work, no_result_cache, statements_of

    client = Client()
    client.get(path)  # the first request of a process reads settings, synonyms, …
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    statements = [query["sql"] for query in captured.captured_queries]
    body = response.json()
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        sql_cpu = cpu_per_round(lambda: run_limit(conn, statements, body, orjson, rounds=1))
    limit = {
        "path": path,
        "statements": len(statements),
        "body_bytes": len(response.content),
        "cpu_ms": round(sql_cpu * 1000, 3),
    }
    work = engine_work(path)
    if work is not None:
        with no_result_cache() if uncached else contextlib.nullcontext():
            engine_cpu = cpu_per_round(work)
        limit.update(
            sql_cpu_ms=round(sql_cpu * 1000, 3),
            engine_cpu_ms=round(engine_cpu * 1000, 3),
            engine_statements=statements_of(work),
            cpu_ms=round((sql_cpu + engine_cpu) * 1000, 3),
        )
    return limit


def run_limit(conn: Any, statements: list[str], body: Any, orjson: Any, *, rounds: int) -> None:
    """The statements as Django ran them (in autocommit, with its BEGIN and COMMIT where the view
    opened a transaction), every row fetched, then the body encoded."""
    for _ in range(rounds):
        with conn.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()
        orjson.dumps(body)


# The server under load --------------------------------------------------------------------------


def serve_and_measure(
    args: argparse.Namespace, env: dict[str, str], paths: dict[str, str]
) -> dict[str, Any]:
    """The operations on the checked-in application, then the uncached ones on the same with the
    engine's cache of results off (``bench_wsgi``), each on a gunicorn of its own."""
    cached = {name: path for name, path in paths.items() if not name.endswith(UNCACHED)}
    uncached = {name: path for name, path in paths.items() if name.endswith(UNCACHED)}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    (RESULTS.parent / "gunicorn.log").write_text("")
    servers = [
        serve(args, env, group, app)
        for group, app in ((cached, "config.wsgi"), (uncached, "benchmarks.bench_wsgi"))
        if group
    ]
    operations = {}
    for server in servers:
        operations.update(server["operations"])
    return {
        "workers": servers[0]["workers"],
        "worker_rss_mb": servers[0]["worker_rss_mb"],
        "worker_peak_rss_mb": max(server["worker_peak_rss_mb"] for server in servers),
        "operations": {name: operations[name] for name in paths},
    }


def serve(
    args: argparse.Namespace, env: dict[str, str], paths: dict[str, str], app: str
) -> dict[str, Any]:
    bind = f"127.0.0.1:{free_port(args.port)}"
    log = (RESULTS.parent / "gunicorn.log").open("a")
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), app, "--config", "config/gunicorn.py"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": bind},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://{bind}"
        wait_until_up(base + "/healthz", server)
        for path in paths.values():
            for _ in range(20):  # every worker connects and reads its caches
                fetch(base + path)
        operations = {}
        peak_rss_kb: dict[int, int] = {}
        for name, path in paths.items():
            for _ in range(4):  # queued behind the last operation's requests still running
                fetch(base + path)
            before = tree_cpu_seconds(server.pid)
            figures = drive(base + path, args.duration)
            spent = tree_cpu_seconds(server.pid) - before
            figures["cpu_ms"] = round(spent / figures["requests"] * 1000, 3)
            figures["load_average"] = round(os.getloadavg()[0], 2)  # wrk's own load included
            operations[name] = figures
            for pid in worker_pids(server.pid):  # workers recycled later would take theirs along
                peak_rss_kb[pid] = max(peak_rss_kb.get(pid, 0), rss_kb(pid))
            print(
                f"  {name}: {figures['requests_per_second']:.0f} req/s, p50 {figures['p50_ms']} ms,"
                f" p99 {figures['p99_ms']} ms, {figures['cpu_ms']} ms CPU/request",
                file=sys.stderr,
            )
        workers = worker_pids(server.pid)
        return {
            "workers": len(workers),
            "worker_rss_mb": [round(rss_kb(pid) / 1024) for pid in workers],
            "worker_peak_rss_mb": round(max(peak_rss_kb.values(), default=0) / 1024),
            "operations": operations,
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def free_port(port: int) -> int:
    """``port`` if nothing listens on it, else one the system picks: a server already there (a
    runserver on the same port) would answer the benchmark instead of gunicorn."""
    import socket

    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            probe.bind(("127.0.0.1", 0))
            chosen = int(probe.getsockname()[1])
            print(f"  port {port} is in use: gunicorn listens on {chosen}", file=sys.stderr)
            return chosen
    return port


def wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(100):
        if server.poll() is not None:
            log = RESULTS.parent / "gunicorn.log"
            raise SystemExit(f"gunicorn exited ({server.returncode}): see {log}")
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer {url}")


def fetch(url: str) -> bytes:
    from urllib.parse import quote
    from urllib.request import urlopen

    with urlopen(quote(url, safe=":/?&=,%+"), timeout=30) as response:  # noqa: S310 (http://)
        if response.status != 200:
            raise SystemExit(f"{url}: {response.status}")
        return bytes(response.read())


def drive(url: str, duration: int) -> dict[str, Any]:
    """wrk at concurrency 8 for ``duration`` seconds: requests, requests/s, p50 and p99."""
    from urllib.parse import quote

    command = [
        "wrk",
        f"-c{CONCURRENCY}",
        "-t2",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "10s",
        quote(url, safe=":/?&=,%+"),
    ]
    output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout
    return parse_wrk(output)


def parse_wrk(output: str) -> dict[str, Any]:
    figures: dict[str, Any] = {"errors": 0}
    for line in output.splitlines():
        words = line.split()
        if not words:
            continue
        if words[0] in ("50%", "99%"):
            figures[f"p{words[0][:-1]}_ms"] = milliseconds(words[1])
        elif "requests in" in line:
            figures["requests"] = int(words[0])
        elif words[0] == "Requests/sec:":
            figures["requests_per_second"] = round(float(words[1]), 1)
        elif words[0] == "Non-2xx":
            figures["errors"] += int(words[-1])
        elif words[0] == "Socket" and "errors:" in line:
            figures["errors"] += sum(int(word.strip(",")) for word in words[3::2])
    if figures["errors"]:
        raise SystemExit(f"wrk saw {figures['errors']} errors:\n{output}")
    return figures


def milliseconds(text: str) -> float:
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            return round(float(text[: -len(unit)]) * factor, 2)
    raise ValueError(text)


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def tree_cpu_seconds(master: int) -> float:
    """CPU seconds of the gunicorn master and its workers, including workers that have exited
    (recycled after ``max_requests``), whose time the master's ``cutime`` and ``cstime`` hold."""
    ticks = os.sysconf("SC_CLK_TCK")

    def stat(pid: int) -> list[str]:
        text = Path(f"/proc/{pid}/stat").read_text()
        return text[text.rindex(")") + 2 :].split()

    fields = stat(master)  # after the name: state is 0, utime 11, stime 12, cutime 13, cstime 14
    total = sum(int(value) for value in fields[11:15])
    for pid in worker_pids(master):
        try:
            total += sum(int(value) for value in stat(pid)[11:13])
        except FileNotFoundError:  # exited in between: its time moves to the master's cutime
            continue
    return total / ticks


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    print("wrk is missing: installing it from Debian (apt-get install wrk)", file=sys.stderr)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    install = [*sudo, "apt-get", "install", "-y", "-qq", "wrk"]
    if subprocess.run(install, check=False).returncode != 0:
        subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)
        subprocess.run(install, check=True)


# The report -------------------------------------------------------------------------------------


def growth(runs: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    if len(runs) < 2:
        return {}
    first, last = runs[0]["server"]["operations"], runs[-1]["server"]["operations"]
    return {
        name: {
            key: round(last[name][key] / first[name][key], 2)
            for key in ("p50_ms", "p99_ms", "cpu_ms", "requests_per_second")
            if first[name][key]
        }
        for name in first
        if name in last
    }


def base(name: str) -> str:
    """The operation whose targets ``name`` has (an uncached search, the search's)."""
    return name.removesuffix(UNCACHED)


def mark(value: float, target: float | None, *, below: bool = True) -> str:
    if target is None:
        return f"{value:g}"
    met = value <= target if below else value >= target
    return f"{value:g} {'✓' if met else '✗'} (≤ {target:g})"


def print_run(run: dict[str, Any]) -> None:
    server = run["server"]
    seed_figures = run["seed"]
    print(f"\n### {run['resources']:,} resources ({run['database']})\n")
    code = run.get("code")
    if code:
        changed = len(code["changed_files"])
        print(f"code: {code['commit']}" + (f", {changed} files changed since" if changed else ""))
    if seed_figures["seeded"]:
        print(
            f"seed_demo: {seed_figures['seconds']} s, peak {seed_figures['peak_rss_mb']} MB "
            "(targets: under 120 s and 1,024 MB)"
        )
    index = run["index"]
    target = REBUILD_TARGET_SECONDS if index["documents"] >= 100_000 else None
    print(
        f"search index: {index['documents']:,} documents, {index['bytes'] / 2**20:.1f} MB on "
        f"disk ({index['directory']}); rebuild_search_index "
        f"{mark(index['seconds'], target)} s, peak {index['peak_rss_mb']} MB "
        f"(target: 100,000 resources in under {REBUILD_TARGET_SECONDS} s)"
    )
    print(
        f"gunicorn: {server['workers']} workers, resident after the run (MB): "
        f"{', '.join(str(rss) for rss in server['worker_rss_mb'])}; the most any worker held "
        f"after an operation: {server['worker_peak_rss_mb']} MB (target: each under "
        f"{WORKER_RSS_TARGET_MB}); load average {run['load_average_start']:.2f} → "
        f"{run['load_average_end']:.2f}\n"
    )
    print(
        "| operation | req/s | p50 ms | p99 ms | server CPU ms/request | ÷ list's | "
        "limit CPU ms (SQL + engine) | ratio | statements |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, figures in server["operations"].items():
        limit = run["limits"][name]
        limit_cpu = f"{limit['cpu_ms']:g}"
        if "engine_cpu_ms" in limit:
            limit_cpu += f" ({limit['sql_cpu_ms']:g} + {limit['engine_cpu_ms']:g})"
        over_list = figures.get("list_cpu_ratio")
        print(
            f"| {name} | {figures['requests_per_second']:g} | {figures['p50_ms']:g} | "
            f"{mark(figures['p99_ms'], P99_TARGETS_MS.get(base(name)))} | {figures['cpu_ms']:g} | "
            f"{'' if over_list is None else mark(over_list, LIST_CPU_TARGETS.get(base(name)))} | "
            f"{limit_cpu} | {mark(figures['ratio'], RATIO_TARGETS.get(base(name)))} | "
            f"{limit['statements']} |"
        )
    if any(name.endswith(UNCACHED) for name in server["operations"]):
        print(
            "\nThe searches repeat one request: from the second on the engine answers from its "
            "cache of results. Uncached: that cache off, each request searches."
        )


def print_growth(runs: list[dict[str, Any]], grown: dict[str, dict[str, float]]) -> None:
    sizes = f"{runs[0]['resources']:,} → {runs[-1]['resources']:,}"
    print(f"\n### Growth, {sizes} resources (last ÷ first)\n")
    print("| operation | p50 | p99 | CPU/request | req/s |\n|---|---|---|---|---|")
    for name, figures in grown.items():
        print(
            f"| {name} | {mark(figures.get('p50_ms', 0), GROWTH_TARGETS.get(base(name)))} | "
            f"{figures.get('p99_ms', 0):g} | {figures.get('cpu_ms', 0):g} | "
            f"{figures.get('requests_per_second', 0):g} |"
        )


if __name__ == "__main__":
    main()
