"""``manage.py translations``: the Chinese catalogue (``locale/zh_Hans``), kept level with the code.

    manage.py translations           # makemessages with the project's options, then what is left
    manage.py translations --check   # the same on a temporary copy of the project: changes
                                     # nothing, fails naming each message left to translate

``make messages`` runs the first: new messages arrive in the catalogue with an empty translation
(or a fuzzy guess from a similar one), and the command lists them. Translate them, remove each
``#, fuzzy`` flag once its guess is checked, and ``make`` compiles the catalogue (``.mo``, not
committed) on the next ``make run`` or ``make test``. ``tests/config/test_translations.py`` runs
the check, so a message nobody translated fails the tests.

Both run Django's ``makemessages`` in a process of its own, in the project or in the copy, with
the same options (``MAKEMESSAGES``): a copy, because ``makemessages`` writes the catalogue in place
and, for templates, a ``.py`` file beside each one while it runs.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

LOCALE = "zh_Hans"
CATALOGUE = Path("locale") / LOCALE / "LC_MESSAGES" / "django.po"
# Not the registry's own code, or never shown to its users: the tests and benchmarks, the
# documentation, demo data, tools, and what is installed or built.
IGNORE = [
    ".venv",
    "venv",
    "var",
    "tests",
    "benchmarks",
    "docs",
    "fixtures",
    "bin",
    "staticfiles",
    "test-artifacts",
    "build",
    "dist",
    "node_modules",
    "*.egg-info",
]
MAKEMESSAGES = [
    "makemessages",
    f"--locale={LOCALE}",
    "--no-obsolete",  # a message gone from the code leaves the catalogue
    "--no-wrap",  # one line per message: greppable, and Chinese is not cut mid-phrase
    "--add-location=file",  # the files, not the lines: edits elsewhere leave the catalogue alone
    *(f"--ignore={pattern}" for pattern in IGNORE),
]
GETTEXT_TOOLS = ("xgettext", "msgmerge", "msguniq", "msgattrib", "msgfmt")


@dataclass
class Message:
    """One entry of a catalogue, as much of it as the check needs."""

    msgid: str
    context: str = ""
    locations: list[str] = field(default_factory=list)
    fuzzy: bool = False
    translations: list[str] = field(default_factory=list)

    @property
    def untranslated(self) -> bool:
        return not self.translations or not all(self.translations)

    def __str__(self) -> str:
        where = ", ".join(self.locations) or "?"
        context = f"[{self.context}] " if self.context else ""
        return f"{where}: {context}{self.msgid}"


def missing_tools() -> list[str]:
    """The GNU gettext programs ``makemessages`` and the check need that are not installed."""
    return [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]


def run_makemessages(project: Path) -> None:
    """Runs ``makemessages`` in ``project`` (the registry, or a copy of it) in its own process."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.setdefault("SECRET_KEY", "makemessages")  # nothing is signed: the settings only load
    result = subprocess.run(  # noqa: S603  (this Python, this project's manage.py)
        [sys.executable, "manage.py", *MAKEMESSAGES, "--verbosity=0"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise CommandError(f"makemessages failed:\n{result.stderr or result.stdout}")


def read_catalogue(path: Path) -> list[Message]:
    """The entries of a ``.po`` file (the header and obsolete ``#~`` entries left out)."""
    messages: list[Message] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        message = parse_entry(block)
        if message is not None and message.msgid:
            messages.append(message)
    return messages


def parse_entry(block: str) -> Message | None:
    """One entry of a catalogue (a block between empty lines), or None for one that has none."""
    fields: dict[str, list[str]] = {}
    locations: list[str] = []
    fuzzy = False
    current: list[str] | None = None
    for line in block.strip().splitlines():
        if line.startswith("#:"):
            locations.extend(line[2:].split())
        elif line.startswith("#,"):
            fuzzy = fuzzy or "fuzzy" in (flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue  # comments, previous msgids (#|), obsolete entries (#~)
        elif line.startswith('"'):
            if current is not None:
                current.append(_unquote(line))
        else:
            keyword, _, value = line.partition(" ")
            current = fields.setdefault(keyword, [])
            current.append(_unquote(value))
    if "msgid" not in fields:
        return None
    translations = [
        "".join(parts) for keyword, parts in fields.items() if keyword.startswith("msgstr")
    ]
    return Message(
        msgid="".join(fields["msgid"]),
        context="".join(fields.get("msgctxt", [])),
        locations=locations,
        fuzzy=fuzzy,
        translations=translations,
    )


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def left_to_translate(catalogue: Path) -> list[Message]:
    """The messages of ``catalogue`` without a translation, or with a fuzzy one."""
    return [m for m in read_catalogue(catalogue) if m.untranslated or m.fuzzy]


def format_errors(catalogue: Path) -> str:
    """What ``msgfmt --check`` says is wrong with ``catalogue`` (a placeholder missing from a
    translation, a broken header…), or nothing."""
    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "--output-file=/dev/null", str(catalogue)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    return "" if result.returncode == 0 else result.stderr.strip()


def check_catalogue(project: Path, catalogue: Path | None = None) -> tuple[list[Message], str]:
    """What ``makemessages`` would leave to translate in ``project``, found on a copy of it:
    the messages without a translation or with a fuzzy one, and ``msgfmt``'s complaints.

    ``catalogue`` stands in for the project's own catalogue (a test's altered copy)."""
    with tempfile.TemporaryDirectory(prefix="translations-") as scratch:
        copy = Path(scratch) / "project"
        shutil.copytree(
            project,
            copy,
            symlinks=True,
            ignore=shutil.ignore_patterns(
                *IGNORE, ".*", "__pycache__", "*.pyc", "*.mo", "*.sqlite3*"
            ),
        )
        if catalogue is not None:
            shutil.copyfile(catalogue, copy / CATALOGUE)
        run_makemessages(copy)
        return left_to_translate(copy / CATALOGUE), format_errors(copy / CATALOGUE)


def describe(messages: list[Message]) -> str:
    untranslated = [m for m in messages if m.untranslated]
    fuzzy = [m for m in messages if m.fuzzy and not m.untranslated]
    lines = []
    if untranslated:
        lines.append(f"{len(untranslated)} message(s) without a translation:")
        lines.extend(f"  {message}" for message in untranslated)
    if fuzzy:
        lines.append(f"{len(fuzzy)} fuzzy translation(s) (check each, then remove '#, fuzzy'):")
        lines.extend(f"  {message}" for message in fuzzy)
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Updates the Chinese catalogue from the code (makemessages with the project's options) "
        "and lists what is left to translate; --check does it on a temporary copy instead, "
        "changing nothing, and fails if anything is left."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; fail when a message has no translation or a fuzzy one.",
        )

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        if missing := missing_tools():
            raise CommandError(
                f"GNU gettext is missing ({', '.join(missing)}): apt-get install gettext"
            )
        project = Path(settings.BASE_DIR)
        if check:
            left, errors = check_catalogue(project)
        else:
            run_makemessages(project)
            left, errors = (
                left_to_translate(project / CATALOGUE),
                format_errors(project / CATALOGUE),
            )
        report = "\n".join(part for part in (describe(left), errors) if part)
        if check and report:
            raise CommandError(f"{CATALOGUE} is not complete:\n{report}")
        if report:
            self.stdout.write(report)
        else:
            self.stdout.write(f"{CATALOGUE}: every message is translated.")
