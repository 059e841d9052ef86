"""Every fenced block of the README and ``docs/``: how it is run, or why it is not.

A block is named by its file and a *marker*, a piece of its text found in no other block of that
file (line numbers change with every edit above them). Each block must be named by exactly one
entry and each entry must name a block: a new block that is neither run nor skipped with a reason
fails ``test_examples.py``, and so does an entry whose block is gone.

Inline examples (``curl …`` and concrete ``GET /api/…`` code spans, links to the local registry)
need no entry: each is run anonymously and must answer 2xx (``tests.docs.markdown``).

``KNOWN_FAILURES`` marks the examples that fail today, for reasons being fixed elsewhere, as
``xfail(strict=True)``: once the fix lands they pass, the test says so, and the entry goes.
"""

from dataclasses import dataclass

from tests.docs.markdown import Example
from tests.docs.runners import Answer, How, Python, Shell, Skip, WebhookRequest
from tests.docs.server import PASSWORD
from tests.docs.webhook import (
    openssl_prints_the_signature,
    verifies_by_hand,
    verifies_with_the_reference_library,
)

DIAGRAM = Skip("a diagram, not a command")
# What a user types at `manage.py createsuperuser` for the README's curator (prompts in Chinese
# or English, as the language of the settings has them).
CREATESUPERUSER = (
    ("用户名|[Uu]sername", "curator"),
    ("电子邮件|[Ee]mail", "curator@example.cn"),
    ("密码|[Pp]assword", PASSWORD),
    ("密码|[Pp]assword", PASSWORD),
)
TOKEN_KEYS = frozenset({"token", "prefix", "expires_at"})


@dataclass(frozen=True)
class Entry:
    path: str
    marker: str
    how: How

    def names(self, example: Example) -> bool:
        return example.kind == "block" and example.path == self.path and self.marker in example.text


INVENTORY: tuple[Entry, ...] = (
    Entry(
        "README.md",
        "make run    #",
        Skip(
            "make run serves until it is stopped (this module serves the registry the same way) "
            "and make test is the suite this module is part of"
        ),
    ),
    Entry("README.md", "manage.py demo_accounts", Shell()),
    Entry("README.md", "createsuperuser", Shell(answers=CREATESUPERUSER, keys={1: TOKEN_KEYS})),
    Entry(
        "README.md",
        '"webhook_url": "http://127.0.0.1:9000/hook"',
        Shell(role="sme", keys={1: frozenset({"secret"})}),
    ),
    Entry(
        "README.md",
        "createdb",
        Skip(
            "needs a PostgreSQL server to create a database on, starts the server (make run), "
            "runs the whole suite (make test) and loads 100,000 resources (minutes); the suite "
            "runs on PostgreSQL in CI, and this module with it"
        ),
    ),
    Entry("README.md", "docker compose up", Skip("builds and starts the production containers")),
    Entry(
        "docs/api-conventions.md",
        '"instance": "/api/v1/resources/?regoin=440000"',
        Answer("GET /api/v1/resources/?regoin=440000"),
    ),
    Entry(
        "docs/api-conventions.md",
        '"instance": "/api/v1/resources/?access_model=free"',
        Answer("GET /api/v1/resources/?access_model=free"),
    ),
    Entry(
        "docs/api-conventions.md",
        "const etag = first.headers.get",
        Skip(
            "a browser page's JavaScript on another origin: "
            "tests/config/test_cors_browser.py sends the same requests from Chromium"
        ),
    ),
    Entry("docs/architecture.md", "notifications   subscriptions, matching", DIAGRAM),
    Entry("docs/openness-lists.md", "create            open", DIAGRAM),
    Entry(
        "docs/clients.md",
        "make check-clients",
        Skip("runs tests/clients, which make test runs too"),
    ),
    Entry(
        "docs/clients.md",
        "clients/python/generate.py",
        Skip("tests/clients/test_generated_clients.py runs these steps against a served registry"),
    ),
    Entry("docs/clients.md", "make lint-openapi", Skip("CI runs it (.ci/run), with npm")),
    Entry("docs/dcat.md", "-o catalogue.ttl", Shell()),
    Entry(
        "docs/dcat.md",
        "a dcat:DataService ;",
        Skip("an excerpt of the export (ids elided); tests/openness/test_dcat.py checks it"),
    ),
    Entry("docs/openness-lists.md", "batch-2-annex.xlsx", Shell()),
    Entry("docs/openness-lists.md", "retract (publisher, batch open)", DIAGRAM),
    Entry("docs/pilots.md", "select (year)", DIAGRAM),
    Entry("docs/pilots.md", "TOKEN=opr_…   # a curator's token", Shell(role="curator")),
    Entry(
        "docs/progress.md",
        "apt-get install",
        Skip(
            "installs system packages (root); the pytest line runs the browser test, which is "
            "part of the suite already"
        ),
    ),
    Entry("docs/resource-workflow.md", "activate", DIAGRAM),
    Entry(
        "docs/webhooks.md",
        '"event_types": ["entry.listed", "entry.withdrawn"]',
        Shell(role="sme", keys={1: frozenset({"secret"})}),
    ),
    Entry("docs/webhooks.md", "POST /registry HTTP/1.1", WebhookRequest()),
    Entry(
        "docs/webhooks.md", "Webhook(SECRET).verify", Python(verifies_with_the_reference_library)
    ),
    Entry("docs/webhooks.md", "def authentic(", Python(verifies_by_hand)),
    Entry(
        "docs/webhooks.md",
        "openssl dgst",
        Shell(webhook=True, check=openssl_prints_the_signature),
    ),
)

# (file, a piece of the example's text, why it fails today)
KNOWN_FAILURES: tuple[tuple[str, str, str], ...] = ()

INLINE = Shell()  # inline commands, requests and links: anonymous, 2xx


def how_to_run(example: Example) -> How:
    """The way of the one entry that names a block; ``INLINE`` for the inline examples."""
    if example.kind != "block":
        return INLINE
    entries = [entry for entry in INVENTORY if entry.names(example)]
    if not entries:
        raise LookupError(
            f"{example.id} (```{example.language}: {example.heading!r}) is neither run nor "
            "skipped: name it in tests/docs/inventory.py, with how to run it or why it cannot be"
        )
    if len(entries) > 1:
        markers = ", ".join(repr(entry.marker) for entry in entries)
        raise LookupError(f"{example.id} is named by {len(entries)} entries: {markers}")
    return entries[0].how


def known_failure(example: Example) -> str | None:
    for path, marker, reason in KNOWN_FAILURES:
        if example.path == path and marker in example.text:
            return reason
    return None
