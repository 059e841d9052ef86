"""The examples of the README and ``docs/*.md``, read from their Markdown.

An *example* is one of:

- a **fenced block** (```` ```sh ````, ```` ```json ````, ```` ```http ````, ```` ```python ````, or
  one without a language) — each must be named in ``tests/docs/inventory.py``, which says how it
  runs or why it does not;
- an **inline command**: a code span that starts with ``curl `` (the README's "Try: ``curl …``");
- an **inline request**: a code span ``GET /api/…`` whose path is concrete (no ``{id}``, ``<slug>``
  or ``…``), run anonymously as ``curl 'http://127.0.0.1:8000/api/…'``; spans with placeholders
  are route templates, not examples;
- a **link** to the local registry in the prose (``http://127.0.0.1:8000/api/docs/`` in the
  README's table of URLs), opened as ``curl --location``.

Each has an id ``file:line`` (a block: its opening fence's line), ``file:line:column`` for the
inline ones, which share lines.
"""

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

DOC_ROOT = Path(settings.BASE_DIR)
# The origin the docs address (make run's), which the harness rewrites to its own server's.
ORIGIN = "http://127.0.0.1:8000"

FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
CODE_SPAN = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
CONCRETE_GET = re.compile(r"GET (/api/[^\s{}<>…]*)")
LINK = re.compile(re.escape(ORIGIN) + r"(/[^\s|,)`'\"<>]*)")


@dataclass(frozen=True)
class Example:
    path: str  # relative to the project root: "README.md", "docs/webhooks.md"
    line: int
    column: int | None  # inline examples only
    kind: str  # "block", "command", "request", "link"
    language: str  # a block's info string's first word ("" for none); "sh" for inline ones
    text: str  # a block's content; an inline example as a shell command

    @property
    def id(self) -> str:
        where = f"{self.path}:{self.line}"
        return f"{where}:{self.column}" if self.column is not None else where

    @property
    def heading(self) -> str:
        """The first line, to name the example in messages."""
        return self.text.strip().splitlines()[0] if self.text.strip() else "(empty)"


def documents() -> list[str]:
    """The Markdown files whose examples are run: the README, then docs/ in name order."""
    docs = sorted(p.relative_to(DOC_ROOT).as_posix() for p in (DOC_ROOT / "docs").glob("*.md"))
    return ["README.md", *docs]


def examples_in(path: str) -> list[Example]:
    lines = (DOC_ROOT / path).read_text(encoding="utf-8").splitlines()
    found: list[Example] = []
    number = 0
    while number < len(lines):
        opening = FENCE.match(lines[number])
        if opening is None:
            found.extend(_inline(path, number + 1, lines[number]))
            number += 1
            continue
        fence, indent = opening["fence"], len(opening["indent"])
        language = (opening["info"].split() or [""])[0]
        body: list[str] = []
        start = number + 1
        number += 1
        while number < len(lines) and not _closes(lines[number], fence):
            body.append(_dedent(lines[number], indent))
            number += 1
        number += 1  # the closing fence (or the end of the file)
        text = "\n".join(body) + "\n"
        found.append(Example(path, start, None, "block", language, text))
    return found


def all_examples() -> list[Example]:
    return [example for path in documents() for example in examples_in(path)]


def _dedent(line: str, indent: int) -> str:
    """A block's line without the indentation of its fence (as far as it has it)."""
    return line[min(indent, len(line) - len(line.lstrip(" "))) :]


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(fence) and set(stripped) == {fence[0]}


def _inline(path: str, line: int, text: str) -> list[Example]:
    found = []
    for span in CODE_SPAN.finditer(text):
        content, column = span[1], span.start() + 1
        if content.startswith("curl "):
            found.append(Example(path, line, column, "command", "sh", content + "\n"))
        elif request := CONCRETE_GET.fullmatch(content):
            command = f"curl {shlex.quote(ORIGIN + request[1])}\n"
            found.append(Example(path, line, column, "request", "sh", command))
    # Links in the prose, not in code spans (blanked out, keeping the columns).
    prose = CODE_SPAN.sub(lambda span: " " * len(span[0]), text)
    for link in LINK.finditer(prose):
        command = f"curl --location {shlex.quote(link[0])}\n"
        found.append(Example(path, line, link.start() + 1, "link", "sh", command))
    return found
