"""The catalogue export (``GET /api/v1/exports/resources/``) at 10,000 and 100,000 resources: its
time and the web process's peak memory while it streams, for NDJSON and CSV; with ``--export
dcat``, the DCAT-AP export (``GET /api/v1/exports/dcat/``) in Turtle and JSON-LD.

Each size runs in a child process of its own, against the database ``make bench`` seeded
(``DATABASE_URL``'s name with ``_10k`` or ``_100k`` added; run ``make bench`` first). The child
sets Django up, makes one small export to warm up (imports, the first queries), then, for each
format, resets its peak resident memory, streams the whole export through Django's test client
(the same view, the same streaming response a server would send), counting bytes and lines as
they arrive, and reads the peak (``VmHWM``). Constant memory shows as the same peak at both
sizes. The figures go to ``benchmarks/results/export_bench.json``.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "export_bench.json"
# Each export: its URL, a small request that warms a process up, and its formats.
EXPORTS = {
    "resources": ("/api/v1/exports/resources/", "?type=chip", ("ndjson", "csv")),
    "dcat": ("/api/v1/exports/dcat/", "", ("ttl", "jsonld")),
}
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/registry_bench_read"


def status_mb(field: str) -> float:
    """``VmRSS`` (resident now) or ``VmHWM`` (the peak since the last reset) of this process."""
    with Path("/proc/self/status").open() as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> None:
    """Starts ``VmHWM`` again from the current resident size (Linux ≥ 4.0), so the peak read after
    an export is the export's own, not the process start's (the first request of a process loads
    the vocabularies, the synonyms and the search index: tens of MB, once)."""
    Path("/proc/self/clear_refs").write_text("5")


def warm_up(client: Any, url: str) -> None:
    """A first request, so that imports and first queries are not measured: read whole, or (an
    export with no small form) its first few chunks."""
    response = client.get(url)
    for number, _chunk in enumerate(response.streaming_content):
        if number == 5:
            break
    response.close()


def measure(database_url: str, size: int, export: str = "resources") -> dict[str, Any]:
    label = f"{size // 1000}k"
    os.environ.update(
        {
            "DATABASE_URL": f"{database_url}_{label}",
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-not-secret"),
            "ALLOWED_HOSTS": "testserver",
            "THROTTLING_ENABLED": "0",
            "LOG_LEVEL": "WARNING",
            "REGISTRY_ENV_FILE": "",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    client = Client()
    url, warm, formats = EXPORTS[export]
    warm_up(client, url + warm)
    figures: dict[str, Any] = {"resources": size, "export": export}
    for format_ in formats:
        reset_peak()
        before = status_mb("VmRSS")
        started = time.perf_counter()
        response = client.get(f"{url}?format={format_}")
        assert response.status_code == 200, response.status_code
        size_bytes = lines = 0
        for chunk in response.streaming_content:
            size_bytes += len(chunk)
            lines += chunk.count(b"\n")
        seconds = time.perf_counter() - started
        peak = status_mb("VmHWM")
        figures[format_] = {
            "seconds": round(seconds, 1),
            "lines": lines,
            "megabytes": round(size_bytes / 1e6, 1),
            "rss_before_mb": round(before, 1),
            "peak_rss_mb": round(peak, 1),
            "rows_per_second": round(lines / seconds),
            "resources_per_second": round(size / seconds),
        }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    )
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--export", choices=sorted(EXPORTS), default="resources")
    parser.add_argument("--one-size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_size:
        print(json.dumps(measure(args.database_url, args.one_size, args.export)))
        return
    runs = []
    for size in (int(size) for size in args.sizes.split(",")):
        command = [sys.executable, __file__, "--database-url", args.database_url]
        command += ["--export", args.export]
        output = subprocess.run(
            [*command, "--one-size", str(size)], check=True, stdout=subprocess.PIPE, text=True
        ).stdout
        runs.append(json.loads(output.strip().splitlines()[-1]))
    print("| resources | format | seconds | rows/s | MB | RSS before (MB) | peak RSS (MB) |")
    print("|---|---|---|---|---|---|---|")
    for run in runs:
        for format_ in EXPORTS[args.export][2]:
            f = run[format_]
            print(
                f"| {run['resources']:,} | {format_} | {f['seconds']} | {f['rows_per_second']:,} "
                f"| {f['megabytes']} | {f['rss_before_mb']} | {f['peak_rss_mb']} |"
            )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    results = (
        RESULTS if args.export == "resources" else RESULTS.with_stem(f"export_bench_{args.export}")
    )
    results.write_text(json.dumps(runs, indent=2) + "\n")


if __name__ == "__main__":
    main()
