"""Every list of the API runs a fixed number of SQL queries, whatever the page size (no N+1).

The main lists are guarded next to their app (tests/registry/, tests/pilots/, tests/openness/
``test_query_counts.py``); the nested lists of the registry and the pilots (histories, members,
API tokens) are guarded here. ``GUARDED`` names the guard of every list in the OpenAPI document,
and a test fails when a list appears there without one.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from core.models import ChangeRecord
from registry.models import ApiToken
from tests.factories import (
    PilotProjectFactory,
    PlatformFactory,
    ResourceFactory,
    ScenarioFactory,
    ServicePlatformFactory,
    UserFactory,
)
from tests.query_counts import (
    CURATOR_CHECK,
    ROWS,
    SESSION,
    assert_same_queries_at_page_size_1_and_100,
)

# the subject (get_object), then its change records.
HISTORY_QUERIES = 2
# The subject is read with its list's prefetches: a pilot's resources, a service platform's
# regions (a resource's list reads rows, so its queryset prefetches nothing).
PILOT_PREFETCHES = 1
SERVICE_PLATFORM_PREFETCHES = 1
# the platform (get_object), the user's platforms (is it theirs?), then its members.
MEMBER_LIST_QUERIES = 3
# the user's tokens.
TOKEN_LIST_QUERIES = 1

# Each list operation of the OpenAPI document, and the file that guards its query count.
GUARDED = {
    "/api/v1/resources/": "tests/registry/test_query_counts.py",
    "/api/v1/platforms/": "tests/registry/test_query_counts.py",
    "/api/v1/regions/": "tests/registry/test_query_counts.py",
    "/api/v1/industries/": "tests/registry/test_query_counts.py",
    "/api/v1/resource-types/": "tests/registry/test_query_counts.py",
    "/api/v1/pilots/": "tests/pilots/test_query_counts.py",
    "/api/v1/scenarios/": "tests/pilots/test_query_counts.py",
    "/api/v1/service-platforms/": "tests/pilots/test_query_counts.py",
    "/api/v1/batches/": "tests/openness/test_query_counts.py",
    "/api/v1/batches/{number}/entries/": "tests/openness/test_query_counts.py",
    "/api/v1/events/": "tests/openness/test_query_counts.py",
    "/api/v1/subscriptions/": "tests/openness/test_query_counts.py",
    "/api/v1/subscriptions/{id}/deliveries/": "tests/openness/test_query_counts.py",
    "/api/v1/subscriptions/{id}/events/": "tests/openness/test_query_counts.py",
    "/api/v1/resources/{id}/history/": "tests/config/test_list_query_counts.py",
    "/api/v1/platforms/{slug}/history/": "tests/config/test_list_query_counts.py",
    "/api/v1/pilots/{code}/history/": "tests/config/test_list_query_counts.py",
    "/api/v1/scenarios/{code}/history/": "tests/config/test_list_query_counts.py",
    "/api/v1/service-platforms/{slug}/history/": "tests/config/test_list_query_counts.py",
    "/api/v1/platforms/{slug}/members/": "tests/config/test_list_query_counts.py",
    "/api/v1/auth/tokens/": "tests/config/test_list_query_counts.py",
}


def list_operations() -> set[str]:
    """The paths whose GET answers a list: an array, or a page whose ``results`` is one."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    paths = set()
    for path, operations in schema["paths"].items():
        answer = operations.get("get", {}).get("responses", {}).get("200", {})
        for content in answer.get("content", {}).values():
            body = content["schema"]
            if "$ref" in body:
                body = components[body["$ref"].rsplit("/", 1)[-1]]
            results = body.get("properties", {}).get("results", {})
            if body.get("type") == "array" or results.get("type") == "array":
                paths.add(path)
    return paths


def test_every_list_in_the_openapi_document_has_a_query_count_guard():
    lists = list_operations()
    assert lists - set(GUARDED) == set(), "a list without a query-count guard: add one"
    assert set(GUARDED) - lists == set(), "a guard for a list that is gone: drop it"


# Histories and members ------------------------------------------------------------------------


def record_history(subject, count: int = ROWS) -> None:
    """``count`` change records of ``subject``, inserted in one query (its content type looked
    up first, so the request finds it in Django's cache, as every request after a process's first
    does)."""
    subject_type = ContentType.objects.get_for_model(subject)
    now = timezone.now()
    ChangeRecord.objects.bulk_create(
        [
            ChangeRecord(
                subject_type=subject_type,
                subject_id=str(subject.pk),
                action="updated",
                actor_name="curator",
                at=now,
                changes={"name": {"before": f"名称{index}", "after": f"名称{index + 1}"}},
            )
            for index in range(count)
        ]
    )


HISTORIES = [
    pytest.param(
        ResourceFactory,
        "/api/v1/resources/{pk}/history/",
        HISTORY_QUERIES,
        id="resource",
    ),
    pytest.param(
        lambda: PlatformFactory(slug="platform-a"),
        "/api/v1/platforms/{slug}/history/",
        HISTORY_QUERIES,
        id="platform",
    ),
    pytest.param(
        lambda: PilotProjectFactory(code="PILOT-A"),
        "/api/v1/pilots/{code}/history/",
        HISTORY_QUERIES + PILOT_PREFETCHES,
        id="pilot",
    ),
    pytest.param(
        lambda: ScenarioFactory(code="SCN-A"),
        "/api/v1/scenarios/{code}/history/",
        HISTORY_QUERIES,
        id="scenario",
    ),
    pytest.param(
        lambda: ServicePlatformFactory(slug="hub-a"),
        "/api/v1/service-platforms/{slug}/history/",
        HISTORY_QUERIES + SERVICE_PLATFORM_PREFETCHES,
        id="service-platform",
    ),
]


def history_url(template: str, subject) -> str:
    return template.format(
        pk=subject.pk, slug=getattr(subject, "slug", ""), code=getattr(subject, "code", "")
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("make", "url", "expected"), HISTORIES)
def test_each_history_runs_the_same_queries_at_page_size_1_and_100(api_client, make, url, expected):
    subject = make()
    record_history(subject)
    url = history_url(url, subject)
    assert assert_same_queries_at_page_size_1_and_100(api_client, url) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("make", "url", "expected"), HISTORIES)
def test_each_historys_next_link_leads_to_the_rest_of_it(api_client, make, url, expected):
    subject = make()
    record_history(subject)
    first = api_client.get(history_url(url, subject), {"page_size": 100}).json()
    rest = api_client.get(first["next"])
    assert rest.status_code == 200
    assert len(first["results"]) + len(rest.json()["results"]) == ROWS


# Members ---------------------------------------------------------------------------------------


def add_members(platform, count: int) -> None:
    """``count`` new users publishing for ``platform``, inserted in a few queries."""
    start = platform.members.count()
    users = get_user_model().objects.bulk_create(
        [UserFactory.build(username=f"member{start + index:03d}") for index in range(count)]
    )
    platform.members.add(*users)


@pytest.fixture
def member_of_platform_a(api_client):
    """A publisher of platform-a, signed in (its own members are the viewer's to see)."""
    platform = PlatformFactory(slug="platform-a")
    add_members(platform, 1)
    api_client.force_login(platform.members.get())
    return platform


MEMBERS = "/api/v1/platforms/platform-a/members/"


@pytest.mark.django_db
def test_a_platforms_members_run_the_same_queries_at_page_size_1_and_100(
    api_client, member_of_platform_a
):
    add_members(member_of_platform_a, ROWS - 1)
    count = assert_same_queries_at_page_size_1_and_100(api_client, MEMBERS)
    assert count == SESSION + CURATOR_CHECK + MEMBER_LIST_QUERIES


# API tokens ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_token_list_runs_the_same_queries_at_page_size_1_and_100(api_client):
    owner = UserFactory(username="owner")
    now = timezone.now()
    ApiToken.objects.bulk_create(
        [
            ApiToken(
                user=owner,
                name=f"集成{index}",
                prefix=f"{index:08d}",
                digest=f"{index:064x}",
                created_at=now - timedelta(minutes=index),
                expires_at=now + timedelta(days=30),
            )
            for index in range(ROWS)
        ]
    )
    api_client.force_login(owner)
    count = assert_same_queries_at_page_size_1_and_100(api_client, "/api/v1/auth/tokens/")
    assert count == SESSION + CURATOR_CHECK + TOKEN_LIST_QUERIES
