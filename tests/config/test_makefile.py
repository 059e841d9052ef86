"""What the Makefile installs: ``make run`` the runtime dependencies only, the working commands
(``make test``, ``lint``, ``typecheck``…) the development tools too; CI's install target exists.

Each is asked of ``make -n`` (print the commands, run none) with a virtualenv that does not exist,
so the whole set-up is planned and nothing is installed.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_INSTALL = "-m pip install --quiet --no-compile -e .\n"
DEV_INSTALL = "-m pip install --quiet --no-compile -e '.[dev]'"


def planned(target: str, tmp_path: Path) -> str:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    result = subprocess.run(  # noqa: S603  (make, dry run, with our Makefile)
        [make, "-n", "--no-print-directory", "-C", str(ROOT), f"VENV={tmp_path}/.venv", target],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_make_run_installs_the_runtime_dependencies_and_not_the_development_tools(tmp_path):
    plan = planned("run", tmp_path)

    assert RUNTIME_INSTALL in plan
    assert "[dev]" not in plan
    assert "--upgrade pip" not in plan
    assert plan.index(RUNTIME_INSTALL) < plan.index("manage.py migrate")
    assert plan.index("manage.py seed_demo") < plan.index("manage.py demo_accounts")
    assert plan.index("manage.py demo_accounts") < plan.index("manage.py runserver")


@pytest.mark.parametrize("target", ["test", "lint", "typecheck", "schema"])
def test_the_working_commands_install_the_development_tools(tmp_path, target):
    assert DEV_INSTALL in planned(target, tmp_path)


def test_the_install_target_ci_makes_exists_and_installs_the_development_tools(tmp_path):
    [target] = re.findall(r"^make (\.venv/\S+)$", (ROOT / ".ci/run").read_text(), re.MULTILINE)

    plan = planned(target.replace(".venv", f"{tmp_path}/.venv"), tmp_path)

    assert DEV_INSTALL in plan
