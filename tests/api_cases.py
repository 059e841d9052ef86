"""Shared helpers for API tests, and a generic read-endpoint test case.

``ReadEndpointTests`` is NetBox's generic API test case cut down to what a read endpoint owes every
client: a subclass declares its collection URL, how to make an object and which key identifies it,
and inherits the list, detail, not-found and unknown-parameter tests.

    class TestRegionEndpoint(ReadEndpointTests):
        list_url = "/api/v1/regions/"
        key_field = "code"
        missing_key = "999999"

        def make(self):
            return Region.objects.get(code="440000")
"""

from typing import Any

from django.http import HttpResponse
from rest_framework.test import APIClient

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def assert_problem(response: HttpResponse, status: int, *, attr: str | None = None) -> dict:
    """``response`` is an RFC 9457 problem with ``status``; with ``attr``, one error names it."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM_MEDIA_TYPE
    body = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    if attr is not None:
        assert attr in [error["attr"] for error in body["errors"]], body
    return body


def signed_in(user: Any) -> APIClient:
    """A client signed in as ``user`` (a session, as a browser's)."""
    client = APIClient()
    client.force_login(user)
    return client


def rows(response: HttpResponse) -> list[dict[str, Any]]:
    """The items of a list response, paginated or not."""
    assert response.status_code == 200, response.content
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


def ids(response: HttpResponse) -> list[str]:
    return [item["id"] for item in rows(response)]


# Permission matrices ------------------------------------------------------------------------------
# Each app's test_permissions_matrix.py is a table of (method, url, role, expected status) built
# with these, one row per role for every endpoint and method.

ROLES = ["anonymous", "sme", "publisher_a", "publisher_b", "curator"]


def expect(
    method: str,
    url: str,
    *,
    anonymous: int,
    sme: int,
    publisher_a: int,
    publisher_b: int,
    curator: int,
) -> list[tuple[str, str, str, int]]:
    """The five rows of one endpoint and method, one per role."""
    statuses = {
        "anonymous": anonymous,
        "sme": sme,
        "publisher_a": publisher_a,
        "publisher_b": publisher_b,
        "curator": curator,
    }
    return [(method, url, role, statuses[role]) for role in ROLES]


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def curators_only(status: int) -> dict[str, int]:
    """A curators' write: anonymous clients must sign in (401), everyone else is refused (403)."""
    return {
        "anonymous": 401,
        "sme": 403,
        "publisher_a": 403,
        "publisher_b": 403,
        "curator": status,
    }


def row_id(row: tuple[str, str, str, int]) -> str:
    method, url, role, expected = row
    return f"{method} {url} as {role} -> {expected}"


class ReadEndpointTests:
    """List, detail, 404 and strict-parameter tests for one read endpoint.

    Not collected itself (no ``Test`` prefix); pytest collects each ``Test…`` subclass.
    """

    list_url: str
    key_field: str
    missing_key: str

    def make(self) -> Any:
        """Create (or find) an object the endpoint serves."""
        raise NotImplementedError

    def key(self, obj: Any) -> str:
        return str(getattr(obj, self.key_field))

    def detail_url(self, key: str) -> str:
        return f"{self.list_url}{key}/"

    def test_the_list_answers_200_and_contains_the_object(self, api_client):
        obj = self.make()
        response = api_client.get(self.list_url)
        assert response["Content-Type"] == "application/json"
        assert self.key(obj) in [str(item[self.key_field]) for item in rows(response)]

    def test_the_detail_answers_200_with_the_object(self, api_client):
        obj = self.make()
        response = api_client.get(self.detail_url(self.key(obj)))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert str(response.json()[self.key_field]) == self.key(obj)

    def test_an_unknown_key_is_a_404_problem(self, api_client):
        response = api_client.get(self.detail_url(self.missing_key))
        assert_problem(response, 404)

    def test_an_unknown_query_parameter_on_the_list_is_a_400_naming_it(self, api_client):
        response = api_client.get(self.list_url, {"colour": "blue"})
        body = assert_problem(response, 400, attr="colour")
        assert body["errors"][0]["attr"] == "colour"

    def test_an_unknown_query_parameter_on_the_detail_is_a_400_naming_it(self, api_client):
        obj = self.make()
        response = api_client.get(self.detail_url(self.key(obj)), {"colour": "blue"})
        assert assert_problem(response, 400, attr="colour")["errors"][0]["attr"] == "colour"
