"""Debian's Chromium, driven by Playwright (no browser download), for the tests marked
``browser``: a fixture that launches it, skipped with the reason where Chromium or Playwright is
missing (failing instead under ``CI=true``), and the flush a live-server test with published
batches needs on SQLite.

A test module imports ``chromium_browser`` (``from tests.browser import chromium_browser``) and
its tests take the fixture as ``browser``.
"""

import os
import shutil
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from tests.tools import unavailable

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Chromium as root in a container: no sandbox, no GPU, nothing fetched in the background. Each
# launch() gets a fresh temporary profile (user data dir) that Playwright deletes afterwards.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(name="browser", scope="module")
def chromium_browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed (pip install -e '.[dev]')")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread, which makes Django refuse the ORM
    # calls of the fixtures (creating and flushing the test data) unless told they are safe: they
    # are, nothing else runs on that loop meanwhile.
    unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            yield chromium
            chromium.close()
    finally:
        if unsafe is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = unsafe


def flush_published_history() -> None:
    """Empties the database the way the test's teardown will, on SQLite too.

    pytest-django flushes after a transactional test: PostgreSQL truncates, which the triggers
    that keep published batches final do not see, but SQLite deletes row by row, which they
    refuse. There, the triggers are dropped for the flush and created again (as the migration
    does).
    """
    if connection.vendor != "sqlite":
        return
    triggers = import_module("openness.migrations.0002_published_history_triggers")
    with connection.cursor() as cursor:
        for statement in triggers.SQLITE_DROP:
            cursor.execute(statement)
    try:
        call_command("flush", interactive=False, verbosity=0)
    finally:
        with connection.cursor() as cursor:
            for statement in triggers.SQLITE_CREATE:
                cursor.execute(statement)
