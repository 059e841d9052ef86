"""Pilots, scenarios and service platforms in the public change feed: every write the services
make writes its event in the same transaction, so integrators can mirror them as they mirror the
lists; a refused write writes none, and these events wake no subscription matching."""

from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from core.errors import TransitionNotAllowed
from core.models import Event
from pilots import services
from tests.factories import PlatformFactory, ScenarioFactory
from tests.openness.helpers import curator_user
from tests.pilots.helpers import listed_resource, pilot_data, pilot_in

pytestmark = pytest.mark.django_db


def feed(api_client: Any) -> list[dict[str, Any]]:
    response = api_client.get("/api/v1/events/", {"page_size": 100})
    assert response.status_code == 200
    return [e for e in response.json()["results"] if e["subject"]["type"] != "entry"]


def test_a_pilots_life_is_in_the_feed_with_its_status_version_and_address(api_client):
    curator = curator_user()
    platform = PlatformFactory()
    resource = listed_resource(platform)
    before = Event.objects.count()

    pilot = services.pilot_create(actor=curator, data=pilot_data(platform, resources=[resource.pk]))
    pilot = services.pilot_select(actor=curator, pilot_id=pilot.pk, year=2026)
    pilot = services.pilot_update(
        actor=curator, pilot_id=pilot.pk, data={"outcomes": "降本 9%"}, if_match=None
    )

    events = list(Event.objects.order_by("id")[before:])
    assert [(e.type, e.subject_type, e.subject_id) for e in events] == [
        ("pilot.created", "pilot", "PILOT-T-001"),
        ("pilot.updated", "pilot", "PILOT-T-001"),
        ("pilot.updated", "pilot", "PILOT-T-001"),
    ]
    assert [(e.data["action"], e.data["status"], e.data["version"]) for e in events] == [
        ("created", "proposed", 1),
        ("selected", "selected", 2),
        ("updated", "selected", 3),
    ]
    assert events[2].data["changed"] == ["outcomes"]
    assert "changed" not in events[0].data
    shown = [e for e in feed(api_client) if e["type"].startswith("pilot.")]
    assert [e["id"] for e in shown] == [e.pk for e in events]
    assert shown[-1]["subject"] == {
        "type": "pilot",
        "id": "PILOT-T-001",
        "url": "http://testserver/api/v1/pilots/PILOT-T-001/",
    }


def test_scenarios_and_service_platforms_are_in_the_feed_too(api_client):
    curator = curator_user()
    scenario = ScenarioFactory(code="SCN-FEED")
    services.scenario_mark_implementable(actor=curator, scenario_id=scenario.pk)
    services.service_platform_create(
        actor=curator,
        data={
            "slug": "feed-service",
            "name": "中小企业数字化服务平台",
            "operator": PlatformFactory(),
            "launched_year": 2027,
        },
    )

    kinds = [(e["type"], e["subject"]["id"]) for e in feed(api_client)]
    assert ("scenario.updated", "SCN-FEED") in kinds
    assert ("service_platform.created", "feed-service") in kinds
    event = Event.objects.get(type="scenario.updated")
    assert (event.data["action"], event.data["status"]) == (
        "marked_implementable",
        "implementable",
    )
    created = Event.objects.get(type="service_platform.created")
    assert created.data["url"] == "/api/v1/service-platforms/feed-service/"
    assert "status" not in created.data


def test_a_refused_transition_writes_no_event():
    pilot = pilot_in("completed")
    before = Event.objects.count()

    with pytest.raises(TransitionNotAllowed):
        services.pilot_start(actor=curator_user(), pilot_id=pilot.pk)

    assert Event.objects.count() == before


def test_pilot_events_are_matched_at_once_and_enqueue_no_matching():
    platform = PlatformFactory()
    DBTaskResult.objects.all().delete()

    services.pilot_create(actor=curator_user(), data=pilot_data(platform, code="PILOT-T-002"))

    event = Event.objects.get(type="pilot.created")
    assert event.public
    assert event.matched_at is not None
    assert not DBTaskResult.objects.filter(task_path="notifications.tasks.match_events").exists()
