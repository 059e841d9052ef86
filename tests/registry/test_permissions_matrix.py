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

from core.models import ChangeRecord
from registry import services
from registry.models import Platform, Resource
from tests.api_cases import (
    a_and_curators,
    a_and_curators_hidden,
    assert_answered_as_the_table_says,
    assert_table_covers_every_role,
    curators_only,
    everyone,
    expect,
    row_id,
    seen_by_a,
    send_as,
    users_by_role,
)
from tests.factories import (
    VALID_ATTRIBUTES,
    PlatformFactory,
    ResourceFactory,
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
    *expect("POST", "/api/v1/platforms/", **curators_only(201)),
    *expect("GET", PLATFORM, **everyone(200)),
    *expect("PATCH", PLATFORM, **a_and_curators(200)),
    *expect("PUT", PLATFORM, **a_and_curators(200)),
    *expect("GET", PLATFORM + "history/", **everyone(200)),
    # Members: listed to the platform's own publishers and curators, changed by curators only.
    *expect("GET", PLATFORM + "members/", **a_and_curators(200)),
    *expect("POST", PLATFORM + "members/", **curators_only(201)),
    *expect("DELETE", PLATFORM + "members/{member}/", **curators_only(204)),
    # Resources: public reads; publishers create for their own platform.
    *expect("GET", "/api/v1/resources/", **everyone(200)),
    *expect("POST", "/api/v1/resources/", **a_and_curators(201)),
    # A's active resource: visible to all, changed by A's publishers and curators.
    *expect("GET", ACTIVE, **everyone(200)),
    *expect("PATCH", ACTIVE, **a_and_curators(200)),
    *expect("PUT", ACTIVE, **a_and_curators(200)),
    # An active resource is withdrawn, never deleted: 409 to those who may ask
    *expect("DELETE", ACTIVE, **a_and_curators(409)),
    *expect("POST", ACTIVE + "withdraw/", **a_and_curators(200)),
    *expect("GET", ACTIVE + "history/", **everyone(200)),
    # A's draft: does not exist for anyone but A's publishers and curators.
    *expect("GET", DRAFT, **seen_by_a(200)),
    *expect("PATCH", DRAFT, **a_and_curators_hidden(200)),
    *expect("DELETE", DRAFT, **a_and_curators_hidden(204)),
    *expect("POST", DRAFT + "activate/", **a_and_curators_hidden(200)),
    *expect("GET", DRAFT + "history/", **seen_by_a(200)),
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
    users = users_by_role(platform_a, platform_b)
    complete = {"summary": "面向中小企业", "contact": "sme@example.cn", "industries": ["I"]}
    return World(
        platform_a=platform_a,
        active=ResourceFactory(platform=platform_a, status="active", **complete),
        draft=ResourceFactory(platform=platform_a, status="draft", **complete),
        member=users["publisher_a"],
        users=users,
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
    headers = {"If-Match": '"1"'} if (method, url) in NEEDS_IF_MATCH else {}
    before = snapshot(world)
    response = send_as(
        world.users[role], method, world.url(url), BODIES.get((method, url)), headers
    )
    assert_answered_as_the_table_says(
        response, method, expected, before, after=lambda: snapshot(world)
    )


def test_the_table_covers_every_role_for_every_endpoint_and_method():
    assert_table_covers_every_role(TABLE)
    assert set(BODIES) <= {(method, url) for method, url, _, _ in TABLE}
