"""Who may do what with pilots, scenarios and service platforms: one table of
(method, url, role, expected status), built like the registry's (``tests.api_cases``).

Reads are public; every write is the curators'. Each row runs against a fresh world (platform A
with a listed resource, a service platform it runs, a scenario, a proposed and an in-progress
pilot; platform B; one user per role). A refused row must leave the database exactly as it was;
an accepted write must change it.
"""

from dataclasses import dataclass
from typing import Any

import pytest

from core.models import ChangeRecord
from pilots import services
from pilots.models import PilotProject, Scenario, ServicePlatform
from registry.models import Resource
from tests.api_cases import (
    assert_answered_as_the_table_says,
    assert_table_covers_every_role,
    curators_only,
    everyone,
    expect,
    row_id,
    send_as,
    users_by_role,
)
from tests.factories import (
    PilotProjectFactory,
    PlatformFactory,
    ScenarioFactory,
    ServicePlatformFactory,
)
from tests.pilots.helpers import listed_resource

pytestmark = pytest.mark.django_db

PILOT = "/api/v1/pilots/PILOT-A/"
RUNNING = "/api/v1/pilots/PILOT-RUN/"
SCENARIO = "/api/v1/scenarios/SCN-A/"
HUB = "/api/v1/service-platforms/hub-a/"

# (method, url, role, expected status) ------------------------------------------------------------
TABLE = [
    # Pilot projects: public reads, curators' writes and workflow.
    *expect("GET", "/api/v1/pilots/", **everyone(200)),
    *expect("POST", "/api/v1/pilots/", **curators_only(201)),
    *expect("GET", PILOT, **everyone(200)),
    *expect("PATCH", PILOT, **curators_only(200)),
    *expect("PUT", PILOT, **everyone(405)),  # PATCH only; pilots are terminated, not deleted
    *expect("DELETE", PILOT, **everyone(405)),
    *expect("GET", PILOT + "history/", **everyone(200)),
    *expect("POST", PILOT + "select/", **curators_only(200)),
    *expect("POST", PILOT + "start/", **curators_only(409)),  # proposed: not yet selected
    *expect("POST", RUNNING + "complete/", **curators_only(200)),
    *expect("POST", RUNNING + "terminate/", **curators_only(200)),
    # Scenarios.
    *expect("GET", "/api/v1/scenarios/", **everyone(200)),
    *expect("POST", "/api/v1/scenarios/", **curators_only(201)),
    *expect("GET", SCENARIO, **everyone(200)),
    *expect("PATCH", SCENARIO, **curators_only(200)),
    *expect("GET", SCENARIO + "history/", **everyone(200)),
    *expect("POST", SCENARIO + "mark-implementable/", **curators_only(200)),
    # Service platforms.
    *expect("GET", "/api/v1/service-platforms/", **everyone(200)),
    *expect("POST", "/api/v1/service-platforms/", **curators_only(201)),
    *expect("GET", HUB, **everyone(200)),
    *expect("PATCH", HUB, **curators_only(200)),
    *expect("GET", HUB + "history/", **everyone(200)),
]

# The body each write sends; reads and the bodiless actions send nothing.
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/pilots/"): {
        "code": "PILOT-NEW",
        "name": "新试点",
        "lead": {"platform": "platform-a"},
        "region": "440000",
        "industry": "C",
        "resources": ["{listed}"],
    },
    ("PATCH", PILOT): {"summary": "补充说明"},
    ("PUT", PILOT): {"name": "整体替换"},
    ("POST", PILOT + "select/"): {"year": 2026},
    ("POST", RUNNING + "terminate/"): {"reason": "资金未落实"},
    ("POST", "/api/v1/scenarios/"): {
        "code": "SCN-NEW",
        "name": "智能客服",
        "industry": "I",
        "ai_capability": "agent",
    },
    ("PATCH", SCENARIO): {"description": "补充说明"},
    ("POST", "/api/v1/service-platforms/"): {
        "slug": "hub-new",
        "name": "新服务平台",
        "operator": "platform-a",
        "launched_year": 2026,
    },
    ("PATCH", HUB): {"description": "补充说明"},
}
NEEDS_IF_MATCH = {("PATCH", PILOT), ("PATCH", SCENARIO), ("PATCH", HUB)}


@dataclass
class World:
    listed: Resource
    users: dict[str, Any]


@pytest.fixture
def world() -> World:
    platform_a = PlatformFactory(slug="platform-a")
    platform_b = PlatformFactory(slug="platform-b")
    users = users_by_role(platform_a, platform_b)
    listed = listed_resource(platform_a)
    ScenarioFactory(code="SCN-A")
    ServicePlatformFactory(slug="hub-a", operator=platform_a)
    PilotProjectFactory(code="PILOT-A", lead_platform=platform_a, resources=[listed])
    PilotProjectFactory(code="PILOT-RUN", lead_platform=platform_a, status="in_progress")
    return World(listed=listed, users=users)


def snapshot() -> dict[str, Any]:
    """Everything a refused request must leave as it was."""
    return {
        "pilots": [
            services.pilot_state(pilot) | {"version": pilot.version}
            for pilot in PilotProject.objects.order_by("code")
        ],
        "scenarios": [
            services.scenario_state(scenario) | {"version": scenario.version}
            for scenario in Scenario.objects.order_by("code")
        ],
        "service platforms": [
            services.service_platform_state(hub) | {"version": hub.version}
            for hub in ServicePlatform.objects.order_by("slug")
        ],
        "change records": ChangeRecord.objects.count(),
    }


def with_ids(body: Any, world: World) -> Any:
    if isinstance(body, dict):
        return {key: with_ids(value, world) for key, value in body.items()}
    if isinstance(body, list):
        return [with_ids(value, world) for value in body]
    return str(world.listed.pk) if body == "{listed}" else body


@pytest.mark.parametrize(("method", "url", "role", "expected"), TABLE, ids=map(row_id, TABLE))
def test_each_role_gets_exactly_the_status_the_table_says(world, method, url, role, expected):
    headers = {"If-Match": '"1"'} if (method, url) in NEEDS_IF_MATCH else {}
    body = BODIES.get((method, url))
    before = snapshot()
    response = send_as(world.users[role], method, url, with_ids(body, world), headers)
    assert_answered_as_the_table_says(response, method, expected, before, after=snapshot)


def test_the_table_covers_every_role_for_every_endpoint_and_method():
    assert_table_covers_every_role(TABLE)
    assert set(BODIES) <= {(method, url) for method, url, _, _ in TABLE}


def test_every_pilot_operation_in_the_schema_is_in_the_table(api_client):
    """A new endpoint or method under the pilots' paths fails here until the table says who may
    use it."""
    document = api_client.get("/api/schema/?format=json").json()
    in_schema = set()
    for path, operations in document["paths"].items():
        if not path.startswith(("/api/v1/pilots/", "/api/v1/scenarios/", "/api/v1/service-pl")):
            continue
        for method in operations:
            in_schema.add((method.upper(), _shape(path)))
    in_table = {(method, _shape(url)) for method, url, _, _ in TABLE}
    assert in_schema <= in_table


def _shape(path: str) -> str:
    """The path with its object key taken out, so a template and a sample URL compare."""
    parts = path.strip("/").split("/")
    if len(parts) > 3:
        parts[3] = "{key}"
    return "/".join(parts)
