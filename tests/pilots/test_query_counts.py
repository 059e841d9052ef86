"""The pilots' lists run a fixed number of SQL queries, whatever the page size (no N+1), like the
registry's (tests/registry/test_query_counts.py); the absolute numbers are asserted too."""

import pytest

from pilots.models import PilotProject, ServicePlatform
from tests.factories import (
    PlatformFactory,
    ScenarioFactory,
    ServicePlatformFactory,
    bulk_resources,
)
from tests.query_counts import queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("synonyms_read")]

# pilots (with lead platform, scenario and service platform joined), then their resources.
PILOT_LIST_QUERIES = 2
# scenarios with their pilot counts.
SCENARIO_LIST_QUERIES = 1
# service platforms (operator joined, pilots counted), then their regions.
SERVICE_PLATFORM_LIST_QUERIES = 2


@pytest.fixture
def pilots():
    """105 pilots, each led by a platform, in a scenario, on a service platform, using resources."""
    platforms = [PlatformFactory(slug=f"platform-{index}") for index in range(3)]
    resources = bulk_resources(6, platforms=platforms)
    scenarios = [ScenarioFactory(code=f"SCN-{index}") for index in range(3)]
    hubs = [
        ServicePlatformFactory(slug=f"hub-{index}", operator=platforms[index], regions=["440000"])
        for index in range(3)
    ]
    ServicePlatform.objects.bulk_create(
        [
            ServicePlatform(
                slug=f"bulk-hub-{index:03d}",
                name=f"服务平台{index}",
                operator=platforms[index % 3],
                launched_year=2026,
            )
            for index in range(105)
        ]
    )
    created = PilotProject.objects.bulk_create(
        [
            PilotProject(
                code=f"PILOT-{index:03d}",
                name=f"试点{index}",
                lead_platform=platforms[index % 3],
                scenario=scenarios[index % 3],
                service_platform=hubs[index % 3],
                region_id="440000",
                industry_id="C",
            )
            for index in range(105)
        ]
    )
    link = PilotProject.resources.through
    link.objects.bulk_create(
        [
            link(pilotproject=pilot, resource=resource)
            for pilot in created
            for resource in resources[:2]
        ]
    )
    return resources


@pytest.mark.parametrize(
    ("url", "params", "expected"),
    [
        ("/api/v1/pilots/", {}, PILOT_LIST_QUERIES),
        ("/api/v1/pilots/", {"q": "试点", "status": "proposed", "platform": "platform-1"}, 2),
        ("/api/v1/scenarios/", {}, SCENARIO_LIST_QUERIES),
        ("/api/v1/service-platforms/", {}, SERVICE_PLATFORM_LIST_QUERIES),
        ("/api/v1/service-platforms/", {"region": "440000"}, SERVICE_PLATFORM_LIST_QUERIES),
    ],
    ids=["pilots", "pilots-filtered", "scenarios", "service-platforms", "service-platforms-region"],
)
def test_each_list_runs_the_same_queries_at_page_size_1_and_100(
    api_client, pilots, url, params, expected
):
    one, small = queries(api_client, url, {**params, "page_size": 1})
    hundred, large = queries(api_client, url, {**params, "page_size": 100})
    assert len(small["results"]) == 1
    assert len(large["results"]) >= 3
    assert one == hundred == expected


def test_a_pilot_shows_its_resources_without_a_query_each(api_client, pilots):
    _, page = queries(api_client, "/api/v1/pilots/", {"page_size": 100})
    assert {len(item["resources"]) for item in page["results"]} == {2}


def test_a_pilots_detail_runs_as_many_queries_as_the_list(api_client, pilots):
    count, _ = queries(api_client, "/api/v1/pilots/PILOT-001/", {})
    assert count == PILOT_LIST_QUERIES


def test_a_platforms_detail_adds_one_query_for_service_platforms_and_one_for_pilots(
    api_client, pilots
):
    count, body = queries(api_client, "/api/v1/platforms/platform-1/", {})
    assert len(body["pilots"]) == 35
    assert len(body["service_platforms"]) == 36
    assert count == 3


def test_resources_used_by_many_pilots_cost_one_query_for_all_their_pilots(api_client, pilots):
    one, _ = queries(api_client, "/api/v1/resources/", {"page_size": 1})
    six, body = queries(api_client, "/api/v1/resources/", {"page_size": 6})
    assert one == six
    assert sorted(len(item["pilots"]) for item in body["results"]) == [0, 0, 0, 0, 105, 105]
