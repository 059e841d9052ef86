"""The ``.env`` file: the settings read it before the environment's getters, the environment wins
over it, ``make run`` writes a development one, and the tests never read a developer's."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.env import env_file, load_env_file, read_env_file

ROOT = Path(__file__).resolve().parents[2]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_it_reads_names_and_values_comments_quotes_and_export(tmp_path):
    path = write(
        tmp_path / ".env",
        "# a comment\n"
        "\n"
        "DEBUG=1\n"
        "SECRET_KEY=ab=cd#ef\n"
        "  SITE_URL = http://127.0.0.1:8000   # where it is served\n"
        "TIME_ZONE='Asia/Shanghai'\n"
        'LOG_LEVEL="INFO"  # quoted, then a comment\n'
        "export CACHE_URL=\n"
        "QUOTED=' spaces and # kept '\n",
    )

    assert read_env_file(path) == {
        "DEBUG": "1",
        "SECRET_KEY": "ab=cd#ef",
        "SITE_URL": "http://127.0.0.1:8000",
        "TIME_ZONE": "Asia/Shanghai",
        "LOG_LEVEL": "INFO",
        "CACHE_URL": "",
        "QUOTED": " spaces and # kept ",
    }


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("SECRET_KEY", "line 2: expected NAME=value"),
        ("2FA=on", "line 2: expected NAME=value"),
        ("SECRET_KEY='unclosed", "line 2: a quoted value must be closed"),
        ("SECRET_KEY='a' b", "line 2: a quoted value must be closed and end the line"),
    ],
)
def test_a_malformed_line_fails_naming_the_line_but_not_its_value(tmp_path, line, message):
    path = write(tmp_path / ".env", f"DEBUG=1\n{line}\n")

    with pytest.raises(ImproperlyConfigured, match=message) as raised:
        read_env_file(path)

    assert line not in str(raised.value)


def test_the_environment_wins_over_the_file(tmp_path, monkeypatch):
    environ = {"SITE_URL": "https://registry.example.cn"}
    monkeypatch.setattr(os, "environ", environ)  # this process's own is left alone
    path = write(tmp_path / ".env", "SITE_URL=http://127.0.0.1:8000\nWEBHOOK_TIMEOUT=3\n")

    load_env_file(path)

    assert environ == {"SITE_URL": "https://registry.example.cn", "WEBHOOK_TIMEOUT": "3"}


def test_the_file_is_the_projects_env_unless_registry_env_file_names_another_or_none(
    tmp_path, monkeypatch
):
    default = tmp_path / ".env"
    monkeypatch.delenv("REGISTRY_ENV_FILE")
    assert env_file(default) is None
    write(default, "DEBUG=1\n")
    assert env_file(default) == default

    monkeypatch.setenv("REGISTRY_ENV_FILE", "")
    assert env_file(default) is None
    other = write(tmp_path / "other.env", "DEBUG=1\n")
    monkeypatch.setenv("REGISTRY_ENV_FILE", str(other))
    assert env_file(default) == other
    monkeypatch.setenv("REGISTRY_ENV_FILE", str(tmp_path / "missing.env"))
    with pytest.raises(ImproperlyConfigured, match=r"REGISTRY_ENV_FILE names .*missing\.env"):
        env_file(default)


def test_the_test_suite_reads_no_env_file():
    assert settings.ENV_FILE is None
    assert os.environ["REGISTRY_ENV_FILE"] == ""


# The settings in a process of their own (config.settings, as manage.py loads them) -------------

SHOWN = ["DEBUG", "SECRET_KEY", "SITE_URL", "WEBHOOK_ALLOWED_NETWORKS", "ENV_FILE"]


def settings_in_a_process(**env: str) -> subprocess.CompletedProcess[str]:
    """``config.settings`` in a fresh process, with none of this process's settings variables."""
    base = {
        name: value
        for name, value in os.environ.items()
        if name not in {*SHOWN, "ALLOWED_HOSTS", "REGISTRY_ENV_FILE"}
        and not name.startswith("DJANGO_")
    }
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: str(getattr(settings, name)) for name in {SHOWN!r}}}))"
    )
    return subprocess.run(  # noqa: S603  (our own interpreter)
        [sys.executable, "-c", code],
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def shown(result: subprocess.CompletedProcess[str]) -> dict[str, str]:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_command_run_by_hand_takes_debug_and_the_key_from_the_env_file(tmp_path):
    path = write(
        tmp_path / ".env", "DEBUG=1\nSECRET_KEY=from-the-file\nSITE_URL=http://127.0.0.1:8123\n"
    )

    values = shown(settings_in_a_process(REGISTRY_ENV_FILE=str(path)))

    assert values == {
        "DEBUG": "True",
        "SECRET_KEY": "from-the-file",
        "SITE_URL": "http://127.0.0.1:8123",
        "WEBHOOK_ALLOWED_NETWORKS": "[]",
        "ENV_FILE": str(path),
    }


def test_a_variable_in_the_environment_wins_over_the_env_file(tmp_path):
    path = write(tmp_path / ".env", "DEBUG=1\nSECRET_KEY=from-the-file\n")

    values = shown(settings_in_a_process(REGISTRY_ENV_FILE=str(path), DEBUG="0"))

    assert (values["DEBUG"], values["SECRET_KEY"]) == ("False", "from-the-file")


def test_without_an_env_file_debug_is_off_and_a_secret_key_is_required_as_before():
    result = settings_in_a_process(REGISTRY_ENV_FILE="")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


# The .env that make run writes ---------------------------------------------------------------


def make_env(directory: Path, port: str = "8123") -> subprocess.CompletedProcess[str]:
    """``make .env`` in ``directory``, with this checkout's Makefile and interpreter (the install
    it would otherwise wait for is taken as done: ``-o``)."""
    venv = Path(sys.executable).parent.parent
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    return subprocess.run(  # noqa: S603  (make, with our Makefile)
        [
            make,
            "--no-print-directory",
            "-s",
            "-f",
            str(ROOT / "Makefile"),
            "-C",
            str(directory),
            "-o",
            f"{venv}/.installed-runtime",
            f"VENV={venv}",
            f"PORT={port}",
            ".env",
        ],
        env={k: v for k, v in os.environ.items() if k not in {"SITE_URL", "MAKEFLAGS"}},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def test_make_run_writes_a_development_env_file_with_a_random_key_of_its_own(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()

    make_env(first)
    make_env(second)

    values = read_env_file(first / ".env")
    assert values["DEBUG"] == "1"
    assert values["SITE_URL"] == "http://127.0.0.1:8123"
    assert values["WEBHOOK_ALLOWED_NETWORKS"] == "127.0.0.0/8,::1/128"
    assert len(values["SECRET_KEY"]) >= 50
    assert values["SECRET_KEY"] != read_env_file(second / ".env")["SECRET_KEY"]
    assert (first / ".env").stat().st_mode & 0o077 == 0  # readable by its owner only
    values = shown(settings_in_a_process(REGISTRY_ENV_FILE=str(first / ".env")))
    assert values["DEBUG"] == "True"
    assert values["WEBHOOK_ALLOWED_NETWORKS"] == "['127.0.0.0/8', '::1/128']"


def test_make_run_keeps_an_env_file_that_exists(tmp_path):
    write(tmp_path / ".env", "DEBUG=0\nSECRET_KEY=mine\n")

    make_env(tmp_path)

    assert (tmp_path / ".env").read_text() == "DEBUG=0\nSECRET_KEY=mine\n"


def test_neither_git_nor_docker_takes_in_the_env_file():
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    ignored = subprocess.run(  # noqa: S603  (git, on our checkout)
        [git, "check-ignore", "--quiet", "--no-index", ".env"], cwd=ROOT, check=False
    )

    assert ignored.returncode == 0
    assert ".env" in (ROOT / ".dockerignore").read_text().splitlines()


def test_the_example_file_is_a_valid_env_file_of_the_settings_variables():
    example = read_env_file(ROOT / ".env.example")

    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "SITE_URL"} <= set(example)
    assert example["DEBUG"] == "0"
