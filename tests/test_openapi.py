"""The OpenAPI document: valid 3.1 with no warnings, and true to what the API answers.

The schemathesis runs drive the operations in-process through the WSGI app with generated
requests, and check that no answer is a server error, every answer matches its schema and every
error is a problem document whose ``status`` is the HTTP status. The first run sends every
operation anonymously (so every write is a 401); the second sends the writes as a curator with a
bearer token, mostly at objects that exist.
"""

import json
import uuid
from typing import Any

import pytest
import schemathesis
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from registry.attributes import TYPE_SPECS
from registry.tokens import token_issue
from tests.factories import CuratorFactory, PlatformFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_openapi_document_validates_with_no_warnings(tmp_path):
    target = tmp_path / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert target.read_text().startswith("openapi: 3.1.0")


def test_every_operation_has_a_summary_and_documents_its_errors(api_client):
    document = api_client.get("/api/schema/?format=json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"
            errors = [status for status in operation["responses"] if status.startswith(("4", "5"))]
            assert "500" in errors, f"{method.upper()} {path} does not document its errors"
            for status in errors:
                content = operation["responses"][status]["content"]
                assert "application/problem+json" in content


def test_resource_attributes_are_a_oneof_discriminated_by_resource_type(api_client):
    document = api_client.get("/api/schema/?format=json").json()
    resource = document["components"]["schemas"]["Resource"]
    assert resource["discriminator"]["propertyName"] == "resource_type"
    assert set(resource["discriminator"]["mapping"]) == set(TYPE_SPECS)
    compute = document["components"]["schemas"]["ResourceCompute"]
    assert "capacity_pflops" in compute["properties"]["attributes"]["properties"]


def test_the_docs_pages_load_every_asset_from_the_registry_itself(client):
    for page in ("/api/docs/", "/api/redoc/"):
        html = client.get(page).content.decode()
        assert "http://" not in html.replace("http://testserver", "")
        assert "https://" not in html


def errors_are_problem_details(ctx: Any, response: Any, case: Any) -> None:
    """Every 4xx and 5xx is application/problem+json whose ``status`` is the HTTP status."""
    if response.status_code < 400 or case.method.upper() == "HEAD":
        return
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type == "application/problem+json", (
        f"{case.operation.label} answered {response.status_code} as {content_type!r}"
    )
    body = json.loads(response.content)
    assert body.get("status") == response.status_code, (
        f"{case.operation.label} answered {response.status_code} with status {body.get('status')!r}"
    )


CHECKS = [not_a_server_error, response_schema_conformance, errors_are_problem_details]

# Generating the document touches no table, so it can be loaded when the module is collected.
app = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/schema/", app)


@pytest.fixture
def catalogue(db, keep_test_connection):
    """One resource of every type (and a withdrawn one), so answers exercise every schema."""
    platform = PlatformFactory(slug="schemathesis")
    for resource_type in TYPE_SPECS:
        ResourceFactory(platform=platform, resource_type=resource_type, tags=["gpu", "数据集"])
    ResourceFactory(platform=platform, nationwide=True, status="withdrawn")


@pytest.mark.slow
@pytest.mark.usefixtures("catalogue")
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_within_its_schema_and_never_with_a_server_error(case):
    case.call_and_validate(checks=CHECKS)


# Writes, as a curator ----------------------------------------------------------------------------
# A schema of its own, so its hooks and settings leave the anonymous run above alone. The anonymous
# run already sends each write its coverage-phase requests (all 401); this one only fuzzes
# (negative cases included), aiming most requests at objects that exist and half of the If-Match
# headers at any version, so bodies are validated and written rather than all 404 and 412.
write_schema = schemathesis.openapi.from_wsgi("/api/schema/", app).include(
    method=["POST", "PUT", "PATCH", "DELETE"]
)
write_schema.config.phases.coverage.enabled = False

WRITE_PLATFORM = "schemathesis-writes"
WRITE_MEMBER = "schemathesis-member"
# Fixed ids, so the generated requests can name resources that exist.
WRITE_RESOURCES = {
    "active": uuid.UUID("5c4e0a4e-0000-4000-8000-000000000001"),
    "draft": uuid.UUID("5c4e0a4e-0000-4000-8000-000000000002"),
    "withdrawn": uuid.UUID("5c4e0a4e-0000-4000-8000-000000000003"),
}
KNOWN_PATH_VALUES = {
    "slug": [WRITE_PLATFORM],
    "username": [WRITE_MEMBER],
    "id": [str(pk) for pk in WRITE_RESOURCES.values()],
}


@write_schema.hook
def flatmap_path_parameters(ctx: Any, path_parameters: Any) -> Any:
    """The generated value or an object that exists, so writes get past the 404."""
    if not path_parameters:
        return st.just(path_parameters)
    on_resources = "/resources/" in ctx.operation.path

    def candidates(name: str, generated: Any) -> list[Any]:
        if name == "id" and not on_resources:  # a token's id: not one of ours
            return [generated]
        return [generated, *KNOWN_PATH_VALUES.get(name, [])]

    return st.fixed_dictionaries(
        {name: st.sampled_from(candidates(name, value)) for name, value in path_parameters.items()}
    )


@write_schema.hook
def flatmap_headers(ctx: Any, headers: Any) -> Any:
    """The generated If-Match or ``*``, so valid bodies are written rather than all 412."""
    if not headers or "If-Match" not in headers:
        return st.just(headers)
    return st.sampled_from([headers, {**headers, "If-Match": "*"}])


@pytest.fixture
def curator_token(db, keep_test_connection) -> str:
    """A platform with a member and a resource in each status, and a curator's bearer token."""
    platform = PlatformFactory(slug=WRITE_PLATFORM)
    platform.members.add(UserFactory(username=WRITE_MEMBER))
    for status, pk in WRITE_RESOURCES.items():
        ResourceFactory(
            id=pk,
            platform=platform,
            status=status,
            summary="面向中小企业",
            contact="sme@example.cn",
            tags=["gpu"],
        )
    curator = CuratorFactory(username="schemathesis-curator")
    return token_issue(user=curator, name="schemathesis").secret


@pytest.mark.slow
@write_schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_write_answers_within_its_schema_and_never_with_a_server_error(case, curator_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {curator_token}"}, checks=CHECKS)


def test_the_docs_pages_forbid_the_browser_to_fetch_from_anywhere_else(client):
    for page in ("/api/docs/", "/api/redoc/"):
        policy = client.get(page)["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "img-src 'self' data:" in policy
