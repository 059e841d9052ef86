"""Clients generated from the committed ``docs/openapi.yaml`` do what an integrator does with them.

Each generator's output is type-checked together with a short script that uses it (mypy --strict
for openapi-python-client's, tsc --strict for openapi-typescript's with openapi-fetch), and the
script then runs against a real registry served as ``make run`` serves it (``tests.docs.server``:
the demo data, a publisher of ``yunqi`` with a bearer token). The scripts, in ``clients/``, list
resources with filters and facets, follow the pages to the end, send a conditional GET and handle
its 304, and as the publisher create a resource, patch it with ``If-Match`` (a stale one is a 412)
and delete it again; they exit non-zero on the first thing that is not as documented.
docs/clients.md says how to run them by hand.
"""

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from tests.docs.server import PUBLISHED_PLATFORM, RunningRegistry, served_for_module
from tests.tools import unavailable

BASE_DIR = Path(settings.BASE_DIR)
SCHEMA = BASE_DIR / "docs" / "openapi.yaml"
CLIENTS = BASE_DIR / "clients"
VENV_BIN = Path(sys.executable).parent


def _run(command: list[str], *, cwd: Path = BASE_DIR, env: dict[str, str] | None = None) -> str:
    """Run ``command``; its output, or a failure that shows it."""
    done = subprocess.run(  # noqa: S603  (the project's own tools and scripts)
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"{' '.join(command)} exited {done.returncode}:\n{output[-6000:]}"
    return output


def _script_env(registry: RunningRegistry) -> dict[str, str]:
    return {
        "REGISTRY_URL": registry.base_url,
        "REGISTRY_PUBLISHER_TOKEN": registry.tokens["publisher"],
        "REGISTRY_PLATFORM": PUBLISHED_PLATFORM,
        "no_proxy": "127.0.0.1,localhost",
        "NO_PROXY": "127.0.0.1,localhost",
    }


@pytest.fixture(scope="module")
def registry(
    request: pytest.FixtureRequest,
    django_db_blocker: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[RunningRegistry]:
    with served_for_module(request, django_db_blocker, tmp_path_factory, "clients") as served:
        yield served


def test_the_python_client_generated_from_the_document_lists_pages_revalidates_and_writes(
    registry: RunningRegistry,
) -> None:
    generated = CLIENTS / "python" / "generated"
    _run([sys.executable, str(CLIENTS / "python" / "generate.py")])
    on_path = {"PYTHONPATH": str(generated), "MYPYPATH": str(generated)}
    script = CLIENTS / "python" / "check_client.py"
    _run(
        [str(VENV_BIN / "mypy"), "--strict", "--no-incremental", str(script)],
        cwd=CLIENTS / "python",
        env=on_path,
    )
    output = _run([sys.executable, str(script)], env={**on_path, **_script_env(registry)})
    assert "all checks passed" in output, output


def test_the_typescript_client_generated_from_the_document_lists_pages_revalidates_and_writes(
    registry: RunningRegistry,
) -> None:
    if shutil.which("npm") is None or shutil.which("node") is None:
        unavailable("Node.js and npm are missing (apt-get install nodejs npm)")
    modules = CLIENTS / "node_modules"
    lock = CLIENTS / "package-lock.json"
    installed = modules / ".package-lock.json"  # npm writes it on every install
    if not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime:
        _run(["npm", "ci", "--no-audit", "--no-fund"], cwd=CLIENTS)
    _run(["npm", "run", "--silent", "generate"], cwd=CLIENTS)
    _run(["npm", "run", "--silent", "build"], cwd=CLIENTS)
    output = _run(["npm", "run", "--silent", "check"], cwd=CLIENTS, env=_script_env(registry))
    assert "all checks passed" in output, output
