"""Running a shell example as a user would: the block, in bash, with real curl.

The text is first rewritten by ``SUBSTITUTIONS`` (the one list of what the harness changes), then
run by ``bash`` with ``set -euo pipefail`` in a temporary directory, after a prelude that defines
``curl`` as a function: it calls the real curl with the example's own arguments, plus options
that keep each answer (status, headers, body) in a file, and remembers the last token an answer
carried. So each curl of the block is checked afterwards: it must exit 0 and answer 2xx.

A block with ``answers`` runs on a terminal (a pseudo-terminal): each prompt is answered by the
first unused answer whose pattern it matches — what a user would type at ``createsuperuser`` — and
a prompt nothing answers gets an end of file, so a command that asks again fails at once instead
of waiting.
"""

import os
import pty
import re
import select
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from tests.docs.markdown import ORIGIN
from tests.docs.server import PASSWORD, RunningRegistry

TIMEOUT = 120  # seconds per example

# What the harness changes in an example's text before running it (in one pass; where two
# rules match at one place, the first).
SUBSTITUTIONS: tuple[tuple[str, str], ...] = (
    # the registry's address: make run's, and this harness's server
    (ORIGIN, "{base_url}"),
    # the project's interpreter and manage.py, from the example's temporary directory
    (".venv/bin/python manage.py", "{python} {manage_py}"),
    (".venv/bin/python", "{python}"),
    # a token shown as opr_… (TOKEN=opr_…, "Bearer opr_…"): the block's account's (Shell.role),
    # or the last one an answer of the block itself carried (the README asks for one, then uses it)
    ("opr_…", "${{DOCTEST_TOKEN}}"),
    # a password shown as "…": every harness account's, and what createsuperuser is answered
    ('"password": "…"', '"password": "{password}"'),
)

PRELUDE = r"""set -euo pipefail
__doctest_calls=0
curl() {
  __doctest_calls=$((__doctest_calls + 1))
  local call="$DOCTEST_CALLS/$__doctest_calls"
  printf '%s\0' "$@" > "$call.argv"
  command curl --silent --show-error --dump-header "$call.headers" --output "$call.body" \
    --write-out '%{http_code}' "$@" > "$call.status"
  local token
  token=$(sed -n 's/.*"token": *"\(opr_[A-Za-z0-9_-]*\)".*/\1/p' "$call.body" | head -n 1)
  if [ -n "$token" ]; then DOCTEST_TOKEN=$token; fi
}
"""


@dataclass(frozen=True)
class Call:
    """One curl of the example, and what the registry answered."""

    argv: list[str]
    status: int
    headers: str
    body: bytes

    def describe(self) -> str:
        shown = self.body[:1500].decode(errors="replace")
        return f"curl {shlex.join(self.argv)}\n  → {self.status} {shown}"


@dataclass(frozen=True)
class Outcome:
    script: str
    returncode: int
    output: str  # stdout and stderr, as a terminal would show them
    calls: list[Call]

    def describe(self) -> str:
        calls = "\n".join(call.describe() for call in self.calls) or "(no curl)"
        return (
            f"--- run (exit {self.returncode}):\n{self.script}\n--- output:\n{self.output[-3000:]}"
            f"\n--- curl calls:\n{calls}"
        )


def substitute(text: str, registry: RunningRegistry) -> str:
    values = {
        "base_url": registry.base_url,
        "python": shlex.quote(sys.executable),
        "manage_py": shlex.quote(str(Path(settings.BASE_DIR) / "manage.py")),
        "password": PASSWORD,
    }
    replacements = {shown: replacement.format(**values) for shown, replacement in SUBSTITUTIONS}
    # One pass, so that no replacement is rewritten by a later rule.
    pattern = "|".join(re.escape(shown) for shown, _ in SUBSTITUTIONS)
    return re.sub(pattern, lambda found: replacements[found[0]], text)


def run_shell(
    text: str,
    registry: RunningRegistry,
    directory: Path,
    *,
    role: str | None = None,
    answers: tuple[tuple[str, str], ...] = (),
    env: dict[str, str] | None = None,
) -> Outcome:
    """Runs the example ``text`` in ``directory``; ``role`` names whose token it starts with."""
    calls_dir = directory / ".curl-calls"
    calls_dir.mkdir()
    script = substitute(text, registry)
    (directory / ".example.sh").write_text(PRELUDE + script)
    token = registry.tokens.get(role, "") if role else ""
    environment = {
        **registry.env,
        "DOCTEST_CALLS": str(calls_dir),
        "DOCTEST_TOKEN": token,
        **(env or {}),
    }
    command = ["bash", str(directory / ".example.sh")]
    if answers:
        returncode, output = _on_a_terminal(command, directory, environment, answers)
    else:
        done = subprocess.run(  # noqa: S603  (bash running the docs' example)
            command,
            cwd=directory,
            env=environment,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        returncode, output = done.returncode, done.stdout + done.stderr
    return Outcome(script, returncode, output, _calls(calls_dir))


def _calls(directory: Path) -> list[Call]:
    calls = []
    for number in range(1, len(list(directory.glob("*.argv"))) + 1):
        prefix = directory / str(number)
        status = prefix.with_suffix(".status")
        body = prefix.with_suffix(".body")
        headers = prefix.with_suffix(".headers")
        calls.append(
            Call(
                argv=prefix.with_suffix(".argv").read_bytes().decode().split("\0")[:-1],
                status=int(status.read_text() or 0) if status.exists() else 0,
                headers=headers.read_text(errors="replace") if headers.exists() else "",
                body=body.read_bytes() if body.exists() else b"",
            )
        )
    return calls


def _on_a_terminal(
    command: list[str],
    directory: Path,
    env: dict[str, str],
    answers: tuple[tuple[str, str], ...],
) -> tuple[int, str]:
    controller, terminal = pty.openpty()
    process = subprocess.Popen(  # noqa: S603  (bash running the docs' example)
        command,
        cwd=directory,
        env=env,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        start_new_session=True,
    )
    os.close(terminal)
    unused = list(answers)
    output = b""
    line = ""  # the text since the last newline: a prompt, when it ends with a colon
    deadline = time.monotonic() + TIMEOUT
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 0.2)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal is closed: every process on it has ended
                break
            output += chunk
            line = output.decode(errors="replace").rsplit("\n", 1)[-1]
            if not line.rstrip().endswith((":", "：")):
                continue
            answer = next((a for a in unused if re.search(a[0], line)), None)
            if answer is None:
                os.write(controller, b"\x04")  # end of file: nothing would answer it
            else:
                unused.remove(answer)
                os.write(controller, answer[1].encode() + b"\n")
            output += b"\n"  # the answer ends the prompt's line (it is not echoed back)
        else:
            output += f"\n(still running after {TIMEOUT} s: stopped)\n".encode()
    finally:
        os.close(controller)
        try:
            returncode = process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            returncode = process.wait()
    text = output.decode(errors="replace").replace("\r\n", "\n")
    return returncode, re.sub(r"\x1b\[[0-9;]*m", "", text)  # without the terminal's colours
