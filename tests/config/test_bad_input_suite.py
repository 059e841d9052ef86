"""Bad input at every operation of the OpenAPI document: never a 5xx, and every 4xx a problem.

The operations come from drf-spectacular's generator (as ``make schema`` writes them). For each
one, every path parameter gets malformed keys (NUL, a lone surrogate percent-encoded as its
CESU bytes, an oversize key, wrong types), and every field of every write body (one level into
nested objects too) gets malformed values: NUL and lone surrogates (JSON-escaped ``\\ud800``),
a document nested thousands deep, an oversize string, and wrong types; plus a body whose key
holds them. Each is sent as an anonymous client, an SME and a curator, at objects that exist, so
that the writes get past the permission checks to the parser and the serializers. The values are
sampled (seeded) per field and role rather than crossed, to keep the run short.
"""

import json
import random
import re
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from openness import services as openness_services
from tests.factories import (
    CuratorFactory,
    PilotProjectFactory,
    PlatformFactory,
    ResourceFactory,
    ScenarioFactory,
    ServicePlatformFactory,
    UserFactory,
)
from tests.notifications.helpers import subscription_of
from tests.openness.helpers import open_batch

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
DEEP = 5_000

BAD_PATH_VALUES = [
    "a%00b",
    "%00",
    "%ED%A0%80",  # a lone surrogate, as UTF-8 would write one if it could
    "a%ED%B0%80b",
    "x" * 3000,
    "-1",
    "99999999999999999999999999",
    "1.5",
    "%F0%9F%98%80",
    "%25",
]

# Raw JSON texts (so that surrogates stay escaped, and nesting needs no recursion to write).
BAD_JSON_VALUES = [
    '"a\\u0000b"',
    '"\\u0000"',
    '"a\\ud800b"',
    '"\\udfff"',
    '["\\ud800"]',
    '{"k\\u0000": 1}',
    '{"\\udc00": "v"}',
    "[" * DEEP + "]" * DEEP,
    '{"a":' * DEEP + "1" + "}" * DEEP,
    json.dumps("x" * 100_000),
    json.dumps("字" * 5_000),
    "123456789012345678901234567890",
    "-1",
    "1e400",
    "true",
    "null",
    "[]",
    "{}",
    '[1, {"a": []}]',
    '"2026-13-45T99:99:99Z"',
]


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _fields(schema: dict[str, Any], components: dict[str, Any], depth: int = 0) -> list[list[str]]:
    """Paths to each property of a body schema, one level into nested objects."""
    schema = _resolve(schema, components)
    properties: dict[str, Any] = {}
    for variant in schema.get("oneOf", []) + schema.get("allOf", []) + [schema]:
        properties.update(_resolve(variant, components).get("properties", {}))
    paths: list[list[str]] = []
    for name, sub in properties.items():
        paths.append([name])
        if depth == 0:
            resolved = _resolve(sub, components)
            if resolved.get("type") == "object" or "properties" in resolved:
                paths.extend([name, *rest] for rest in _fields(resolved, components, 1))
    return paths


def operations() -> Iterator[tuple[str, str, list[str], list[list[str]]]]:
    document = SchemaGenerator().get_schema(request=None, public=True)
    components = document["components"]["schemas"]
    for path, items in document["paths"].items():
        for method, operation in items.items():
            params = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
            content = operation.get("requestBody", {}).get("content", {})
            body = content.get("application/json", {}).get("schema")
            yield method, path, params, _fields(body, components) if body else []


def _nest(path: list[str], raw: str) -> str:
    text = raw
    for name in reversed(path):
        text = "{" + json.dumps(name) + ": " + text + "}"
    return text


class Tally:
    def __init__(self) -> None:
        self.tried = 0
        self.failures: list[str] = []

    def check(self, response: Any, label: str) -> None:
        self.tried += 1
        status = response.status_code
        if status >= 500:
            self.failures.append(f"{status} {label}")
        elif status >= 400 and response.get("Content-Type") != PROBLEM:
            self.failures.append(
                f"{status} not problem+json ({response.get('Content-Type')}) {label}"
            )


@pytest.fixture
def world(vocabularies: Any) -> dict[str, Any]:
    """One of each object the paths name, the SME owning a subscription."""
    curator = CuratorFactory(username="suite-curator")
    sme = UserFactory(username="suite-sme")
    platform = PlatformFactory(slug="suite-platform")
    platform.members.add(UserFactory(username="suite-publisher"))
    resource = ResourceFactory(platform=platform)
    draft = ResourceFactory(platform=platform, status="draft")
    batch = open_batch(curator)
    entry = openness_services.entry_submit(actor=curator, batch_id=batch.pk, resource=resource)
    scenario = ScenarioFactory()
    service = ServicePlatformFactory(operator=platform)
    pilot = PilotProjectFactory(lead_platform=platform, scenario=scenario)
    subscription, _secret = subscription_of(sme)
    keys = {
        "slug": platform.slug,
        "username": "suite-publisher",
        "number": str(batch.number),
        "code": pilot.code,
        "key": "compute",
    }
    by_prefix = {
        "/api/v1/resources/": str(draft.pk),
        "/api/v1/entries/": str(entry.pk),
        "/api/v1/subscriptions/": str(subscription.pk),
        "/api/v1/deliveries/": "00000000-0000-0000-0000-000000000000",
        "/api/v1/scenarios/": scenario.code,
        "/api/v1/service-platforms/": service.slug,
        "/api/v1/regions/": "440000",
        "/api/v1/industries/": "C",
    }
    return {"curator": curator, "sme": sme, "keys": keys, "by_prefix": by_prefix}


def _valid_path(path: str, world: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        for prefix, key in world["by_prefix"].items():
            if path.startswith(prefix) and name in ("id", "code", "slug"):
                return str(key)
        return str(world["keys"].get(name, "1"))

    return re.sub(r"\{(\w+)\}", value, path)


def _client(role: str, world: dict[str, Any]) -> APIClient:
    client = APIClient()
    if role != "anonymous":
        client.force_authenticate(world[role])
    return client


@pytest.mark.parametrize("role", ["anonymous", "sme", "curator"])
def test_no_bad_input_is_a_server_error(role, world, capsys):
    rng = random.Random(f"bad-input-{role}")
    client = _client(role, world)
    tally = Tally()
    per_field = 6 if role == "curator" else 2
    for method, path, params, fields in operations():
        # Malformed keys in each path parameter; the others valid.
        for param in params:
            for bad in rng.sample(BAD_PATH_VALUES, 4):
                url = _valid_path(path.replace("{" + param + "}", bad), world)
                body = "{}" if method in ("post", "put", "patch") else None
                response = client.generic(method, url, body or "", content_type="application/json")
                tally.check(response, f"{role} {method.upper()} {url[:120]}")
        if not fields:
            continue
        url = _valid_path(path, world)
        for field in fields:
            for raw in rng.sample(BAD_JSON_VALUES, per_field):
                response = client.generic(
                    method, url, _nest(field, raw), content_type="application/json"
                )
                tally.check(response, f"{role} {method.upper()} {url} {'.'.join(field)}={raw[:40]}")
        for raw in ('{"\\ud800": 1}', '{"a\\u0000": 1}', "[" * DEEP + "]" * DEEP, "not json"):
            response = client.generic(method, url, raw, content_type="application/json")
            tally.check(response, f"{role} {method.upper()} {url} body={raw[:40]}")
    with capsys.disabled():
        sys.stdout.write(
            f"\n[bad-input suite] {role}: {tally.tried} inputs, {len(tally.failures)} failures\n"
        )
    assert not tally.failures, "\n".join(tally.failures[:50])
