"""Every write route of the API has its generic write case (``tests.api_write_cases``).

The routes are read from the URL resolver: each viewset action (and each API view's handler)
answering POST, PUT, PATCH or DELETE under ``/api/v1/``. The cases are the ``Test…`` subclasses of
``WriteEndpointTests`` in the test modules. A new write route fails here, by name, until a case
declares it; a case naming a route that no longer exists fails too.
"""

import importlib
import re
from collections.abc import Iterator
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

from tests.api_write_cases import WriteEndpointTests

WRITE_METHODS = ("post", "put", "patch", "delete")
API_PREFIX = "api/v1/"
TESTS = Path(__file__).parent


def _patterns(patterns: list, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def _template(route: str) -> str:
    """``api/v1/^resources/(?P<pk>[^/.]+)/activate/$`` → ``resources/{pk}/activate/``."""
    path = route.removeprefix(API_PREFIX).replace("^", "").replace("$", "")
    return re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", path)


def api_write_routes() -> set[str]:
    """``"POST resources/{pk}/activate/"`` for every write route of the API."""
    routes = set()
    for route, pattern in _patterns(get_resolver().url_patterns):
        if not route.startswith(API_PREFIX):
            continue
        actions = getattr(pattern.callback, "actions", None)  # a viewset's method → action
        view = getattr(pattern.callback, "view_class", None)
        methods = actions or {m: m for m in WRITE_METHODS if hasattr(view, m)}
        routes |= {f"{m.upper()} {_template(route)}" for m in methods if m in WRITE_METHODS}
    return routes


def write_cases() -> dict[str, list[str]]:
    """Each route declared by a case, with the cases declaring it."""
    for path in sorted(TESTS.rglob("test_*.py")):
        if "EndpointTests" in path.read_text(encoding="utf-8"):
            module = ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)
            importlib.import_module(module)
    cases: dict[str, list[str]] = {}
    seen: set[type] = set()
    pending = list(WriteEndpointTests.__subclasses__())
    while pending:
        case = pending.pop()
        if case in seen:
            continue  # reached again through a second base
        seen.add(case)
        pending.extend(case.__subclasses__())
        if case.__name__.startswith("Test") and "route" in vars(case):
            cases.setdefault(case.route, []).append(f"{case.__module__}.{case.__name__}")
    return cases


def test_the_resolver_finds_the_write_routes() -> None:
    routes = api_write_routes()
    assert {"POST resources/", "PATCH resources/{pk}/", "POST auth/register/"} <= routes
    assert "POST batches/{number}/entries/" in routes  # a mapped action (``entries.mapping``)
    assert "DELETE platforms/{slug}/members/{username}/" in routes


def test_every_write_route_of_the_api_has_a_generic_case() -> None:
    missing = sorted(api_write_routes() - set(write_cases()))
    assert not missing, "write routes with no generic case: " + ", ".join(missing)


def test_every_generic_case_names_a_write_route_that_exists() -> None:
    unknown = sorted(set(write_cases()) - api_write_routes())
    assert not unknown, "cases naming no write route: " + ", ".join(unknown)


def test_each_write_route_has_one_case() -> None:
    repeated = {route: names for route, names in write_cases().items() if len(names) > 1}
    assert not repeated, repeated
