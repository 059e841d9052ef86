"""The registry the docs' examples run against: a real server process, set up as ``make run`` does.

- **Its own database**, so that nothing the examples write reaches the other tests: on SQLite a
  file in a temporary directory; on PostgreSQL a database beside the test database
  (``test_registry_docs``), created here and dropped at the end.
- **Set up as ``make run``**: ``manage.py migrate --no-input`` and ``manage.py seed_demo
  --if-empty``, then ``manage.py runserver`` on a free port of 127.0.0.1, with ``make run``'s
  environment (``DEBUG=1``, ``SITE_URL``, loopback in ``WEBHOOK_ALLOWED_NETWORKS``). The settings
  are the tests' (``tests.settings``: no developer's ``.env``, no rate limits, the fast password
  hasher, and, with ``SEARCH_INDEX_DIR`` empty, each process's search index in memory, following
  the change log itself: no follower process is needed).
- **Three accounts**, made the documented ways, all with the password ``PASSWORD``: a curator
  (``manage.py createsuperuser --no-input``), a publisher of the demo platform ``yunqi`` (added by
  the curator, ``POST /api/v1/platforms/yunqi/members/``) and an SME (``POST
  /api/v1/auth/register/``), each with a bearer token (``POST /api/v1/auth/tokens/``).
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from tests.tools import MANAGE_PY, postgres_url, start_manage_py

PASSWORD = "Openness-Docs-2026"  # every account the harness makes, and the docs' "password": "…"
LOOPBACK = "127.0.0.0/8,::1/128"  # make run's WEBHOOK_ALLOWED_NETWORKS
PUBLISHED_PLATFORM = "yunqi"  # the demo platform the harness's publisher is a member of
ACCOUNTS = {
    "curator": "docs-curator",
    "publisher": "docs-publisher",
    "sme": "docs-sme",
}
STARTS_WITHIN = 60  # seconds for the server to answer /healthz
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # no proxy to 127.0.0.1


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]  # names lower-cased
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class RunningRegistry:
    base_url: str
    env: dict[str, str]
    log: Path
    tokens: dict[str, str] = field(default_factory=dict)  # role → bearer token

    def manage(self, *arguments: str, **options: Any) -> subprocess.CompletedProcess[str]:
        """``manage.py`` against this registry's database, as ``make run``'s shell would run it."""
        return subprocess.run(  # noqa: S603  (our own interpreter and manage.py)
            [sys.executable, str(MANAGE_PY), *arguments],
            cwd=settings.BASE_DIR,
            env={**self.env, **options.pop("env", {})},
            capture_output=True,
            text=True,
            timeout=options.pop("timeout", 300),
            check=False,
            **options,
        )

    def api(
        self,
        method: str,
        path: str,
        *,
        role: str | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """One request from the harness itself (the examples use curl)."""
        request = urllib.request.Request(  # noqa: S310  (http to our own server)
            self.base_url + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={
                "Accept-Language": "en",
                **({"Content-Type": "application/json"} if body is not None else {}),
                **({"Authorization": f"Bearer {self.tokens[role]}"} if role else {}),
                **(headers or {}),
            },
        )
        try:
            with DIRECT.open(request, timeout=60) as response:
                return Answer(response.status, _headers(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, _headers(error.headers), error.read())

    def ok(self, method: str, path: str, **options: Any) -> Any:
        """The JSON of a request that must succeed (None for an empty answer)."""
        answer = self.api(method, path, **options)
        assert 200 <= answer.status < 300, (
            f"{method} {path}: {answer.status} {answer.body[:2000]!r}\n{self.output()}"
        )
        return answer.json() if answer.body else None

    def output(self) -> str:
        """The end of the server's log, for a failure's message."""
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


@contextlib.contextmanager
def running_registry(directory: Path) -> Iterator[RunningRegistry]:
    """The registry, served until the block ends; then its process and database are gone."""
    with _database(directory) as database_url:
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "REGISTRY_ENV_FILE": "",  # a developer's .env is not read (tests.settings does it too)
            "DATABASE_URL": database_url,
            "DB_CONN_MAX_AGE": "0",
            "SECRET_KEY": settings.SECRET_KEY,  # webhook secrets are encrypted with it
            "DEBUG": "1",
            "SITE_URL": base_url,
            "WEBHOOK_ALLOWED_NETWORKS": LOOPBACK,
            "PYTHONUNBUFFERED": "1",
            "no_proxy": "127.0.0.1,localhost",  # the examples' curl goes straight to the registry
            "NO_PROXY": "127.0.0.1,localhost",
        }
        registry = RunningRegistry(base_url, env, directory / "server.log")
        for command in (["migrate", "--no-input", "-v0"], ["seed_demo", "--if-empty"]):
            done = registry.manage(*command, "--no-color")
            assert done.returncode == 0, f"manage.py {' '.join(command)}:\n{done.stderr[-4000:]}"
        server = _serve(registry, port)
        try:
            _make_accounts(registry)
            yield registry
        finally:
            _stop(server)


@contextlib.contextmanager
def served_for_module(
    request: Any, django_db_blocker: Any, tmp_path_factory: Any, name: str
) -> Iterator[RunningRegistry]:
    """``running_registry`` for a module-scoped fixture: on PostgreSQL beside the test database
    (set up first), with database access unblocked for the harness's own commands."""
    if connection.vendor != "sqlite":
        request.getfixturevalue("django_db_setup")  # its server: where the registry's database goes
    with django_db_blocker.unblock(), running_registry(tmp_path_factory.mktemp(name)) as served:
        yield served


def _serve(registry: RunningRegistry, port: int) -> subprocess.Popen[bytes]:
    server = start_manage_py(
        "runserver", f"127.0.0.1:{port}", "--noreload", env=registry.env, log=registry.log
    )
    deadline = time.monotonic() + STARTS_WITHIN
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        with contextlib.suppress(OSError):
            if registry.api("GET", "/healthz").status == 200:
                return server
        time.sleep(0.2)
    _stop(server)
    raise AssertionError(f"the registry did not start:\n{registry.output()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _make_accounts(registry: RunningRegistry) -> None:
    curator, publisher, sme = (ACCOUNTS[role] for role in ("curator", "publisher", "sme"))
    done = registry.manage(
        "createsuperuser",
        "--no-input",
        f"--username={curator}",
        f"--email={curator}@example.cn",
        env={"DJANGO_SUPERUSER_PASSWORD": PASSWORD},
    )
    assert done.returncode == 0, done.stderr
    registry.tokens["curator"] = _token(registry, curator)
    registry.ok(
        "POST",
        f"/api/v1/platforms/{PUBLISHED_PLATFORM}/members/",
        role="curator",
        body={"username": publisher, "email": f"{publisher}@example.cn", "password": PASSWORD},
    )
    registry.tokens["publisher"] = _token(registry, publisher)
    registry.ok(
        "POST",
        "/api/v1/auth/register/",
        body={"username": sme, "email": f"{sme}@example.cn", "password": PASSWORD},
    )
    registry.tokens["sme"] = _token(registry, sme)


def _token(registry: RunningRegistry, username: str) -> str:
    body = {"username": username, "password": PASSWORD, "name": "docs examples"}
    token: str = registry.ok("POST", "/api/v1/auth/tokens/", body=body)["token"]
    return token


@contextlib.contextmanager
def _database(directory: Path) -> Iterator[str]:
    """The URL of an empty database of the suite's kind, dropped afterwards (PostgreSQL)."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{directory / 'registry.sqlite3'}"
        return
    assert connection.vendor == "postgresql", f"no docs database for {connection.vendor}"
    name = f"{connection.settings_dict['NAME']}_docs"
    quoted = connection.ops.quote_name(name)
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quoted}")
    try:
        yield postgres_url(name)
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _headers(message: Any) -> dict[str, str]:
    return {name.lower(): value for name, value in message.items()}
