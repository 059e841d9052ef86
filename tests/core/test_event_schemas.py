"""Every event the registry writes has the shape the OpenAPI document gives its type: as the change
feed shows it, as a subscription's pull feed shows it, and as its webhook's body carries it. The
events come from the services (the demo's seeding and the writes an integrator mirrors), and
the schema is the served document's ``Event`` (one schema per ``type``)."""

import json
from collections.abc import Iterator
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from jsonschema import Draft202012Validator
from rest_framework.test import APIClient

from core.choices import SUBSCRIBABLE_EVENT_TYPES, EventType
from core.event_schemas import registered
from notifications.delivery import body_of
from notifications.models import Delivery
from notifications.services import subscription_ping
from openness import services as lists
from pilots import services as pilots
from registry import services as registry
from tests.factories import PlatformFactory, ResourceFactory, ScenarioFactory, UserFactory
from tests.notifications.helpers import run_tasks, subscription_of
from tests.openness.helpers import COMPLETE, curator_user
from tests.pilots.helpers import listed_resource, pilot_data

pytestmark = pytest.mark.django_db
PRIVATE = {EventType.BATCH_OPENED, EventType.BATCH_CLOSED}


@pytest.fixture
def validator(api_client: APIClient) -> Draft202012Validator:
    document = api_client.get("/api/schema/", {"format": "json"}).json()
    return Draft202012Validator(
        {**document, "$ref": "#/components/schemas/Event"},
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


@pytest.fixture
def subscription() -> Any:
    subscription, _ = subscription_of(UserFactory())
    return subscription


@pytest.fixture
def every_event(subscription: Any) -> None:
    """The demo's lists (listings, withdrawals, published batches, resource changes: written
    before the subscription's time, so unmatched), then each type again for the subscription,
    and what the demo does not write: a pilot's, a scenario's and a service platform's life,
    and a ping."""
    call_command(
        "seed_demo", today=date(2026, 12, 2), resources=60, no_progress=True, stdout=StringIO()
    )
    curator = curator_user()
    platform = PlatformFactory()
    draft = ResourceFactory(platform=platform, status="draft", **COMPLETE)
    registry.resource_activate(actor=curator, resource_id=draft.pk)
    registry.resource_update(
        actor=curator, resource_id=draft.pk, data={"summary": "更新"}, if_match=None
    )
    kept, gone = listed_resource(platform), listed_resource(platform)
    lists.entry_withdraw(actor=curator, entry_id=kept.entries.get().pk, reason="到期")
    registry.resource_withdraw(actor=curator, resource_id=gone.pk, reason="停止服务")
    pilot = pilots.pilot_create(
        actor=curator, data=pilot_data(platform, resources=[listed_resource(platform).pk])
    )
    pilots.pilot_select(actor=curator, pilot_id=pilot.pk, year=2026)
    scenario = pilots.scenario_create(
        actor=curator,
        data={
            "code": "SCN-SHAPE",
            "name": "质检场景",
            "industry_id": "C",
            "ai_capability": "vision",
        },
    )
    pilots.scenario_mark_implementable(actor=curator, scenario_id=scenario.pk)
    ScenarioFactory()
    service_platform = pilots.service_platform_create(
        actor=curator,
        data={"slug": "shape", "name": "服务平台", "operator": platform, "launched_year": 2027},
    )
    pilots.service_platform_update(
        actor=curator,
        service_platform_id=service_platform.pk,
        data={"launched_year": 2028},
        if_match=None,
    )
    run_tasks()
    subscription_ping(subscription_id=subscription.pk)


def pages(client: APIClient, url: str) -> Iterator[dict[str, Any]]:
    page = client.get(url, {"page_size": 100}).json()
    while page["results"]:
        yield from page["results"]
        page = client.get(page["next"]).json()


def problems(validator: Draft202012Validator, event: dict[str, Any]) -> list[str]:
    return [f"{event['type']} #{event['id']}: {e.message}" for e in validator.iter_errors(event)]


@pytest.mark.usefixtures("every_event")
def test_every_event_in_the_change_feed_has_its_types_documented_shape(api_client, validator):
    events = list(pages(api_client, "/api/v1/events/"))

    assert {event["type"] for event in events} == set(registered()) - {EventType.PING}
    assert [p for event in events for p in problems(validator, event)] == []
    assert all("delivery" not in event for event in events)


@pytest.mark.usefixtures("every_event")
def test_every_delivered_event_has_the_documented_shape_by_webhook_and_in_the_pull_feed(
    api_client, validator, subscription
):
    api_client.force_login(subscription.owner)
    feed = list(pages(api_client, f"/api/v1/subscriptions/{subscription.pk}/events/"))
    bodies = [json.loads(body_of(d)) for d in Delivery.objects.select_related("event")]

    expected = {*SUBSCRIBABLE_EVENT_TYPES, EventType.PING}
    assert {event["type"] for event in feed} == {body["type"] for body in bodies} == expected
    assert [p for event in [*feed, *bodies] for p in problems(validator, event)] == []
    assert all(
        set(event["delivery"]) == {"webhook_id", "subscription", "matched"} for event in feed
    )


def test_every_public_event_type_has_a_documented_shape():
    assert set(registered()) == set(EventType) - PRIVATE
