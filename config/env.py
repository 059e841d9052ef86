"""Small typed getters for settings read from the environment.

Every setting the registry takes from its environment goes through one of these, so that a
misspelt or malformed value fails at start-up with a message that names the variable.

Before them the settings read a ``.env`` file in the project root, if there is one (``make run``
writes one for development): its variables fill in what the environment does not set.
"""

import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


# The .env file ---------------------------------------------------------------------------------

ENV_FILE_VARIABLE = "REGISTRY_ENV_FILE"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def env_file(default: Path) -> Path | None:
    """The ``.env`` file to read: ``REGISTRY_ENV_FILE`` when it is set (empty: none, as the tests
    have it), else ``default`` when it exists. A file named but missing fails."""
    named = os.environ.get(ENV_FILE_VARIABLE)
    if named is None:
        return default if default.is_file() else None
    if not named:
        return None
    path = Path(named)
    if not path.is_file():
        raise ImproperlyConfigured(f"{ENV_FILE_VARIABLE} names {named!r}, which is not a file.")
    return path


def read_env_file(path: Path) -> dict[str, str]:
    """The variables of a ``.env`` file: ``NAME=value`` lines, blank lines and ``#`` comments.

    A value may be quoted, '…' or "…", and is then taken as written (no escapes); unquoted, it ends
    at a `` #`` comment and its spaces around are dropped. An ``export`` before the name is allowed
    (so the file can be sourced by a shell). A line of any other form fails, naming the line only:
    its value may be a secret.
    """
    variables = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, equals, value = line.removeprefix("export ").partition("=")
        name = name.strip()
        if not equals or not _NAME.fullmatch(name):
            raise ImproperlyConfigured(f"{path}, line {number}: expected NAME=value.")
        variables[name] = _value(value.strip(), path, number)
    return variables


def _value(value: str, path: Path, number: int) -> str:
    quote = value[:1]
    if quote in {"'", '"'}:
        end = value.find(quote, 1)
        if end < 0 or value[end + 1 :].strip()[:1] not in {"", "#"}:
            raise ImproperlyConfigured(
                f"{path}, line {number}: a quoted value must be closed and end the line."
            )
        return value[1:end]
    comment = re.search(r"\s#", value)
    return (value[: comment.start()] if comment else value).strip()


def load_env_file(path: Path | None) -> None:
    """Puts the file's variables into the environment, except those the environment has: a
    variable set in the environment wins over the file."""
    if path is None:
        return
    for name, value in read_env_file(path).items():
        os.environ.setdefault(name, value)
