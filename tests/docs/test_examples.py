"""Every example of the README and ``docs/`` works as written, against a real registry.

The harness, in the order an example meets it:

- ``tests.docs.markdown`` finds the examples: fenced blocks, inline ``curl`` commands and concrete
  ``GET /api/…`` requests, links to the local registry; each is one test, with the id
  ``file:line`` (``file:line:column`` inline).
- ``tests.docs.inventory`` says how each block runs, or why it is skipped; a block it does not
  name fails, so no example goes unchecked unnoticed.
- ``tests.docs.server`` serves the registry once for the module, as ``make run`` would (its own
  database with the demo, ``manage.py runserver`` on a free port, three accounts with tokens).
- ``tests.docs.shell`` runs shell examples in bash with real curl, after the substitutions it
  lists (the server's address, tokens, passwords); ``tests.docs.runners`` checks the outcome
  (exit status, 2xx, the shapes of the answers shown: ``tests.docs.shapes``); the webhook
  examples are checked against a webhook delivered for real (``tests.docs.webhook``).
"""

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.docs.inventory import INVENTORY, how_to_run, known_failure
from tests.docs.markdown import Example, all_examples
from tests.docs.runners import Context, Skip
from tests.docs.server import RunningRegistry, served_for_module
from tests.docs.webhook import DeliveredWebhook, deliver_a_webhook

EXAMPLES = all_examples()


def _param(example: Example) -> Any:
    reason = known_failure(example)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(example, id=example.id, marks=marks)


def _missing(tool: str) -> None:
    """Skip, or fail under CI, where every example must run."""
    reason = f"{tool} is missing: the docs' examples use it"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def registry(
    request: pytest.FixtureRequest,
    django_db_blocker: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[RunningRegistry]:
    for tool in ("bash", "curl"):
        if shutil.which(tool) is None:
            _missing(tool)
    with served_for_module(request, django_db_blocker, tmp_path_factory, "docs") as served:
        yield served


@pytest.fixture(scope="module")
def webhook(
    registry: RunningRegistry, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[], DeliveredWebhook]:
    """A webhook delivered for real, the first time an example asks for it."""
    delivered: list[DeliveredWebhook | None] = []

    def once() -> DeliveredWebhook:
        if not delivered:
            delivered.append(None)  # a failure is not tried again by every example after it
            log = tmp_path_factory.mktemp("webhook") / "worker.log"
            delivered[0] = deliver_a_webhook(registry, log)
        if delivered[0] is None:
            pytest.fail("no webhook was delivered: see the first example that asked for one")
        return delivered[0]

    return once


@pytest.mark.parametrize("example", [_param(example) for example in EXAMPLES])
def test_the_example_works_as_the_docs_show_it(
    example: Example,
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> None:
    try:
        how = how_to_run(example)
    except LookupError as unnamed:
        pytest.fail(str(unnamed))
    if isinstance(how, Skip):
        pytest.skip(f"{example.id}: {how.reason}")
    for tool in ("openssl", "xxd", "base64") if "openssl" in example.text else ():
        if shutil.which(tool) is None:
            _missing(tool)
    context = Context(
        registry=request.getfixturevalue("registry"),
        directory=tmp_path,
        webhook=request.getfixturevalue("webhook"),
    )
    how.run(example, context)


def test_each_entry_of_the_inventory_names_exactly_one_block() -> None:
    blocks = [example for example in EXAMPLES if example.kind == "block"]
    problems = []
    for entry in INVENTORY:
        named = [block.id for block in blocks if entry.names(block)]
        if len(named) != 1:
            problems.append(f"{entry.path} {entry.marker!r} names {named or 'no block'}")
    assert not problems, "\n".join(problems)


def test_the_examples_are_found_in_the_readme_and_the_docs() -> None:
    paths = {example.path for example in EXAMPLES}
    assert {"README.md", "docs/webhooks.md", "docs/pilots.md", "docs/api-conventions.md"} <= paths
