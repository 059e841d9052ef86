"""Scenarios and service platforms as a client sees them: reads, a curator's writes, If-Match, the
scenario's one transition and the histories."""

import pytest

from pilots.models import Scenario, ServicePlatform
from tests.api_cases import assert_problem, read_endpoint_tests, rows
from tests.factories import (
    PilotProjectFactory,
    PlatformFactory,
    ScenarioFactory,
    ServicePlatformFactory,
)

pytestmark = pytest.mark.django_db

SCENARIOS = "/api/v1/scenarios/"
HUBS = "/api/v1/service-platforms/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


TestScenarioEndpoint = read_endpoint_tests(
    SCENARIOS, "code", "SCN-NONE", make=lambda: ScenarioFactory(code="SCN-READ")
)
TestServicePlatformEndpoint = read_endpoint_tests(
    HUBS, "slug", "no-such-hub", make=lambda: ServicePlatformFactory(slug="hub-read")
)


# Scenarios --------------------------------------------------------------------------------------


def test_a_scenario_reads_with_its_pilot_count(api_client):
    scenario = ScenarioFactory(code="SCN-COUNT")
    PilotProjectFactory(scenario=scenario)
    PilotProjectFactory(scenario=scenario)
    data = api_client.get(f"{SCENARIOS}SCN-COUNT/").json()
    assert (data["pilot_count"], data["maturity"], data["implementable_at"]) == (
        2,
        "candidate",
        None,
    )
    assert data["industry"] == "C"


def test_a_curator_creates_a_candidate_scenario(curator_client):
    response = curator_client.post(
        SCENARIOS,
        {"code": "SCN-NEW", "name": "智能客服", "industry": "I", "ai_capability": "agent"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response["Location"] == "/api/v1/scenarios/SCN-NEW/"
    assert (response.json()["maturity"], response.json()["version"]) == ("candidate", 1)


@pytest.mark.parametrize(
    ("fields", "attr"),
    [
        ({"maturity": "implementable"}, "maturity"),
        ({"implementable_at": "2026-01-01T00:00:00Z"}, "implementable_at"),
        ({"ai_capability": "magic"}, "ai_capability"),
        ({"industry": "Z"}, "industry"),
        ({"extra": 1}, "extra"),
    ],
)
def test_an_invalid_scenario_is_a_400_naming_the_field(curator_client, fields, attr):
    payload = {"code": "SCN-BAD", "name": "x", "industry": "I", "ai_capability": "agent", **fields}
    assert_problem(curator_client.post(SCENARIOS, payload, format="json"), 400, attr=attr)
    assert not Scenario.objects.exists()


def test_marking_implementable_sets_when_and_a_second_time_is_a_409(curator_client):
    ScenarioFactory(code="SCN-IMPL")
    url = f"{SCENARIOS}SCN-IMPL/mark-implementable/"
    response = curator_client.post(
        url, {"implementable_at": "2026-06-01T08:00:00+08:00"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["maturity"] == "implementable"
    assert response.json()["implementable_at"].startswith("2026-06-01T08:00:00")
    again = assert_problem(curator_client.post(url, **EN), 409)
    assert again["detail"] == (
        "A scenario that is “Implementable” does not allow “mark implementable”."
    )


@pytest.mark.parametrize("moment", ["2999-01-01T00:00:00Z", "1990-01-01T00:00:00Z", "soon"])
def test_marking_implementable_at_an_impossible_moment_is_a_400(curator_client, moment):
    ScenarioFactory(code="SCN-IMPL")
    response = curator_client.post(
        f"{SCENARIOS}SCN-IMPL/mark-implementable/", {"implementable_at": moment}, format="json"
    )
    assert_problem(response, 400, attr="implementable_at")
    assert Scenario.objects.get(code="SCN-IMPL").maturity == "candidate"


def test_a_scenarios_history_shows_its_transition(api_client, curator_client):
    ScenarioFactory(code="SCN-HIST")
    curator_client.post(f"{SCENARIOS}SCN-HIST/mark-implementable/")
    history = rows(api_client.get(f"{SCENARIOS}SCN-HIST/history/"))
    assert [(item["action"], item["version"]) for item in history] == [("marked_implementable", 2)]
    assert history[0]["changes"]["maturity"] == {"before": "candidate", "after": "implementable"}


# Service platforms ------------------------------------------------------------------------------


def test_a_service_platform_reads_with_its_operator_regions_and_pilot_count(api_client):
    operator = PlatformFactory(slug="operator")
    hub = ServicePlatformFactory(slug="hub", operator=operator, regions=["440000", "110000"])
    PilotProjectFactory(service_platform=hub)
    data = api_client.get(f"{HUBS}hub/").json()
    assert data["operator"]["slug"] == "operator"
    assert sorted(data["regions"]) == ["110000", "440000"]
    assert (data["pilot_count"], data["launched_year"], data["version"]) == (1, 2026, 1)


def test_a_curator_creates_and_changes_a_service_platform(curator_client):
    PlatformFactory(slug="operator")
    created = curator_client.post(
        HUBS,
        {
            "slug": "hub-new",
            "name": "新服务平台",
            "operator": "operator",
            "services": ["算力券申领"],
            "regions": ["440000"],
            "launched_year": 2027,
            "website": "https://hub.example.cn",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    changed = curator_client.patch(
        f"{HUBS}hub-new/", {"nationwide": True}, format="json", HTTP_IF_MATCH=created["ETag"]
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["nationwide"], changed.json()["regions"]) == (True, [])
    assert ServicePlatform.objects.get(slug="hub-new").version == 2


@pytest.mark.parametrize(
    ("fields", "attr"),
    [
        ({"launched_year": 1999}, "launched_year"),
        ({"operator": "nobody"}, "operator"),
        ({"nationwide": True, "regions": ["440000"]}, "regions"),
        ({"services": ["  "]}, "services.0"),
        ({"website": "ftp-ish"}, "website"),
        ({"pilot_count": 3}, "pilot_count"),
    ],
)
def test_an_invalid_service_platform_is_a_400_naming_the_field(curator_client, fields, attr):
    PlatformFactory(slug="operator")
    payload = {"slug": "hub-bad", "name": "x", "operator": "operator", "launched_year": 2026}
    response = curator_client.post(HUBS, {**payload, **fields}, format="json")
    assert_problem(response, 400, attr=attr)
    assert not ServicePlatform.objects.exists()


def test_a_service_platforms_slug_cannot_change(curator_client):
    ServicePlatformFactory(slug="hub")
    response = curator_client.patch(
        f"{HUBS}hub/", {"slug": "renamed"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert_problem(response, 400, attr="slug")
