"""No input, however malformed, gets a 500 (DESIGN §5): each case a 4xx problem, or a clean answer.

NUL characters and lone surrogates (PostgreSQL's text and jsonb refuse both; a lone surrogate
cannot even be written as UTF-8), documents nested deep enough to exhaust the parser's stack,
bodies over the size limit, chunked bodies Django cannot see, races at a unique constraint,
HEAD where GET is public, and cookies on answers anyone's cache may keep.
"""

import io
import json
import threading
from typing import Any
from unittest import mock

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import IntegrityError, connection
from django.test import override_settings
from rest_framework.test import APIClient

from registry.models import Platform
from tests.api_cases import assert_problem
from tests.factories import (
    CuratorFactory,
    PlatformFactory,
    ResourceFactory,
    make_credit_code,
)

pytestmark = pytest.mark.django_db

NUL = "\x00"
SURROGATE = "\ud800"


@pytest.fixture
def curator_client(curator: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(curator)
    return client


def send(client: APIClient, method: str, url: str, body: Any, **extra: Any) -> Any:
    """``body`` as JSON, lone surrogates escaped (``\\ud800``), as a client would write them."""
    raw = json.dumps(body, ensure_ascii=True)
    return getattr(client, method)(url, raw, content_type="application/json", **extra)


# 7. NUL in a path, in a looked-up body field, anywhere in a text or in attributes -------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/platforms/a%00b/",
        "/api/v1/platforms/a%00b/history/",
        "/api/v1/platforms/a%00b/members/",
        "/api/v1/service-platforms/a%00b/",
        "/api/v1/pilots/A%00B/",
        "/api/v1/scenarios/A%00B/",
        "/api/v1/resources/a%00b/",
        "/api/v1/batches/1%00/",
        "/api/v1/resource-types/a%00b/",
        "/api/v1/regions/44%000/",
    ],
)
def test_a_nul_in_a_path_is_a_404_problem(curator_client, url):
    assert_problem(curator_client.get(url), 404)


def test_a_nul_in_a_query_parameter_is_a_400_naming_it(api_client):
    assert_problem(api_client.get("/api/v1/resources/?platform=a%00b"), 400, attr="platform")


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/platforms/", "headquarters_region"),
        ("/api/v1/platforms/", "name"),
        ("/api/v1/resources/", "platform"),
        ("/api/v1/resources/", "description"),
        ("/api/v1/pilots/", "region"),
        ("/api/v1/pilots/", "industry"),
        ("/api/v1/pilots/", "scenario"),
        ("/api/v1/pilots/", "service_platform"),
        ("/api/v1/service-platforms/", "operator"),
        ("/api/v1/scenarios/", "industry"),
    ],
)
@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
def test_nul_or_a_lone_surrogate_in_a_body_field_is_a_400_naming_it(
    curator_client, url, field, bad
):
    response = send(curator_client, "post", url, {field: f"a{bad}b"})
    assert_problem(response, 400, attr=field)


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
def test_nul_or_a_lone_surrogate_in_attributes_is_a_400_naming_the_path(curator_client, bad):
    platform = PlatformFactory()
    body = {
        "platform": platform.slug,
        "resource_type": "compute",
        "name": "算力",
        "access_model": "free_quota",
        "attributes": {"gpu": [{"model": f"A{bad}100"}], f"k{bad}": 1},
    }
    response = send(curator_client, "post", "/api/v1/resources/", body)
    problem = assert_problem(response, 400)
    attrs = [error["attr"] for error in problem["errors"]]
    assert "attributes.gpu.0.model" in attrs
    assert any(attr.startswith("attributes.k") for attr in attrs)


def test_a_surrogate_pair_escaped_in_json_is_a_character_not_an_error(curator_client):
    platform = PlatformFactory()
    response = send(
        curator_client, "patch", f"/api/v1/platforms/{platform.slug}/", {"description": "😀 ok"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["description"] == "😀 ok"


# 8. A lone surrogate in a choice field, in a forged cursor ------------------------------------


def test_a_lone_surrogate_in_a_choice_field_is_a_400(curator_client):
    body = {"resource_type": SURROGATE, "tags": [SURROGATE], "regions": [SURROGATE]}
    assert_problem(send(curator_client, "post", "/api/v1/resources/", body), 400)


@pytest.mark.parametrize("value", ["\\ud800", "a\\udfffb", "\\u0000"], ids=["high", "low", "nul"])
def test_a_forged_cursor_with_a_bad_string_is_a_400(api_client, value):
    import base64

    raw = f'{{"v": ["{value}", 1], "r": 0, "o": "slug,id"}}'.encode()
    token = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    assert_problem(api_client.get(f"/api/v1/platforms/?cursor={token}"), 400, attr="cursor")


def test_the_cursor_of_the_brief_is_a_400(api_client):
    token = "eyJ2IjogWyJcdWQ4MDAiLCAxXSwgInIiOiAwLCAibyI6ICJzbHVnLGlkIn0"
    assert_problem(api_client.get(f"/api/v1/platforms/?cursor={token}"), 400, attr="cursor")


# 9. One very long word -------------------------------------------------------------------------


@pytest.mark.parametrize("size", [2048, 70_000])
def test_a_description_with_one_huge_word_saves_and_reads_back(curator_client, size):
    resource = ResourceFactory()
    word = "x" * size
    response = curator_client.patch(
        f"/api/v1/resources/{resource.pk}/",
        {"description": f"前 {word} 后"},
        format="json",
        HTTP_IF_MATCH=f'"{resource.version}"',
    )
    assert response.status_code == 200, response.content
    again = curator_client.get(f"/api/v1/resources/{resource.pk}/")
    assert again.json()["description"] == f"前 {word} 后"
    search = curator_client.get("/api/v1/resources/", {"q": "前"})
    assert search.status_code == 200, search.content


# 10. Deep nesting, oversize bodies --------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/auth/register/", "/api/v1/auth/tokens/"])
@pytest.mark.parametrize("opener", ["[", '{"a":'], ids=["arrays", "objects"])
def test_json_nested_ten_thousand_deep_is_a_400_before_sign_in(api_client, url, opener):
    closer = "]" if opener == "[" else "}"
    raw = opener * 10_000 + "1" + closer * 10_000
    response = api_client.post(url, raw, content_type="application/json")
    assert_problem(response, 400)


def test_json_nested_just_within_the_limit_is_parsed(api_client):
    raw = json.dumps({"username": [[[[["x"]]]]], "password": "p", "name": "n"})
    response = api_client.post("/api/v1/auth/tokens/", raw, content_type="application/json")
    assert_problem(response, 400, attr="username")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_size_limit_is_a_413_problem(api_client, caplog):
    raw = json.dumps({"username": "x" * 2000, "password": "p", "name": "n"})
    response = api_client.post("/api/v1/auth/tokens/", raw, content_type="application/json")
    assert_problem(response, 413)
    assert not [record for record in caplog.records if record.levelname == "ERROR"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_size_limit_read_before_the_view_is_a_413_problem(api_client):
    raw = json.dumps({"username": "x" * 2000, "password": "p", "name": "n"})
    with mock.patch("rest_framework.request.Request._load_stream", autospec=True) as load:

        def eager(request: Any) -> None:  # as a middleware reading request.body would
            request._stream = io.BytesIO(request._request.body)

        load.side_effect = eager
        response = api_client.post("/api/v1/auth/tokens/", raw, content_type="application/json")
    assert_problem(response, 413)


# 11. Races at a unique constraint ----------------------------------------------------------------


def platform_body(slug: str, serial: int) -> dict[str, Any]:
    return {
        "slug": slug,
        "name": f"竞争平台{serial}科技有限公司",
        "credit_code": make_credit_code(900 + serial),
        "website": "https://race.example.cn",
        "headquarters_region": "440000",
    }


def test_an_integrity_error_creating_a_platform_is_a_409_problem(curator_client):
    with mock.patch("registry.services.Platform.save", side_effect=IntegrityError("duplicate key")):
        response = send(curator_client, "post", "/api/v1/platforms/", platform_body("race", 1))
    body = assert_problem(response, 409)
    assert body["type"] == "/api/problems/conflict"
    assert "duplicate key" not in json.dumps(body)  # the database's words stay in the log


def test_an_integrity_error_adding_a_member_is_a_409_problem(curator_client):
    platform = PlatformFactory()
    with mock.patch(
        "registry.services.get_user_model",
        return_value=mock.Mock(
            objects=mock.Mock(create_user=mock.Mock(side_effect=IntegrityError("dup")))
        ),
    ):
        response = send(
            curator_client,
            "post",
            f"/api/v1/platforms/{platform.slug}/members/",
            {"username": "newcomer", "email": "newcomer@example.com"},
        )
    assert_problem(response, 409)


def _race(requests: list[Any]) -> list[int]:
    """Runs each request in its own thread (own connection), all released at once."""
    barrier = threading.Barrier(len(requests))
    statuses: list[int] = []
    lock = threading.Lock()

    def run(request: Any) -> None:
        try:
            barrier.wait()
            status = request()
        finally:
            connection.close()
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=run, args=(request,)) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_of_one_platform_slug_are_one_201_and_conflicts(vocabularies):
    curator = CuratorFactory(username="race-curator")

    def create(serial: int) -> Any:
        def request() -> int:
            client = APIClient()
            client.force_authenticate(curator)
            response = send(client, "post", "/api/v1/platforms/", platform_body("race", serial))
            return response.status_code

        return request

    statuses = _race([create(serial) for serial in range(4)])
    assert statuses.count(201) == 1, statuses
    # Those that lost at the constraint are 409s; any that looked after the winner committed
    # were told by the serializer that the slug is taken (400). Never a 500.
    assert set(statuses) <= {201, 400, 409}, statuses
    assert Platform.objects.filter(slug="race").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_concurrent_adds_of_one_new_member_are_one_201_and_conflicts(vocabularies):
    curator = CuratorFactory(username="race-curator")
    platform = PlatformFactory()
    answers: list[Any] = []

    def add() -> int:
        client = APIClient()
        client.force_authenticate(curator)
        body = {"username": "racer", "email": "racer@example.com"}
        response = send(client, "post", f"/api/v1/platforms/{platform.slug}/members/", body)
        answers.append(response)
        return response.status_code

    statuses = _race([add for _ in range(4)])
    assert statuses.count(201) == 1, statuses
    assert set(statuses) <= {201, 400, 409}, statuses
    for response in answers:
        if response.status_code == 400:  # looked after the winner committed: "already exists"
            assert [error["code"] for error in response.json()["errors"]] == ["unique"]
    assert platform.members.filter(username="racer").count() == 1


# 12. Chunked bodies ------------------------------------------------------------------------------


def wsgi_call(method: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[str, bytes]:
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "HTTP_HOST": "testserver",
        **headers,
    }
    captured: dict[str, str] = {}

    def start_response(status: str, response_headers: Any, exc_info: Any = None) -> None:
        captured["status"] = status
        captured["content_type"] = dict(response_headers).get("Content-Type", "")

    result = WSGIHandler()(environ, start_response)
    content = b"".join(result)
    return captured["status"] + " " + captured["content_type"], content


def test_a_chunked_patch_without_a_length_is_refused_not_ignored(keep_test_connection):
    from registry.tokens import token_issue

    curator = CuratorFactory()
    platform = PlatformFactory(description="before")
    issued = token_issue(user=curator, name="chunked")
    token = issued.secret
    body = json.dumps({"description": "after"}).encode()
    # gunicorn hands the application the de-chunked body with no CONTENT_LENGTH
    status, content = wsgi_call(
        "PATCH",
        f"/api/v1/platforms/{platform.slug}/",
        body,
        {
            "HTTP_TRANSFER_ENCODING": "chunked",
            "CONTENT_TYPE": "application/json",
            "HTTP_AUTHORIZATION": f"Bearer {token}",
        },
    )
    assert status.startswith("411 "), (status, content)
    assert "application/problem+json" in status
    platform.refresh_from_db()
    assert platform.description == "before"


def test_a_chunked_request_outside_the_api_is_refused_too(keep_test_connection):
    status, _content = wsgi_call(
        "POST", "/admin/login/", b"a=b", {"HTTP_TRANSFER_ENCODING": "chunked"}
    )
    assert status.startswith("411 ")


def test_a_body_with_a_length_is_still_read(curator_client):
    platform = PlatformFactory(description="before")
    response = send(
        curator_client, "patch", f"/api/v1/platforms/{platform.slug}/", {"description": "after"}
    )
    assert response.status_code == 200


# 13. HEAD wherever GET is ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/v1/", "/api/v1/stats/", "/api/v1/platforms/", "/api/problems/not-found"]
)
def test_head_is_allowed_wherever_get_is(api_client, url):
    get = api_client.get(url)
    head = api_client.head(url)
    assert head.status_code == get.status_code == 200, head.content
    assert head.content == b""


# 14. No cookie on an answer anyone's cache may keep -----------------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/docs/", "/api/redoc/", "/api/v1/?format=api", "/api/v1/platforms/?format=api"]
)
def test_a_public_answer_sets_no_cookie(api_client, url):
    response = api_client.get(url)
    assert response.status_code == 200
    cache_control = response.get("Cache-Control", "")
    assert not ("public" in cache_control and response.cookies), (cache_control, response.cookies)


def test_a_json_read_stays_public(api_client):
    response = api_client.get("/api/v1/platforms/")
    assert "public" in response["Cache-Control"]
    assert not response.cookies
