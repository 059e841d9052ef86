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

or, where a module declares several, one line each with ``read_endpoint_tests``:

    TestRegionEndpoint = read_endpoint_tests("/api/v1/regions/", "code", "999999", make=...)

The write routes' generic cases are beside these, in ``tests.api_write_cases``.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.db import models
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


# Filter coverage (NetBox's habit) ----------------------------------------------------------------


def model_fields(model: type[models.Model]) -> set[str]:
    """The model's own fields and many-to-many relations (not reverse relations)."""
    return {
        field.name
        for field in model._meta.get_fields()
        if field.concrete or (field.many_to_many and not field.auto_created)
    }


def assert_fields_covered(
    model: type[models.Model], covers: dict[str, set[str]], exempt: dict[str, str]
) -> None:
    """Every field of ``model`` is searched by a filter (``covers``: parameter → the fields it
    covers) or exempt with a reason (``exempt``: field → why), and neither names a lost field."""
    covered = set().union(*covers.values())
    fields = model_fields(model)
    missing = fields - covered - set(exempt)
    assert not missing, f"{model.__name__} fields with no filter and no exemption: {missing}"
    stale = (covered | set(exempt)) - fields
    assert not stale, f"the tables name fields {model.__name__} no longer has: {stale}"
    assert not covered & set(exempt), "a field is both covered and exempt"


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


def users_by_role(platform_a: Any, platform_b: Any) -> dict[str, Any]:
    """One user per role, keyed as ``ROLES``: ``publisher_a`` and ``publisher_b`` members of the
    given platforms, ``sme`` of none, ``curator`` a curator, and no user for ``anonymous``."""
    from tests.factories import CuratorFactory, UserFactory

    publisher_a = UserFactory(username="publisher_a")
    publisher_b = UserFactory(username="publisher_b")
    platform_a.members.add(publisher_a)
    platform_b.members.add(publisher_b)
    return {
        "anonymous": None,
        "sme": UserFactory(username="sme"),
        "publisher_a": publisher_a,
        "publisher_b": publisher_b,
        "curator": CuratorFactory(username="curator"),
    }


def by_role(
    anonymous: int, sme: int, publisher_a: int, publisher_b: int, curator: int
) -> dict[str, int]:
    """The statuses of one endpoint, one per role, in the order of ``ROLES``."""
    return dict(zip(ROLES, (anonymous, sme, publisher_a, publisher_b, curator), strict=True))


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def curators_only(status: int) -> dict[str, int]:
    """A curators' write: anonymous clients must sign in (401), everyone else is refused (403)."""
    return by_role(401, 403, 403, 403, status)


def a_and_curators(status: int) -> dict[str, int]:
    """What A's publishers and curators may do with platform A's public objects: anonymous
    clients must sign in (401), everyone else is refused (403)."""
    return by_role(401, 403, status, 403, status)


def a_and_curators_hidden(status: int) -> dict[str, int]:
    """What A's publishers and curators may do with what only they see (a draft, a submission):
    anonymous clients must sign in (401), everyone else signed in finds nothing (404)."""
    return by_role(401, 404, status, 404, status)


def seen_by_a(status: int) -> dict[str, int]:
    """Reads of what only A's publishers and curators see (a draft, A's submissions): 404 to
    everyone else."""
    return by_role(404, 404, status, 404, status)


def send_as(
    user: Any, method: str, url: str, body: Any = None, headers: dict[str, str] | None = None
) -> Any:
    """One table row's request, signed in as ``user`` (``None``: anonymous), any body as JSON."""
    client = APIClient()
    if user is not None:
        client.force_login(user)
    send = getattr(client, method.lower())
    if body is None:
        return send(url, headers=headers or {})
    return send(url, body, format="json", headers=headers or {})


def assert_answered_as_the_table_says(
    response: Any, method: str, expected: int, before: Any, after: Callable[[], Any]
) -> None:
    """The row's status. A refusal is a problem document that left the database as it was
    (``after()`` equals ``before``), an accepted write changed it, and a 401 asks for a bearer."""
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response["Content-Type"] == PROBLEM_MEDIA_TYPE
        assert response.json()["status"] == expected
        assert after() == before, "a refused request changed the database"
    elif method != "GET":
        assert after() != before, "an accepted write changed nothing"
    if expected == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")


def assert_table_covers_every_role(table: Sequence[tuple[Any, ...]]) -> None:
    """Each endpoint of a permission table (a row without its role and status) has one row per
    role, no more, no less."""
    roles_of: dict[str, list[str]] = {}
    for *endpoint, role, _ in table:
        roles_of.setdefault(repr(endpoint), []).append(role)
    for key, roles in roles_of.items():
        assert sorted(roles) == sorted(ROLES), key
    assert len(table) == len(roles_of) * len(ROLES)


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


def read_endpoint_tests(
    list_url: str, key_field: str, missing_key: str, make: Callable[[], Any]
) -> type[ReadEndpointTests]:
    """``ReadEndpointTests`` for one endpoint, declared in a line; pytest collects it under the
    ``Test…`` name the module binds it to."""
    attributes = {"list_url": list_url, "key_field": key_field, "missing_key": missing_key}
    return type(
        "ReadEndpointTests", (ReadEndpointTests,), attributes | {"make": staticmethod(make)}
    )
