"""Generic write and transition test cases, beside the read ones (``tests.api_cases``).

NetBox's generic API test case, for the writes: a subclass names one write route, how to make the
object it acts on, a valid body, who may and who may not, and inherits the outcomes every write
owes its clients:

- ``WriteEndpointTests``: the allowed role succeeds (201 with a Location that answers, or 200, 202,
  204) and, on an audited object, a ``ChangeRecord`` is written; the refused role gets a problem
  (403, or 404 where the object is invisible to it, 401 for a missing sign-in) and nothing changes:
  neither the rows of the tables the write touches nor the number of change records.
- ``IfMatchRequiredTests`` (PATCH and PUT of a versioned object): without If-Match a 428 problem,
  with a stale one a 412 problem, and nothing changed either way.
- ``IfMatchOptionalTests`` (a transition of a versioned object): a stale If-Match is a 412.
- ``StatusGuardTests``: the write from a status that does not allow it is a 409 problem, and
  nothing changed. ``TransitionEndpointTests`` is a write with this guard, answered 200;
  ``CreateEndpointTests`` a POST on a collection, answered 201.

::

    class TestResourceWithdraw(IfMatchOptionalTests, TransitionEndpointTests):
        route = "POST resources/{pk}/withdraw/"
        allowed, refused = "publisher", "other_publisher"
        data = {"reason": "停止开放"}

        def make(self):
            return ResourceFactory(platform=self.platform_a, status="active")

        def make_in_wrong_status(self):
            return ResourceFactory(platform=self.platform_a, status="draft")

``route`` is the method and the path under ``/api/v1/`` with the URL's keywords in braces (read
from the object's attributes of that name, or ``url_keys``). ``tests/test_endpoint_cases.py`` fails
naming any write route of the API without a case, and any case naming a route that does not exist.
The roles are users made on demand: ``curator``, ``publisher`` (a member of ``platform_a``),
``other_publisher`` (of ``platform_b``), ``sme`` and ``other_sme`` (no role), ``anonymous``.
"""

import string
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest
from django.db.models import Model
from django.http import HttpResponse
from rest_framework.test import APIClient

from core.models import ChangeRecord
from tests.api_cases import assert_problem
from tests.factories import CuratorFactory, UserFactory

API = "/api/v1/"
#: ``send``'s default: the If-Match of the object's current version, on a versioned case.
CURRENT = object()


@dataclass(frozen=True)
class Snapshot:
    """What a refused write must leave as it was."""

    change_records: int
    rows: tuple[tuple[dict[str, Any], ...], ...]


class WriteEndpointTests:
    """One write route: the allowed role succeeds, the refused one changes nothing.

    Not collected itself (no ``Test`` prefix); pytest collects each ``Test…`` subclass.
    """

    #: ``"POST resources/{pk}/activate/"``: the method and the path under ``/api/v1/``.
    route: ClassVar[str]
    #: The role whose request succeeds, and the one refused (``None``: anyone may).
    allowed: ClassVar[str] = "curator"
    refused: ClassVar[str | None] = "publisher"
    refused_status: ClassVar[int] = 403
    success_status: ClassVar[int] = 200
    #: Whether a success answers its Location (201 from the service-backed views).
    expects_location: ClassVar[bool] = True
    #: Whether the write is in the audit trail (a ``ChangeRecord``).
    audited: ClassVar[bool] = True
    #: The model a create adds to (the object's own model otherwise).
    model: ClassVar[type[Model] | None] = None
    #: Whether the object carries a version (set by the If-Match mixins).
    versioned: ClassVar[bool] = False
    #: The request body, when it does not depend on the object (``body`` otherwise).
    data: ClassVar[dict[str, Any] | None] = None

    @pytest.fixture(autouse=True)
    def _platforms(self, db: Any, platform_a: Any, platform_b: Any) -> None:
        self.platform_a, self.platform_b = platform_a, platform_b

    # What a subclass declares -------------------------------------------------------------------

    def make(self) -> Any:
        """The object the write acts on (``None`` for a create on the collection)."""
        return None

    def make_refused(self) -> Any:
        """The object the refused role tries to write."""
        return self.make()

    def body(self, obj: Any) -> dict[str, Any] | None:
        """A valid request body: ``data`` unless told otherwise."""
        return self.data

    def refused_body(self, obj: Any) -> dict[str, Any] | None:
        return self.body(obj)

    def url_keys(self, obj: Any) -> dict[str, Any]:
        """The route's keywords: each read from the object's attribute of that name."""
        names = [name for _, name, _, _ in string.Formatter().parse(self.path) if name]
        return {name: getattr(obj, name) for name in names}

    def watched(self, obj: Any) -> list[type[Model]]:
        """The models whose rows a refused write must leave as they were."""
        return [self.model or type(obj)]

    # Plumbing -----------------------------------------------------------------------------------

    @property
    def method(self) -> str:
        return self.route.split()[0].lower()

    @property
    def path(self) -> str:
        return self.route.split()[1]

    def url(self, obj: Any) -> str:
        return API + self.path.format(**self.url_keys(obj))

    def user(self, role: str) -> Any:
        """The user playing ``role`` (``None`` for anonymous), made once per test."""
        if role == "anonymous":
            return None
        if role == "curator":
            return CuratorFactory(username="curator")
        if role in ("sme", "other_sme"):
            return UserFactory(username=role.replace("_", "-"))
        platform = {"publisher": self.platform_a, "other_publisher": self.platform_b}[role]
        user = UserFactory(username=role.replace("_", "-"))
        platform.members.add(user)
        return user

    def client(self, role: str) -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        user = self.user(role)
        if user is not None:
            client.force_login(user)
        return client

    def send(
        self, client: APIClient, obj: Any, body: Any = None, *, if_match: Any = CURRENT
    ) -> HttpResponse:
        if if_match is CURRENT:
            if_match = f'"{obj.version}"' if self.versioned else None
        headers = {"If-Match": if_match} if if_match else {}
        response: HttpResponse = getattr(client, self.method)(
            self.url(obj), body, format="json", headers=headers
        )
        return response

    def snapshot(self, obj: Any) -> Snapshot:
        rows = tuple(
            tuple(model._default_manager.order_by("pk").values()) for model in self.watched(obj)
        )
        return Snapshot(change_records=ChangeRecord.objects.count(), rows=rows)

    def assert_refused_unchanged(
        self, role: str, obj: Any, status: int, body: Any, **send: Any
    ) -> dict[str, Any]:
        client = self.client(role)
        before = self.snapshot(obj)
        problem = assert_problem(self.send(client, obj, body, **send), status)
        assert self.snapshot(obj) == before, "a refused write changed the database"
        return problem

    # The tests ----------------------------------------------------------------------------------

    def test_the_allowed_role_succeeds_and_the_change_is_recorded(self) -> None:
        obj = self.make()
        client = self.client(self.allowed)
        before = self.snapshot(obj)
        response = self.send(client, obj, self.body(obj))
        assert response.status_code == self.success_status, response.content
        after = self.snapshot(obj)
        assert after.rows != before.rows, "the write changed nothing"
        if self.audited:
            assert after.change_records > before.change_records, "no change record"
        if self.success_status == 201 and self.expects_location:
            assert client.get(response["Location"]).status_code == 200

    def test_the_refused_role_gets_a_problem_and_nothing_changes(self) -> None:
        if self.refused is None:
            pytest.skip("anyone may")
        obj = self.make_refused()
        self.assert_refused_unchanged(
            self.refused, obj, self.refused_status, self.refused_body(obj)
        )


class IfMatchOptionalTests:
    """A transition of a versioned object: If-Match is optional, a stale one refused."""

    versioned = True
    allowed: ClassVar[str]

    def test_with_a_stale_if_match_it_is_a_412_problem_and_nothing_changes(self: Any) -> None:
        obj = self.make()
        stale = f'"{obj.version + 1}"'
        problem = self.assert_refused_unchanged(
            self.allowed, obj, 412, self.body(obj), if_match=stale
        )
        assert problem["type"] == "/api/problems/precondition-failed"


class IfMatchRequiredTests(IfMatchOptionalTests):
    """PATCH or PUT of a versioned object: If-Match is required (and, as above, current)."""

    def test_without_if_match_it_is_a_428_problem_and_nothing_changes(self: Any) -> None:
        obj = self.make()
        problem = self.assert_refused_unchanged(
            self.allowed, obj, 428, self.body(obj), if_match=None
        )
        assert problem["type"] == "/api/problems/precondition-required"


class StatusGuardTests:
    """The write is refused from a status its transition table does not allow."""

    allowed: ClassVar[str]

    def make_in_wrong_status(self) -> Any:
        """An object in a status that does not allow the write."""
        raise NotImplementedError

    def test_from_the_wrong_status_it_is_a_409_problem_and_nothing_changes(self: Any) -> None:
        obj = self.make_in_wrong_status()
        self.assert_refused_unchanged(self.allowed, obj, 409, self.body(obj))


class CreateEndpointTests(WriteEndpointTests):
    """A POST on a collection: 201, and where the service-backed views answer it, a Location."""

    success_status = 201


class TransitionEndpointTests(StatusGuardTests, WriteEndpointTests):
    """A workflow action: a POST on the object, answered with it (200), guarded by its status."""
