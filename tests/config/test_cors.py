"""Cross-origin requests (django-cors-headers): a page on an allowed origin may read and write the
API, with the headers it needs exposed; other origins, other paths and credentials get nothing.

The browser's own view of the same rules is ``test_cors_browser.py``.
"""

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import _LOCALHOST_ORIGIN, _cors_origins
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db

PORTAL = "https://portal.gd.example.cn"


@pytest.fixture(autouse=True)
def portal_allowed(settings: Any) -> None:
    settings.CORS_ALLOWED_ORIGINS = [PORTAL]
    settings.CORS_ALLOW_ALL_ORIGINS = False
    settings.CORS_ALLOWED_ORIGIN_REGEXES = []


def test_an_allowed_origin_reads_the_list_and_may_see_its_etag_and_link(client):
    ResourceFactory()
    response = client.get("/api/v1/resources/", HTTP_ORIGIN=PORTAL)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == PORTAL
    exposed = {
        name.strip().lower() for name in response["Access-Control-Expose-Headers"].split(",")
    }
    assert {"etag", "link", "location", "retry-after"} <= exposed
    assert "Access-Control-Allow-Credentials" not in response
    assert "origin" in response["Vary"].lower()  # a shared cache keeps one answer per origin


def test_another_origin_gets_no_cors_headers(client):
    response = client.get("/api/v1/resources/", HTTP_ORIGIN="https://elsewhere.example.com")
    assert response.status_code == 200  # the server answers; the browser withholds it
    assert "Access-Control-Allow-Origin" not in response


def test_a_preflight_allows_conditional_and_authenticated_writes_and_is_cached_for_a_day(client):
    response = client.options(
        "/api/v1/resources/",
        HTTP_ORIGIN=PORTAL,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type, if-match",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == PORTAL
    allowed = {name.strip() for name in response["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type", "if-match", "if-none-match"} <= allowed
    assert "PATCH" in response["Access-Control-Allow-Methods"]
    assert response["Access-Control-Max-Age"] == "86400"


def test_pages_outside_the_api_are_not_shared_across_origins(client):
    for path in ("/", "/progress/", "/admin/login/"):
        response = client.get(path, HTTP_ORIGIN=PORTAL)
        assert "Access-Control-Allow-Origin" not in response, path


def test_any_origin_may_read_when_configured_with_a_star_but_never_with_credentials(
    client, settings
):
    settings.CORS_ALLOWED_ORIGINS, settings.CORS_ALLOW_ALL_ORIGINS = _cors_origins(["*"])
    response = client.get("/api/v1/resources/", HTTP_ORIGIN="https://anyone.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_the_localhost_rule_of_make_run_allows_any_local_port_and_nothing_else(client, settings):
    settings.CORS_ALLOWED_ORIGINS = []
    settings.CORS_ALLOWED_ORIGIN_REGEXES = [_LOCALHOST_ORIGIN]
    for origin, allowed in [
        ("http://localhost:5173", True),
        ("http://127.0.0.1:8080", True),
        ("http://[::1]:3000", True),
        ("http://localhost.evil.example:5173", False),
        ("http://127.0.0.1.evil.example", False),
    ]:
        response = client.get("/api/v1/resources/", HTTP_ORIGIN=origin)
        assert ("Access-Control-Allow-Origin" in response) is allowed, origin


@pytest.mark.parametrize(
    "value",
    [
        "portal.example.cn",
        "https://portal.example.cn/path",
        "ftp://portal.example.cn",
        "https://a.cn,*",
    ],
)
def test_a_malformed_allowed_origin_stops_the_settings_with_its_value(value):
    with pytest.raises(ImproperlyConfigured, match="CORS_ALLOWED_ORIGINS"):
        _cors_origins(value.split(","))
