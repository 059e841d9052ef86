"""Every error under /api/ is an RFC 9457 problem (DESIGN §5), whatever went wrong.

415 (unsupported media type) is not tested yet: every endpoint is read-only, so a body is never
parsed and a POST is a 405 first. It belongs with the first write endpoint.
"""

import logging
import uuid

import pytest

from config.api.problems import PROBLEM_TYPES
from registry.api.views import ResourceViewSet
from tests.api_cases import PROBLEM_KEYS, assert_problem
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


# 400 -------------------------------------------------------------------------------------------


def test_an_unknown_query_parameter_is_a_400_naming_it(api_client):
    response = api_client.get("/api/v1/resources/?regoin=440000", HTTP_ACCEPT_LANGUAGE="en")
    body = assert_problem(response, 400)
    assert body["type"] == "/api/problems/validation-error"
    assert body["instance"] == "/api/v1/resources/?regoin=440000"
    assert body["errors"] == [
        {"attr": "regoin", "code": "unknown_parameter", "detail": "Unknown query parameter."}
    ]
    assert "regoin" in body["detail"]


def test_every_unknown_query_parameter_is_named(api_client):
    body = assert_problem(api_client.get("/api/v1/platforms/?b=1&a=2"), 400)
    assert [error["attr"] for error in body["errors"]] == ["a", "b"]


def test_an_invalid_value_is_a_400_naming_the_parameter_and_its_code(api_client):
    body = assert_problem(api_client.get("/api/v1/resources/?type=spaceship"), 400)
    assert body["type"] == "/api/problems/validation-error"
    [error] = body["errors"]
    assert set(error) == {"attr", "code", "detail", "choices"}  # the accepted values
    assert error["attr"] == "type"
    assert error["code"] == "invalid_choice"
    assert "spaceship" in error["detail"]


def test_a_400_has_exactly_the_problem_keys_and_errors(api_client):
    body = assert_problem(api_client.get("/api/v1/resources/?page_size=0"), 400)
    assert set(body) == PROBLEM_KEYS | {"errors"}


def test_a_problem_is_json_even_to_a_browser(api_client):
    response = api_client.get("/api/v1/resources/?regoin=1", HTTP_ACCEPT="text/html")
    assert_problem(response, 400, attr="regoin")


# 404 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/no-such-collection/",
        "/api/v1/no-such-collection",
        "/api/v2/",
        "/api/",
        "/api/v1/resources/a/b/c/",
        "/api/v1/regions/44/",
    ],
)
def test_an_unknown_url_under_the_api_is_a_404_problem(api_client, path):
    body = assert_problem(api_client.get(path), 404)
    assert body["type"] == "/api/problems/not-found"
    assert body["instance"] == path
    assert "errors" not in body


def test_an_unknown_url_under_the_api_is_a_404_problem_in_debug_too(api_client, settings):
    settings.DEBUG = True
    body = assert_problem(api_client.get("/api/v1/no-such-collection/?x=1"), 404)
    assert body["instance"] == "/api/v1/no-such-collection/?x=1"


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/resources/{uuid.UUID(int=0x5EED)}/",
        "/api/v1/platforms/no-such-platform/",
        "/api/v1/regions/990000/",
        "/api/v1/industries/Z/",
        "/api/v1/resource-types/spaceship/",
    ],
)
def test_an_unknown_id_is_a_404_problem(api_client, path):
    assert assert_problem(api_client.get(path), 404)["type"] == "/api/problems/not-found"


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "12345", "%00", "'; DROP TABLE x; --"])
def test_a_malformed_id_is_a_404_problem(api_client, bad_id):
    assert_problem(api_client.get(f"/api/v1/resources/{bad_id}/"), 404)


def test_outside_the_api_a_404_is_not_a_problem(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"] != "application/problem+json"


# 405, 406 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_to_a_read_only_collection_is_a_405_problem(api_client, method):
    response = getattr(api_client, method)("/api/v1/regions/", {}, format="json")
    body = assert_problem(response, 405)
    assert body["type"] == "/api/problems/method-not-allowed"
    assert "GET" in response["Allow"]
    assert method.upper() not in response["Allow"]


def test_a_write_to_a_read_only_item_is_a_405_problem(api_client):
    response = api_client.delete("/api/v1/regions/440000/")
    assert_problem(response, 405)


@pytest.mark.parametrize("accept", ["application/xml", "text/csv", "image/png"])
def test_an_unacceptable_media_type_is_a_406_problem(api_client, accept):
    ResourceFactory()
    response = api_client.get("/api/v1/resources/", HTTP_ACCEPT=accept)
    body = assert_problem(response, 406)
    assert body["type"] == "/api/problems/not-acceptable"


def test_an_unknown_format_is_a_406_problem_naming_the_formats_offered(api_client):
    response = api_client.get("/api/v1/resources/?format=xml", HTTP_ACCEPT_LANGUAGE="en")
    assert_problem(response, 406)
    assert "format=xml is not offered here; give one of: api, json." in response.json()["detail"]


# 500 -------------------------------------------------------------------------------------------

SECRET = "password=hunter2 at /srv/registry/secret.py"


@pytest.fixture
def broken_list(monkeypatch):
    def explode(self, request, *args, **kwargs):
        raise RuntimeError(SECRET)

    monkeypatch.setattr(ResourceViewSet, "list", explode)


@pytest.mark.usefixtures("broken_list")
@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_a_failing_view_is_a_500_problem_without_a_traceback(api_client, settings, caplog, debug):
    settings.DEBUG = debug
    with caplog.at_level(logging.ERROR, logger="registry.api"):
        response = api_client.get("/api/v1/resources/?type=data")
    body = assert_problem(response, 500)
    assert body["type"] == "/api/problems/server-error"
    assert body["instance"] == "/api/v1/resources/?type=data"
    assert set(body) == PROBLEM_KEYS
    text = response.content.decode()
    for leak in ("Traceback", "RuntimeError", "hunter2", "secret.py", "explode", 'File "'):
        assert leak not in text
    # ...but the operator gets the traceback in the log.
    [record] = [r for r in caplog.records if r.name == "registry.api"]
    assert record.exc_info is not None
    assert record.exc_info[0] is RuntimeError


@pytest.mark.usefixtures("broken_list")
def test_a_500_is_a_problem_even_to_a_browser_in_debug(api_client, settings):
    settings.DEBUG = True
    response = api_client.get("/api/v1/resources/", HTTP_ACCEPT="text/html")
    assert_problem(response, 500)
    assert b"Traceback" not in response.content


# Problem types ---------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", sorted(PROBLEM_TYPES))
def test_each_problem_type_is_described_at_its_uri(api_client, slug):
    response = api_client.get(f"/api/problems/{slug}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == f"/api/problems/{slug}"
    assert body["title"] == str(PROBLEM_TYPES[slug].title)
    assert body["description"]


def test_the_type_of_a_problem_response_leads_to_its_description(api_client):
    problem = api_client.get("/api/v1/resources/?regoin=1").json()
    description = api_client.get(problem["type"]).json()
    assert description["title"] == problem["title"]


def test_an_unknown_problem_type_is_a_404_problem(api_client):
    assert_problem(api_client.get("/api/problems/no-such-problem"), 404)


def test_a_get_without_its_trailing_slash_is_redirected_to_the_collection(api_client):
    response = api_client.get("/api/v1/resources?type=compute")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/resources/?type=compute"


def test_a_path_that_exists_nowhere_stays_a_404_problem_even_without_a_slash(api_client):
    response = api_client.get("/api/v1/nowhere")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
