"""The Chinese catalogue is complete: ``makemessages``, run on a copy of the project with the
options of ``make messages`` (``manage.py translations --check``), finds no message without a
translation and no fuzzy one, and ``msgfmt --check`` finds nothing wrong with it.

The check never changes the working tree. Without GNU gettext (``xgettext``, ``msgmerge``…) the
tests are skipped with the reason, except under ``CI=true``, where they fail.
"""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from config.management.commands.translations import (
    CATALOGUE,
    check_catalogue,
    describe,
    missing_tools,
    parse_entry,
    read_catalogue,
)
from tests.tools import unavailable

PROJECT = Path(settings.BASE_DIR)


@pytest.fixture
def gettext_installed() -> None:
    if missing := missing_tools():
        unavailable(f"GNU gettext is missing ({', '.join(missing)}): apt-get install gettext")


def fingerprint() -> tuple[str, int, list[Path]]:
    """What the check must leave as it was: the catalogue (``makemessages`` in place rewrites
    it), and the templates' folders (where it writes a ``.html.py`` file beside each template
    while it runs)."""
    catalogue = PROJECT / CATALOGUE
    work_files = sorted(
        path
        for app in ("config", "registry", "openness", "pilots", "progress")
        for path in (PROJECT / app).rglob("*.html.py")
    )
    digest = hashlib.sha256(catalogue.read_bytes()).hexdigest()
    return digest, catalogue.stat().st_mtime_ns, work_files


@pytest.mark.usefixtures("gettext_installed")
def test_every_message_has_a_chinese_translation_and_none_is_fuzzy():
    before = fingerprint()

    left, format_errors = check_catalogue(PROJECT)

    assert not left, f"run `make messages` and translate:\n{describe(left)}"
    assert not format_errors, format_errors
    assert fingerprint() == before, "the check changed the working tree"


@pytest.mark.usefixtures("gettext_installed")
def test_the_check_names_a_message_left_untranslated_and_a_fuzzy_one(tmp_path):
    """The project's catalogue, with one translation emptied and another marked fuzzy."""
    blocks = (PROJECT / CATALOGUE).read_text(encoding="utf-8").split("\n\n")
    simple = [
        (index, message)
        for index, message in enumerate(map(parse_entry, blocks))
        if message
        and message.msgid
        and not message.fuzzy
        and len(message.translations) == 1
        and "msgid_plural" not in blocks[index]
    ]
    (emptied, untranslated), (fuzzed, fuzzy) = simple[0], simple[1]
    lines = blocks[emptied].split("\n")
    blocks[emptied] = "\n".join([*lines[: _msgstr_line(lines)], 'msgstr ""'])
    blocks[fuzzed] = blocks[fuzzed].replace("\nmsgid ", "\n#, fuzzy\nmsgid ", 1)
    altered = tmp_path / "django.po"
    altered.write_text("\n\n".join(blocks), encoding="utf-8")

    left, _ = check_catalogue(PROJECT, catalogue=altered)

    assert [(m.msgid, m.untranslated, m.fuzzy) for m in left] == [
        (untranslated.msgid, True, False),
        (fuzzy.msgid, False, True),
    ]
    assert f"{', '.join(untranslated.locations)}: {untranslated.msgid}" in describe(left)


def _msgstr_line(lines: list[str]) -> int:
    return next(index for index, line in enumerate(lines) if line.startswith("msgstr"))


def test_the_libraries_messages_we_translate_are_the_ones_they_write():
    """django-tasks-db ships no catalogue: its model's names and fields are translated in ours
    (config/library_messages.py), as long as it keeps writing them the same."""
    catalogue = read_catalogue(PROJECT / CATALOGUE)
    listed = {m.msgid for m in catalogue if "config/library_messages.py" in m.locations}
    with translation.override("en"):
        meta = DBTaskResult._meta
        written = {str(meta.verbose_name), str(meta.verbose_name_plural)} | {
            str(field.verbose_name) for field in meta.fields if field.name not in ("id", "status")
        }

    assert written <= listed, sorted(written - listed)
