"""The pilots' endpoints as a client sees them: reads, a curator's writes with their validation,
If-Match, the workflow actions, the history, and the links shown on resources and platforms."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.models import ChangeRecord
from pilots.models import PilotProject
from tests.api_cases import ReadEndpointTests, assert_problem, rows
from tests.factories import (
    PilotProjectFactory,
    PlatformFactory,
    ResourceFactory,
    ScenarioFactory,
    ServicePlatformFactory,
    make_credit_code,
)
from tests.pilots.helpers import listed_resource, pilot_body, pilot_in

pytestmark = pytest.mark.django_db

PILOTS = "/api/v1/pilots/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


class TestPilotEndpoint(ReadEndpointTests):
    list_url = PILOTS
    key_field = "code"
    missing_key = "PILOT-NONE"

    def make(self) -> Any:
        return PilotProjectFactory(code="PILOT-READ")


@pytest.fixture
def lead(db):
    return PlatformFactory(slug="lead-platform", name="牵头平台有限公司", name_en="Lead")


# Reading ----------------------------------------------------------------------------------------


def test_a_pilot_reads_with_its_lead_links_and_server_fields(api_client, lead):
    resource = listed_resource(lead, name="开放算力")
    scenario = ScenarioFactory(code="SCN-READ", name="视觉质检")
    service_platform = ServicePlatformFactory(slug="hub-read", operator=lead)
    PilotProjectFactory(
        code="PILOT-READ",
        lead_platform=lead,
        scenario=scenario,
        service_platform=service_platform,
        resources=[resource],
        participants=[{"name": "甲公司", "credit_code": None}],
        milestones=[{"title": "启动", "date": "2026-05-01", "done": True}],
        evidence_links=["https://example.cn/case"],
    )
    data = api_client.get(f"{PILOTS}PILOT-READ/").json()
    assert data["lead"] == {
        "kind": "platform",
        "platform": {
            "slug": "lead-platform",
            "name": "牵头平台有限公司",
            "name_en": "Lead",
            "verified": False,
            "url": "http://testserver/api/v1/platforms/lead-platform/",
        },
        "name": "牵头平台有限公司",
        "credit_code": lead.credit_code,
    }
    assert [item["id"] for item in data["resources"]] == [str(resource.pk)]
    assert data["resources"][0]["url"].endswith(f"/api/v1/resources/{resource.pk}/")
    assert data["scenario"]["code"] == "SCN-READ"
    assert data["service_platform"]["slug"] == "hub-read"
    assert data["participants"] == [{"name": "甲公司", "credit_code": None}]
    assert data["milestones"] == [{"title": "启动", "date": "2026-05-01", "done": True}]
    assert (data["status"], data["version"], data["year_selected"]) == ("proposed", 1, None)
    assert (data["region"], data["industry"]) == ("440000", "C")


def test_an_sme_led_pilot_shows_the_smes_name_and_credit_code(api_client):
    code = make_credit_code(5151)
    PilotProjectFactory(
        code="PILOT-SME", lead_platform=None, lead_sme_name="某科技", lead_sme_credit_code=code
    )
    lead = api_client.get(f"{PILOTS}PILOT-SME/").json()["lead"]
    assert lead == {"kind": "sme", "platform": None, "name": "某科技", "credit_code": code}


def test_a_detail_carries_an_etag_that_answers_304_and_changes_with_what_it_shows(api_client):
    scenario = ScenarioFactory(code="SCN-ETAG")
    PilotProjectFactory(code="PILOT-ETAG", scenario=scenario)
    url = f"{PILOTS}PILOT-ETAG/"
    etag = api_client.get(url)["ETag"]
    assert etag.startswith('"1.')
    assert api_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    scenario.name = "改名的场景"
    scenario.save()
    renamed = api_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert renamed.status_code == 200
    assert renamed["ETag"] != etag


# Creating ---------------------------------------------------------------------------------------


def test_a_curator_proposes_a_pilot_with_listed_resources(curator_client, lead):
    resource = listed_resource(lead)
    ScenarioFactory(code="SCN-MFG")
    ServicePlatformFactory(slug="hub", operator=lead)
    response = curator_client.post(
        PILOTS,
        pilot_body(
            resources=[str(resource.pk)],
            scenario="SCN-MFG",
            service_platform="hub",
            participants=[{"name": "甲公司", "credit_code": make_credit_code(77)}],
            milestones=[{"title": "启动", "date": "2026-05-01"}],
            evidence_links=["https://example.cn/pilot"],
        ),
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response["Location"] == "/api/v1/pilots/PILOT-API-001/"
    assert response["ETag"].startswith('"1.')
    data = response.json()
    assert (data["status"], data["version"]) == ("proposed", 1)
    assert data["milestones"] == [{"title": "启动", "date": "2026-05-01", "done": False}]
    pilot = PilotProject.objects.get(code="PILOT-API-001")
    assert list(pilot.resources.all()) == [resource]
    assert (pilot.scenario.code, pilot.service_platform.slug) == ("SCN-MFG", "hub")


def test_an_unlisted_resource_is_a_400_naming_resources_and_its_id(curator_client, lead):
    listed = listed_resource(lead)
    draft = ResourceFactory(platform=lead, status="draft")
    response = curator_client.post(
        PILOTS, pilot_body(resources=[str(listed.pk), str(draft.pk)]), format="json", **EN
    )
    problem = assert_problem(response, 400, attr="resources")
    assert str(draft.pk) in problem["errors"][0]["detail"]
    assert str(listed.pk) not in problem["errors"][0]["detail"]
    assert not PilotProject.objects.exists()


@pytest.mark.parametrize(
    ("fields", "attr"),
    [
        ({"colour": "blue"}, "colour"),
        ({"status": "completed"}, "status"),
        ({"version": 7}, "version"),
        ({"year_selected": 2027}, "year_selected"),
        ({"lead": {}}, "lead"),
        ({"lead": {"platform": "lead-platform", "name": "某公司"}}, "lead"),
        ({"lead": {"platform": "no-such-platform"}}, "lead.platform"),
        ({"lead": {"name": "某公司"}}, "lead.credit_code"),
        ({"lead": {"name": "某公司", "credit_code": "91440300ABCDEFGH12"}}, "lead.credit_code"),
        ({"lead": {"platform": "lead-platform", "role": "x"}}, "lead.role"),
        ({"participants": [{"credit_code": make_credit_code(1)}]}, "participants.0.name"),
        ({"participants": [{"name": "甲", "credit_code": "BAD"}]}, "participants.0.credit_code"),
        ({"participants": [{"name": "甲", "share": 3}]}, "participants.0.share"),
        ({"participants": "甲公司"}, "participants"),
        ({"milestones": [{"title": "启动"}]}, "milestones.0.date"),
        ({"milestones": [{"title": "启动", "date": "1990-01-01"}]}, "milestones.0.date"),
        ({"milestones": [{"title": "启动", "date": "2026-01-01", "done": "maybe"}]},
         "milestones.0.done"),
        ({"evidence_links": ["ftp://example.cn/x"]}, "evidence_links.0"),
        ({"evidence_links": ["javascript:alert(1)"]}, "evidence_links.0"),
        ({"resources": ["not-a-uuid"]}, "resources"),
        ({"resources": ["5c4e0a4e-0000-4000-8000-00000000dead"]}, "resources"),
        ({"scenario": "SCN-NONE"}, "scenario"),
        ({"service_platform": "no-hub"}, "service_platform"),
        ({"region": "999999"}, "region"),
        ({"industry": "Z"}, "industry"),
        ({"code": "lower-case"}, "code"),
    ],
)  # fmt: skip
def test_an_invalid_body_is_a_400_naming_the_field(curator_client, lead, fields, attr):
    response = curator_client.post(PILOTS, pilot_body(**fields), format="json")
    assert_problem(response, 400, attr=attr)
    assert not PilotProject.objects.exists()


def test_a_duplicate_code_is_a_400_naming_code(curator_client, lead):
    PilotProjectFactory(code="PILOT-API-001")
    assert_problem(curator_client.post(PILOTS, pilot_body(), format="json"), 400, attr="code")


# Changing ---------------------------------------------------------------------------------------


@pytest.fixture
def pilot(lead):
    return PilotProjectFactory(code="PILOT-EDIT", lead_platform=lead, name="原名")


def test_a_patch_with_a_stale_if_match_is_a_412_and_the_other_change_survives(
    curator_client, pilot
):
    url = f"{PILOTS}PILOT-EDIT/"
    etag = curator_client.get(url)["ETag"]
    first = curator_client.patch(url, {"name": "先写"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    assert first.json()["version"] == 2
    assert first["ETag"].startswith('"2.')
    second = curator_client.patch(url, {"name": "后写"}, format="json", HTTP_IF_MATCH=etag)
    assert_problem(second, 412)
    pilot.refresh_from_db()
    assert (pilot.name, pilot.version) == ("先写", 2)


def test_a_patch_may_switch_the_lead_to_an_sme(curator_client, pilot):
    code = make_credit_code(8080)
    response = curator_client.patch(
        f"{PILOTS}PILOT-EDIT/",
        {"lead": {"name": "某科技", "credit_code": code}},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200, response.content
    assert response.json()["lead"]["kind"] == "sme"
    pilot.refresh_from_db()
    assert (pilot.lead_platform, pilot.lead_sme_credit_code) == (None, code)


@pytest.mark.parametrize("field", ["code", "status", "termination_reason", "url"])
def test_a_patch_of_the_code_or_a_server_field_is_a_400(curator_client, pilot, field):
    response = curator_client.patch(
        f"{PILOTS}PILOT-EDIT/", {field: "X"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert assert_problem(response, 400, attr=field)["errors"][0]["code"] == "read_only"


def test_a_terminated_pilot_cannot_be_edited(curator_client, lead):
    pilot_in("terminated", code="PILOT-DONE", lead_platform=lead)
    response = curator_client.patch(
        f"{PILOTS}PILOT-DONE/", {"name": "改"}, format="json", HTTP_IF_MATCH="*", **EN
    )
    problem = assert_problem(response, 409)
    assert problem["type"] == "/api/problems/transition-not-allowed"
    assert problem["detail"] == "A pilot project that is “Terminated” does not allow “edit”."


def test_put_and_delete_are_not_offered(curator_client, pilot):
    url = f"{PILOTS}PILOT-EDIT/"
    assert_problem(curator_client.put(url, pilot_body(), format="json"), 405)
    assert_problem(curator_client.delete(url), 405)


# The workflow -----------------------------------------------------------------------------------


def test_a_pilot_goes_through_its_workflow_by_post_actions(curator_client, pilot):
    url = f"{PILOTS}PILOT-EDIT/"
    selected = curator_client.post(f"{url}select/", {"year": 2025}, format="json")
    assert selected.status_code == 200, selected.content
    assert (selected.json()["status"], selected.json()["year_selected"]) == ("selected", 2025)
    assert selected["ETag"].startswith('"2.')
    assert curator_client.post(f"{url}start/").json()["status"] == "in_progress"
    completed = curator_client.post(f"{url}complete/", HTTP_IF_MATCH='"3"')
    assert (completed.json()["status"], completed.json()["version"]) == ("completed", 4)


def test_an_action_the_status_does_not_allow_is_a_409_in_the_openness_wording(
    curator_client, pilot
):
    response = curator_client.post(f"{PILOTS}PILOT-EDIT/complete/", **EN)
    problem = assert_problem(response, 409)
    assert problem["type"] == "/api/problems/transition-not-allowed"
    assert problem["detail"] == "A pilot project that is “Proposed” does not allow “complete”."


@pytest.mark.parametrize("payload", [{}, {"reason": ""}, {"reason": "   "}])
def test_terminating_without_a_reason_is_a_400_naming_reason(curator_client, lead, payload):
    pilot_in("in_progress", code="PILOT-RUN", lead_platform=lead)
    response = curator_client.post(f"{PILOTS}PILOT-RUN/terminate/", payload, format="json")
    assert_problem(response, 400, attr="reason")
    assert PilotProject.objects.get(code="PILOT-RUN").status == "in_progress"


def test_terminating_with_a_reason_shows_it(curator_client, lead):
    pilot_in("selected", code="PILOT-RUN", lead_platform=lead)
    response = curator_client.post(
        f"{PILOTS}PILOT-RUN/terminate/", {"reason": "资金未落实"}, format="json"
    )
    assert (response.json()["status"], response.json()["termination_reason"]) == (
        "terminated",
        "资金未落实",
    )


@pytest.mark.parametrize(
    ("payload", "attr"), [({"year": 1999}, "year"), ({"year": "soon"}, "year"), ({"y": 1}, "y")]
)
def test_selecting_with_a_bad_year_is_a_400_naming_it(curator_client, pilot, payload, attr):
    response = curator_client.post(f"{PILOTS}PILOT-EDIT/select/", payload, format="json")
    assert_problem(response, 400, attr=attr)


def test_selecting_in_a_year_still_to_come_is_a_400_naming_year(curator_client, pilot):
    with time_machine.travel(datetime(2026, 12, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        response = curator_client.post(
            f"{PILOTS}PILOT-EDIT/select/", {"year": 2027}, format="json", **EN
        )

    problem = assert_problem(response, 400, attr="year")
    assert [error["detail"] for error in problem["errors"]] == ["Give a year from 2000 to 2026."]
    assert PilotProject.objects.get(code="PILOT-EDIT").status == "proposed"


def test_the_history_lists_every_change_with_its_actor(api_client, curator_client, pilot):
    url = f"{PILOTS}PILOT-EDIT/"
    curator_client.patch(url, {"summary": "补充"}, format="json", HTTP_IF_MATCH='"1"')
    curator_client.post(f"{url}select/", {"year": 2026}, format="json")
    history = rows(api_client.get(f"{url}history/"))
    assert [(item["action"], item["version"], item["actor"]) for item in history] == [
        ("updated", 2, "curator"),
        ("selected", 3, "curator"),
    ]
    assert history[1]["changes"]["year_selected"] == {"before": None, "after": 2026}


# Links shown elsewhere --------------------------------------------------------------------------


def test_a_resource_shows_the_pilots_that_use_it_and_its_etag_follows_them(api_client, lead):
    resource = listed_resource(lead)
    url = f"/api/v1/resources/{resource.pk}/"
    before = api_client.get(url)
    assert before.json()["pilots"] == []
    PilotProjectFactory(code="PILOT-USES", name="用它的试点", resources=[resource])
    after = api_client.get(url)
    assert after.json()["pilots"] == [
        {
            "code": "PILOT-USES",
            "name": "用它的试点",
            "name_en": after.json()["pilots"][0]["name_en"],
            "status": "proposed",
            "url": "http://testserver/api/v1/pilots/PILOT-USES/",
        }
    ]
    assert after["ETag"] != before["ETag"]
    listed = rows(api_client.get("/api/v1/resources/"))
    assert [p["code"] for p in listed[0]["pilots"]] == ["PILOT-USES"]


def test_a_platform_shows_its_service_platforms_and_the_pilots_it_leads(api_client, lead):
    ServicePlatformFactory(slug="hub-b", operator=lead)
    ServicePlatformFactory(slug="hub-a", operator=lead)
    PilotProjectFactory(code="PILOT-LED", lead_platform=lead)
    PilotProjectFactory(code="PILOT-OTHER")
    data = api_client.get("/api/v1/platforms/lead-platform/").json()
    assert [item["slug"] for item in data["service_platforms"]] == ["hub-a", "hub-b"]
    assert data["service_platforms"][0]["url"].endswith("/api/v1/service-platforms/hub-a/")
    assert [(item["code"], item["status"]) for item in data["pilots"]] == [
        ("PILOT-LED", "proposed")
    ]
    listed = rows(api_client.get("/api/v1/platforms/", {"slug": "lead-platform"}))
    assert "pilots" not in listed[0]


def test_the_api_root_links_the_new_collections(api_client):
    links = api_client.get("/api/v1/").json()
    assert links["pilots"] == "http://testserver/api/v1/pilots/"
    assert links["scenarios"] == "http://testserver/api/v1/scenarios/"
    assert links["service_platforms"] == "http://testserver/api/v1/service-platforms/"


def test_a_refused_write_records_nothing(curator_client, pilot):
    records = ChangeRecord.objects.count()
    curator_client.patch(f"{PILOTS}PILOT-EDIT/", {"name": ""}, format="json", HTTP_IF_MATCH='"1"')
    curator_client.post(f"{PILOTS}PILOT-EDIT/start/")
    assert ChangeRecord.objects.count() == records
