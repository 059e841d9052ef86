"""Who may do what: one table of (method, url, role, expected status) for every registry endpoint.

Each row runs against a fresh world (platform A with an active resource and a draft, platform B,
one user per role), so rows never see each other's writes. Whenever a row is refused (any 4xx)
the database must be exactly as it was before the request.

Roles: ``anonymous`` (no credentials), ``sme`` (signed in, publishes for no platform),
``publisher_a`` / ``publisher_b`` (members of platform A / B) and ``curator``. Anonymous writes
are 401 (the bearer challenge), whatever the object: the client has to sign in before anything
else is decided. Signed-in users who cannot see a draft get 404 for reads and writes alike.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from core.models import ChangeRecord
from registry import services
from registry.models import Platform, Resource
from tests.api_cases import PROBLEM_MEDIA_TYPE, ROLES, everyone, expect, row_id
from tests.factories import (
    VALID_ATTRIBUTES,
    CuratorFactory,
    PlatformFactory,
    ResourceFactory,
    UserFactory,
    make_credit_code,
)

pytestmark = pytest.mark.django_db

PLATFORM = "/api/v1/platforms/{a}/"
ACTIVE = "/api/v1/resources/{active}/"
DRAFT = "/api/v1/resources/{draft}/"

# (method, url, role, expected status) ------------------------------------------------------------
TABLE = [
    # Platforms: public reads, curators create, own publishers edit the profile.
    *expect("GET", "/api/v1/platforms/", **everyone(200)),
    *expect(
        "POST", "/api/v1/platforms/",
        anonymous=401, sme=403, publisher_a=403, publisher_b=403, curator=201,
    ),
    *expect("GET", PLATFORM, **everyone(200)),
    *expect(
        "PATCH", PLATFORM,
        anonymous=401, sme=403, publisher_a=200, publisher_b=403, curator=200,
    ),
    *expect(
        "PUT", PLATFORM,
        anonymous=401, sme=403, publisher_a=200, publisher_b=403, curator=200,
    ),
    *expect("GET", PLATFORM + "history/", **everyone(200)),
    # Members: listed to the platform's own publishers and curators, changed by curators only.
    *expect(
        "GET", PLATFORM + "members/",
        anonymous=401, sme=403, publisher_a=200, publisher_b=403, curator=200,
    ),
    *expect(
        "POST", PLATFORM + "members/",
        anonymous=401, sme=403, publisher_a=403, publisher_b=403, curator=201,
    ),
    *expect(
        "DELETE", PLATFORM + "members/{member}/",
        anonymous=401, sme=403, publisher_a=403, publisher_b=403, curator=204,
    ),
    # Resources: public reads; publishers create for their own platform.
    *expect("GET", "/api/v1/resources/", **everyone(200)),
    *expect(
        "POST", "/api/v1/resources/",
        anonymous=401, sme=403, publisher_a=201, publisher_b=403, curator=201,
    ),
    # A's active resource: visible to all, changed by A's publishers and curators.
    *expect("GET", ACTIVE, **everyone(200)),
    *expect(
        "PATCH", ACTIVE,
        anonymous=401, sme=403, publisher_a=200, publisher_b=403, curator=200,
    ),
    *expect(
        "PUT", ACTIVE,
        anonymous=401, sme=403, publisher_a=200, publisher_b=403, curator=200,
    ),
    *expect(  # an active resource is withdrawn, never deleted: 409 to those who may ask
        "DELETE", ACTIVE,
        anonymous=401, sme=403, publisher_a=409, publisher_b=403, curator=409,
    ),
    *expect(
        "POST", ACTIVE + "withdraw/",
        anonymous=401, sme=403, publisher_a=200, publisher_b=403, curator=200,
    ),
    *expect("GET", ACTIVE + "history/", **everyone(200)),
    # A's draft: does not exist for anyone but A's publishers and curators.
    *expect(
        "GET", DRAFT,
        anonymous=404, sme=404, publisher_a=200, publisher_b=404, curator=200,
    ),
    *expect(
        "PATCH", DRAFT,
        anonymous=401, sme=404, publisher_a=200, publisher_b=404, curator=200,
    ),
    *expect(
        "DELETE", DRAFT,
        anonymous=401, sme=404, publisher_a=204, publisher_b=404, curator=204,
    ),
    *expect(
        "POST", DRAFT + "activate/",
        anonymous=401, sme=404, publisher_a=200, publisher_b=404, curator=200,
    ),
    *expect(
        "GET", DRAFT + "history/",
        anonymous=404, sme=404, publisher_a=200, publisher_b=404, curator=200,
    ),
]  # fmt: skip

RESOURCE_BODY = {
    "resource_type": "compute",
    "name": "新算力资源",
    "access_model": "open",
    "attributes": VALID_ATTRIBUTES["compute"],
}

# The body (and If-Match) each write sends; reads send nothing.
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/platforms/"): {
        "slug": "platform-new",
        "name": "新平台科技有限公司",
        "credit_code": make_credit_code(990001),
    },
    ("PATCH", PLATFORM): {"description": "面向中小企业开放算力"},
    ("PUT", PLATFORM): {
        "name": "甲平台科技有限公司",
        "name_en": "Platform A",
        "website": "https://a.example.cn",
        "description": "面向中小企业开放算力",
        "headquarters_region": "110000",
    },
    ("POST", PLATFORM + "members/"): {"username": "newcomer", "email": "newcomer@example.com"},
    ("POST", "/api/v1/resources/"): {"platform": "platform-a", **RESOURCE_BODY},
    ("PATCH", ACTIVE): {"name": "改过名的资源"},
    ("PUT", ACTIVE): {**RESOURCE_BODY, "summary": "整体替换"},
    ("PATCH", DRAFT): {"name": "改过名的草稿"},
    ("POST", ACTIVE + "withdraw/"): {"reason": "停止开放"},
}
NEEDS_IF_MATCH = {("PATCH", ACTIVE), ("PUT", ACTIVE), ("PATCH", DRAFT)}


@dataclass
class World:
    platform_a: Platform
    active: Resource
    draft: Resource
    member: Any
    users: dict[str, Any]

    def url(self, template: str) -> str:
        return template.format(
            a=self.platform_a.slug,
            active=self.active.pk,
            draft=self.draft.pk,
            member=self.member.username,
        )


@pytest.fixture
def world() -> World:
    platform_a = PlatformFactory(slug="platform-a", name="甲平台科技有限公司")
    platform_b = PlatformFactory(slug="platform-b", name="乙平台科技有限公司")
    publisher_a = UserFactory(username="publisher_a")
    publisher_b = UserFactory(username="publisher_b")
    platform_a.members.add(publisher_a)
    platform_b.members.add(publisher_b)
    complete = {"summary": "面向中小企业", "contact": "sme@example.cn", "industries": ["I"]}
    return World(
        platform_a=platform_a,
        active=ResourceFactory(platform=platform_a, status="active", **complete),
        draft=ResourceFactory(platform=platform_a, status="draft", **complete),
        member=publisher_a,
        users={
            "anonymous": None,
            "sme": UserFactory(username="sme"),
            "publisher_a": publisher_a,
            "publisher_b": publisher_b,
            "curator": CuratorFactory(username="curator"),
        },
    )


def snapshot(world: World) -> dict[str, Any]:
    """Everything a refused request must leave as it was."""

    def resource(pk: Any) -> Any:
        found = Resource.objects.filter(pk=pk).first()
        return found and (found.version, found.name, found.status, services.resource_state(found))

    platform_a = Platform.objects.get(pk=world.platform_a.pk)
    return {
        "platforms": Platform.objects.count(),
        "resources": Resource.objects.count(),
        "change records": ChangeRecord.objects.count(),
        "users": get_user_model().objects.count(),
        "members of A": sorted(platform_a.members.values_list("username", flat=True)),
        "platform A": services.platform_state(platform_a),
        "active": resource(world.active.pk),
        "draft": resource(world.draft.pk),
    }


@pytest.mark.parametrize(("method", "url", "role", "expected"), TABLE, ids=map(row_id, TABLE))
def test_each_role_gets_exactly_the_status_the_table_says(world, method, url, role, expected):
    client = APIClient()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    headers = {"If-Match": '"1"'} if (method, url) in NEEDS_IF_MATCH else {}
    body = BODIES.get((method, url))
    before = snapshot(world)

    send = getattr(client, method.lower())
    if body is None:
        response = send(world.url(url), headers=headers)
    else:
        response = send(world.url(url), body, format="json", headers=headers)

    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response["Content-Type"] == PROBLEM_MEDIA_TYPE
        assert response.json()["status"] == expected
        assert snapshot(world) == before, "a refused request changed the database"
    elif method != "GET":
        assert snapshot(world) != before, "an accepted write changed nothing"
    if expected == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_the_table_covers_every_role_for_every_endpoint_and_method():
    endpoints = {(method, url) for method, url, _, _ in TABLE}
    for method, url in endpoints:
        roles = [role for m, u, role, _ in TABLE if (m, u) == (method, url)]
        assert sorted(roles) == sorted(ROLES), (method, url)
    assert set(BODIES) <= endpoints
    assert len(TABLE) == len(endpoints) * len(ROLES)
