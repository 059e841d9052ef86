"""The embedded SQLite default holds up as a server database: several web workers and the
background worker writing at once get no 500 ("database is locked") and lose nothing.

The test runs the real thing against a file database of its own, as ``make run`` does: gunicorn
(two workers, four threads each) and ``manage.py db_worker``, with the production settings
(``config.settings``: WAL, a busy timeout, IMMEDIATE transactions), while eight client threads
write through the API. A test database of pytest-django would not do: on SQLite it is in memory
(shared cache), where neither WAL nor the busy timeout applies, and every test shares it.
"""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from tests.factories import VALID_ATTRIBUTES

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
WRITERS = 8
WRITES_EACH = 6

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
        reason="SQLite's locking only: PostgreSQL has row locks",
    ),
]

SEED = """
from registry.tokens import token_issue
from tests.factories import CuratorFactory, PlatformFactory
curator = CuratorFactory(username="curator")
PlatformFactory(slug="platform-a")
print(token_issue(user=curator, name="load").secret)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(database: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"sqlite:///{database}",
        SECRET_KEY="concurrency-test-not-secret",
        DEBUG="1",
        ALLOWED_HOSTS="127.0.0.1",
        THROTTLING_ENABLED="0",
        SEARCH_INDEX_DIR="",
        SEARCH_MATCH_WAIT_SECONDS="0.5",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        GUNICORN_THREADS="4",
        GUNICORN_PRELOAD="0",
        GUNICORN_ACCESSLOG="",
    )
    return env


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn exited"
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310  (http://127.0.0.1)
            return
        except OSError:
            time.sleep(0.3)
    pytest.fail("gunicorn did not come up")


def _post(url: str, token: str, body: dict[str, Any]) -> tuple[int, str, dict[str, Any]]:
    request = urllib.request.Request(  # noqa: S310  (http://127.0.0.1)
        url,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, "", json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")[:300], {}


def _resource(writer: int, n: int) -> dict[str, Any]:
    return {
        "platform": "platform-a",
        "resource_type": "compute",
        "name": f"并发算力 {writer}-{n}",
        "summary": "面向中小企业开放",
        "access_model": "open",
        "nationwide": True,
        "industries": ["I"],
        "sme_terms": {"eligible_sizes": ["small"]},
        "documentation_url": "https://docs.example.cn/compute",
        "attributes": VALID_ATTRIBUTES["compute"],
    }


def test_concurrent_api_writes_and_the_worker_on_sqlite_get_no_500_and_lose_nothing(tmp_path):
    database = tmp_path / "registry.sqlite3"
    port = _free_port()
    env = _env(database, port)
    manage = [sys.executable, str(ROOT / "manage.py")]
    # Our own interpreter, manage.py and gunicorn throughout (S603).
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, cwd=ROOT, check=True)  # noqa: S603
    seeded = subprocess.run(  # noqa: S603
        [*manage, "shell", "-c", SEED], env=env, cwd=ROOT, check=True, capture_output=True
    )
    token = seeded.stdout.decode().strip().splitlines()[-1]

    logs = tmp_path / "server.log"
    with logs.open("wb") as log:
        server = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "config.wsgi", "-c", "config/gunicorn.py"],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        worker = subprocess.Popen(  # noqa: S603
            [*manage, "db_worker", "--no-reload", "--interval", "0.1", "--no-startup-delay"],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(base, server)
            results: list[tuple[int, str]] = []  # (status, problem) of each write
            lock = threading.Lock()
            start = threading.Barrier(WRITERS)

            def write(writer: int) -> None:
                start.wait()
                for n in range(WRITES_EACH):
                    status, problem, created = _post(
                        f"{base}/api/v1/resources/", token, _resource(writer, n)
                    )
                    outcomes = [(status, problem)]
                    if status == 201:  # activating emits an event: the worker's matching writes
                        url = f"{base}/api/v1/resources/{created['id']}/activate/"
                        outcomes.append(_post(url, token, {})[:2])
                    with lock:
                        results.extend(outcomes)

            threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            time.sleep(2)  # the worker matches the last events
            assert worker.poll() is None, "the worker died"
        finally:
            for process in (server, worker):
                process.terminate()
            for process in (server, worker):
                process.wait(timeout=30)

    failures = [outcome for outcome in results if outcome[0] not in (200, 201)]
    assert len(results) == 2 * WRITERS * WRITES_EACH
    assert not failures, failures
    log_text = logs.read_text(errors="replace")
    assert "database is locked" not in log_text, log_text[-2000:]
    with sqlite3.connect(database) as db:
        (stored,) = db.execute("SELECT COUNT(*) FROM registry_resource").fetchone()
        (events,) = db.execute(
            "SELECT COUNT(*) FROM openness_event WHERE type = 'resource.activated'"
        ).fetchone()
        (journal,) = db.execute("PRAGMA journal_mode").fetchone()
    assert stored == WRITERS * WRITES_EACH
    assert events == WRITERS * WRITES_EACH
    assert journal == "wal"
