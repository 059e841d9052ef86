"""The OpenAPI document: valid 3.1 with no warnings, and true to what the API answers.

The schemathesis run drives every operation in-process through the WSGI app with generated
requests, and checks that no answer is a server error and every answer matches its schema.
"""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from registry.attributes import TYPE_SPECS
from tests.factories import PlatformFactory, ResourceFactory

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


# Generating the document touches no table, so it can be loaded when the module is collected.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


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
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])


def test_the_docs_pages_forbid_the_browser_to_fetch_from_anywhere_else(client):
    for page in ("/api/docs/", "/api/redoc/"):
        policy = client.get(page)["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "img-src 'self' data:" in policy
