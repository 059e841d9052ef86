"""The curators' admin for pilots, scenarios and service platforms: saves and workflow actions go
through the services (versioned, recorded, refused with the workflow's reasons)."""

from typing import Any

import pytest

from core.audit import history_of
from pilots.models import PilotProject, Scenario, ServicePlatform
from tests.admin_actions import act, messages_of
from tests.factories import (
    PilotProjectFactory,
    PlatformFactory,
    ResourceFactory,
    ScenarioFactory,
    ServicePlatformFactory,
    UserFactory,
)
from tests.pilots.helpers import listed_resource

pytestmark = pytest.mark.django_db

PILOTS = "/admin/pilots/pilotproject/"
SCENARIOS = "/admin/pilots/scenario/"
HUBS = "/admin/pilots/serviceplatform/"


def form_data(platform: Any, **fields: Any) -> dict[str, Any]:
    return {
        "code": "PILOT-ADM",
        "name": "后台录入的试点",
        "lead_platform": str(platform.pk),
        "participants": "[]",
        "milestones": "[]",
        "evidence_links": "[]",
        "region": "440000",
        "industry": "C",
        **fields,
    }


def test_only_curators_reach_the_pilots_admin(client):
    client.force_login(UserFactory(username="sme"))
    assert client.get(PILOTS).status_code == 302  # to the admin's sign-in


def test_the_changelists_and_forms_load(admin_client):
    PilotProjectFactory()
    ScenarioFactory()
    ServicePlatformFactory()
    for url in (PILOTS, SCENARIOS, HUBS, f"{PILOTS}add/", f"{SCENARIOS}add/", f"{HUBS}add/"):
        assert admin_client.get(url).status_code == 200, url


def test_a_pilot_added_in_the_admin_is_created_through_the_services(admin_client):
    platform = PlatformFactory()
    resource = listed_resource(platform)
    response = admin_client.post(
        f"{PILOTS}add/", form_data(platform, resources=[str(resource.pk)]), follow=True
    )
    assert response.status_code == 200
    pilot = PilotProject.objects.get(code="PILOT-ADM")
    assert list(pilot.resources.all()) == [resource]
    assert [(r.action, r.actor_name) for r in history_of(pilot)] == [("created", "curator")]


def test_the_admin_form_refuses_an_unlisted_resource_and_a_missing_lead(admin_client):
    platform = PlatformFactory()
    unlisted = ResourceFactory(platform=platform)
    response = admin_client.post(
        f"{PILOTS}add/", form_data(platform, resources=[str(unlisted.pk)], lead_platform="")
    )
    assert response.status_code == 200  # the form again, with its errors
    errors = response.context["adminform"].form.errors
    assert "resources" in errors
    assert any("Name the lead" in message for message in errors["__all__"])
    assert not PilotProject.objects.exists()


def test_an_edit_in_the_admin_bumps_the_version_and_is_recorded(admin_client):
    platform = PlatformFactory()
    pilot = PilotProjectFactory(code="PILOT-ADM", lead_platform=platform)
    data = form_data(platform, name="改过的名字")
    data.pop("code")
    admin_client.post(f"{PILOTS}{pilot.pk}/change/", data, follow=True)
    pilot.refresh_from_db()
    assert (pilot.name, pilot.version) == ("改过的名字", 2)
    assert history_of(pilot).get().action == "updated"


def test_the_workflow_actions_move_pilots_through_the_services(admin_client):
    proposed = PilotProjectFactory(code="P-1")
    running = PilotProjectFactory(code="P-2", status="in_progress")

    asked = act(admin_client, PILOTS, "select_selected", [proposed, running])
    assert asked.status_code == 200
    assert b"Which year" in asked.content
    response = act(
        admin_client, PILOTS, "select_selected", [proposed, running], post="yes", year="2025"
    )
    messages = messages_of(admin_client.get(PILOTS)) if response.status_code == 302 else []
    proposed.refresh_from_db()
    assert (proposed.status, proposed.year_selected) == ("selected", 2025)
    assert any(level == "error" and "does not allow" in text for level, text in messages), messages

    act(admin_client, PILOTS, "start_selected", [proposed])
    act(admin_client, PILOTS, "complete_selected", [running])
    assert [p.status for p in PilotProject.objects.order_by("code")] == [
        "in_progress",
        "completed",
    ]


def test_terminating_in_the_admin_asks_for_the_reason(admin_client):
    pilot = PilotProjectFactory(code="P-1", status="selected")
    asked = act(admin_client, PILOTS, "terminate_selected", [pilot], post="yes", reason="")
    assert asked.status_code == 200  # the page again: the reason is required
    pilot.refresh_from_db()
    assert pilot.status == "selected"
    act(admin_client, PILOTS, "terminate_selected", [pilot], post="yes", reason="资金未落实")
    pilot.refresh_from_db()
    assert (pilot.status, pilot.termination_reason) == ("terminated", "资金未落实")


def test_scenarios_are_marked_implementable_with_an_action(admin_client):
    candidate, done = (
        ScenarioFactory(code="S-1"),
        ScenarioFactory(code="S-2", maturity="implementable"),
    )
    act(admin_client, SCENARIOS, "mark_implementable_selected", [candidate, done])
    assert [s.maturity for s in Scenario.objects.order_by("code")] == [
        "implementable",
        "implementable",
    ]
    assert Scenario.objects.get(code="S-2").version == 1  # refused, unchanged


def test_a_service_platform_added_in_the_admin_is_recorded(admin_client):
    operator = PlatformFactory()
    admin_client.post(
        f"{HUBS}add/",
        {
            "slug": "hub-adm",
            "name": "后台服务平台",
            "operator": str(operator.pk),
            "services": '["算力券"]',
            "regions": ["440000"],
            "launched_year": "2026",
        },
        follow=True,
    )
    hub = ServicePlatform.objects.get(slug="hub-adm")
    assert [r.code for r in hub.regions.all()] == ["440000"]
    assert history_of(hub).get().action == "created"


def test_nothing_is_deleted_in_the_pilots_admin(admin_client):
    pilot = PilotProjectFactory()
    assert admin_client.get(f"{PILOTS}{pilot.pk}/delete/").status_code == 403
