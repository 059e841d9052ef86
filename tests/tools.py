"""What a test does when a tool it needs (Chromium, GNU gettext…) is not installed here, and how
a test starts the registry's own commands in processes of their own."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

MANAGE_PY = Path(settings.BASE_DIR) / "manage.py"
#: ``manage.py db_worker`` as the tests run it: polling every 0.2 s from the start.
DB_WORKER = ("db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2")


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unavailable(reason: str) -> None:
    """Skip with ``reason``, or fail under ``CI=true``, where every test must run."""
    if under_ci():
        pytest.fail(f"CI must run this test: {reason}")
    pytest.skip(reason)


def start_manage_py(*arguments: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """``manage.py <arguments>`` started in the background with ``env``, its output appended to
    ``log``, in a process group of its own: stopped, or killed, as a whole (``os.killpg``)."""
    with log.open("ab") as output:
        return subprocess.Popen(  # noqa: S603  (our own interpreter and manage.py)
            [sys.executable, str(MANAGE_PY), *arguments],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def postgres_url(name: str) -> str:
    """The URL of the PostgreSQL database ``name`` on the test database's server, signed in as the
    tests are (for a process of its own)."""
    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = db.get("HOST") or "localhost"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(name, safe='')}"
