"""Matching events to subscriptions: "a subscription matches" means "the event's resource would
appear in the subscription's search".

Events are written by the services as a curator or publisher would cause them (publishing a batch,
withdrawing a resource), matched by the background task that writing them enqueued (run here by
``run_tasks``), and judged by the deliveries that result. The property test at the end checks the
one claim everything rests on: for any search, the matcher finds exactly the resources that
``GET /api/v1/resources/`` lists.
"""

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
import time_machine
from django.db import connection
from django.tasks import TaskResultStatus
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.models import Event
from notifications import tasks
from notifications.matching import (
    MATCHING_LEASE,
    matching_resource_ids,
    normalise_query,
)
from notifications.models import Delivery
from notifications.tasks import match_pending_events
from registry import services as registry_services
from tests.api_cases import rows
from tests.factories import PlatformFactory
from tests.notifications.helpers import run_tasks, subscription_of
from tests.openness.helpers import active_resource, published_batch

pytestmark = pytest.mark.django_db

GUANGDONG_COMPUTE = "type=compute&region=440000"


@pytest.fixture
def owner(sme_user: Any) -> Any:
    return sme_user


@pytest.fixture
def platform(db: Any) -> Any:
    return PlatformFactory(slug="platform-a")


def beijing_data(platform: Any) -> Any:
    """A resource that ``type=compute&region=440000`` does not find on either count."""
    return active_resource(platform, resource_type="data", regions=["110000"])


def received(subscription: Any) -> list[tuple[str, str]]:
    """(event type, subject id) of each delivery the subscription got, in event order."""
    deliveries = Delivery.objects.filter(subscription=subscription).order_by("event_id")
    return [(d.event.type, d.event.subject_id) for d in deliveries.select_related("event")]


def entry_of(resource: Any) -> str:
    return str(resource.entries.get().pk)


# What matches ------------------------------------------------------------------------------------


def test_a_published_batch_gives_the_subscriber_exactly_the_matching_entry_listed(
    owner, curator, platform
):
    subscription, _ = subscription_of(owner, GUANGDONG_COMPUTE, event_types=["entry.listed"])
    matching = active_resource(platform)  # compute, in Guangdong
    published_batch(curator, [matching, beijing_data(platform)])
    run_tasks()
    assert received(subscription) == [("entry.listed", entry_of(matching))]


def test_a_compute_resource_elsewhere_does_not_match_a_guangdong_search(owner, curator, platform):
    subscription, _ = subscription_of(owner, GUANGDONG_COMPUTE, event_types=["entry.listed"])
    in_beijing = active_resource(platform, regions=["110000"])
    nationwide = active_resource(platform, regions=[], nationwide=True)
    published_batch(curator, [in_beijing, nationwide])
    run_tasks()
    assert received(subscription) == [("entry.listed", entry_of(nationwide))]


def test_only_the_event_types_a_subscription_asked_for_are_delivered(owner, curator, platform):
    batches_only, _ = subscription_of(owner, GUANGDONG_COMPUTE, event_types=["batch.published"])
    everything, _ = subscription_of(owner, GUANGDONG_COMPUTE)
    matching = active_resource(platform)
    batch = published_batch(curator, [matching])
    run_tasks()
    assert received(batches_only) == [("batch.published", str(batch.number))]
    assert received(everything) == [
        ("batch.published", str(batch.number)),
        ("entry.listed", entry_of(matching)),
    ]


def test_an_inactive_subscription_gets_nothing(owner, curator, platform):
    paused, _ = subscription_of(owner, GUANGDONG_COMPUTE, active=False)
    published_batch(curator, [active_resource(platform)])
    run_tasks()
    assert received(paused) == []
    assert not Event.objects.filter(matched_at__isnull=True).exists()


def test_batch_published_matches_only_when_the_batch_lists_a_matching_resource(
    owner, curator, platform
):
    subscription, _ = subscription_of(owner, GUANGDONG_COMPUTE, event_types=["batch.published"])
    published_batch(curator, [beijing_data(platform)])
    run_tasks()
    assert received(subscription) == []

    matching = active_resource(platform)
    batch = published_batch(curator, [beijing_data(platform), matching])
    run_tasks()
    assert received(subscription) == [("batch.published", str(batch.number))]
    delivery = Delivery.objects.get(subscription=subscription)
    assert delivery.matched["resources"] == [str(matching.pk)]
    assert delivery.matched["count"] == 1


def test_withdrawing_a_resource_that_matched_is_delivered_though_it_no_longer_would_be_found(
    owner, curator, platform
):
    subscription, _ = subscription_of(
        owner, GUANGDONG_COMPUTE, event_types=["entry.withdrawn", "resource.withdrawn"]
    )
    unrelated, _ = subscription_of(owner, "type=data")
    listed = active_resource(platform)
    published_batch(curator, [listed])
    run_tasks()
    registry_services.resource_withdraw(actor=curator, resource_id=listed.pk, reason="停止开放")
    run_tasks()
    assert received(subscription) == [
        ("entry.withdrawn", entry_of(listed)),
        ("resource.withdrawn", str(listed.pk)),
    ]
    assert received(unrelated) == []


def test_a_query_naming_a_status_decides_for_withdrawals_too(owner, curator, platform):
    active_only, _ = subscription_of(owner, "status=active", event_types=["resource.withdrawn"])
    withdrawn_only, _ = subscription_of(
        owner, "status=withdrawn", event_types=["resource.withdrawn"]
    )
    resource = active_resource(platform)
    registry_services.resource_withdraw(actor=curator, resource_id=resource.pk, reason="停止开放")
    run_tasks()
    assert received(active_only) == []
    assert received(withdrawn_only) == [("resource.withdrawn", str(resource.pk))]


def test_an_update_is_delivered_when_the_resource_matches_after_it(owner, curator, platform):
    subscription, _ = subscription_of(owner, GUANGDONG_COMPUTE, event_types=["resource.updated"])
    arriving = active_resource(platform, regions=["110000"])
    leaving = active_resource(platform)
    for resource, regions in ((arriving, ["440000"]), (leaving, ["110000"])):
        registry_services.resource_update(
            actor=curator, resource_id=resource.pk, data={"regions": regions}, if_match=None
        )
    run_tasks()
    assert received(subscription) == [("resource.updated", str(arriving.pk))]


def test_each_delivery_records_why_it_matched(owner, curator, platform):
    subscription, _ = subscription_of(owner, "region=440000&type=compute,compute")
    matching = [active_resource(platform), active_resource(platform)]
    batch = published_batch(curator, [*matching, beijing_data(platform)])
    run_tasks()
    by_type = {d.event.type: d for d in Delivery.objects.filter(subscription=subscription)}
    assert by_type["batch.published"].matched == {
        "event_type": "batch.published",
        "query": "region=440000&type=compute",
        "resources": sorted(str(r.pk) for r in matching),
        "count": 2,
    }
    assert batch.number == by_type["batch.published"].event.data["batch"]
    listed = Delivery.objects.filter(subscription=subscription, event__type="entry.listed")
    assert sorted(tuple(d.matched["resources"]) for d in listed) == sorted(
        (str(r.pk),) for r in matching
    )
    assert {d.matched["count"] for d in listed} == {1}


def test_a_pull_only_subscription_gets_its_matches_as_pull_deliveries_and_no_task(
    owner, curator, platform
):
    subscription, _ = subscription_of(owner, GUANGDONG_COMPUTE, event_types=["entry.listed"])
    published_batch(curator, [active_resource(platform)])
    run_tasks()
    delivery = Delivery.objects.get(subscription=subscription)
    assert (delivery.status, delivery.next_attempt_at, delivery.attempts) == ("pull", None, 0)


def test_a_renamed_platform_in_one_query_does_not_stop_matching_for_the_others(
    owner, curator, platform
):
    stale, _ = subscription_of(owner, "platform=platform-a")
    healthy, _ = subscription_of(owner, GUANGDONG_COMPUTE, event_types=["entry.listed"])
    registry_services.platform_update(
        actor=curator, platform_id=platform.pk, data={"slug": "platform-renamed"}
    )
    matching = active_resource(platform)
    published_batch(curator, [matching])
    run_tasks()
    assert received(stale) == []
    assert received(healthy) == [("entry.listed", entry_of(matching))]
    assert not Event.objects.filter(matched_at__isnull=True).exists()


# Once, and all or nothing ------------------------------------------------------------------------


def test_matching_the_same_events_twice_makes_no_second_delivery(owner, curator, platform):
    subscription, _ = subscription_of(owner, GUANGDONG_COMPUTE)
    published_batch(curator, [active_resource(platform), active_resource(platform)])
    run_tasks()
    before = sorted(d.webhook_id for d in Delivery.objects.all())
    assert len(before) == 3  # batch.published and two entry.listed

    Event.objects.update(matched_at=None)  # as if a second worker matched them again
    match_pending_events()
    assert sorted(d.webhook_id for d in Delivery.objects.all()) == before
    assert Delivery.objects.filter(subscription=subscription).count() == 3


class Exploding:
    def enqueue(self, *args: Any) -> None:
        raise RuntimeError("the queue is down")


def test_a_failure_mid_chunk_leaves_no_deliveries_and_the_events_unmatched(
    owner, curator, platform, monkeypatch
):
    subscription_of(owner, GUANGDONG_COMPUTE, webhook_url="https://hooks.example.com/in")
    published_batch(curator, [active_resource(platform), beijing_data(platform)])
    unmatched = Event.objects.filter(matched_at__isnull=True).count()
    assert unmatched == 3

    # Fails after the deliveries were inserted and the events marked, before the commit.
    monkeypatch.setattr(tasks, "deliver_each", Exploding())
    with pytest.raises(RuntimeError, match="the queue is down"):
        match_pending_events()
    assert Delivery.objects.count() == 0
    assert Event.objects.filter(matched_at__isnull=True).count() == unmatched

    monkeypatch.undo()
    assert match_pending_events() == 2
    assert Event.objects.filter(matched_at__isnull=True).count() == 0


def test_a_matching_run_that_dies_is_taken_over_by_the_follow_up_it_enqueued_first(
    owner, curator, platform, monkeypatch
):
    subscription = subscription_of(owner, GUANGDONG_COMPUTE)[0]
    published_batch(curator, [active_resource(platform), beijing_data(platform)])

    def killed(events: Any) -> Any:
        raise RuntimeError("killed mid-chunk")

    # The worker that took the task enqueued with the events dies with it: the task stays running.
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING)
    monkeypatch.setattr("notifications.matching.match_events", killed)
    with pytest.raises(RuntimeError, match="killed mid-chunk"):
        match_pending_events()
    monkeypatch.undo()
    assert received(subscription) == []

    with time_machine.travel(timezone.now() + MATCHING_LEASE + timedelta(seconds=1), tick=False):
        run_tasks()

    assert [event_type for event_type, _ in received(subscription)] == [
        "batch.published",
        "entry.listed",
    ]


def test_the_queries_to_match_do_not_grow_with_the_subscriptions_sharing_a_query(
    owner, curator, platform
):
    def queries_to_match() -> int:
        with CaptureQueriesContext(connection) as captured:
            made = match_pending_events()
        assert made > 0
        return len(captured)

    subscription_of(owner, GUANGDONG_COMPUTE)
    subscription_of(owner, "type=data")
    published_batch(curator, [active_resource(platform), beijing_data(platform)])
    with_two = queries_to_match()

    for number in range(40):
        subscription_of(owner, GUANGDONG_COMPUTE, name=f"同一查询{number}")
    published_batch(curator, [active_resource(platform), beijing_data(platform)])
    assert queries_to_match() == with_two
    assert Delivery.objects.count() == (2 + 2) + (41 * 2 + 2)


# Matching equals search --------------------------------------------------------------------------


VOCABULARY: dict[str, list[str]] = {
    "type": ["compute", "data", "algorithm", "terminal"],
    "region": ["440000", "110000", "310000"],
    "industry": ["I", "C", "A"],
    "access_model": ["open", "free_quota", "paid", "application"],
    "enterprise_size": ["micro", "small", "medium"],
    "tag": ["gpu", "算力", "数据", "开源"],
    "platform": ["platform-a", "platform-b"],
    "status": ["active", "withdrawn"],
    "batch": ["1", "2"],
}
SEARCH_TERMS = ["GPU", "算力", "数据", "交通", "开发板", "视觉", "Linux", "资源", "开放", "乙平台"]


@st.composite
def queries(draw: st.DrawFn) -> str:
    """A resource search as a user might type it: some filters, each with one or more values,
    comma-separated or repeated, and maybe a full-text ``q``."""
    pairs: list[tuple[str, str]] = []
    for name in draw(st.lists(st.sampled_from(sorted(VOCABULARY)), unique=True, max_size=3)):
        values = draw(st.lists(st.sampled_from(VOCABULARY[name]), min_size=1, max_size=2))
        if draw(st.booleans()):
            pairs.append((name, ",".join(values)))
        else:
            pairs.extend((name, value) for value in values)
    if draw(st.booleans()):
        terms = draw(st.lists(st.sampled_from(SEARCH_TERMS), min_size=1, max_size=2))
        separator = draw(st.sampled_from([" ", ", ", "  "]))
        pairs.append(("q", separator.join(terms)))
    return urlencode(draw(st.permutations(pairs)))


@pytest.fixture
def catalogue(curator: Any, platform_a: Any, platform_b: Any) -> list[str]:
    """Eight resources that differ in every filtered field; three listed in batch 1, one
    withdrawn, one of them nationwide. Returns their ids."""
    a, b = platform_a, platform_b
    made = [
        active_resource(a, name="GPU 算力池", tags=["gpu", "算力"], access_model="paid"),
        active_resource(
            a,
            name="城市交通数据集",
            resource_type="data",
            regions=["110000", "440000"],
            industries=["I", "C"],
            tags=["数据"],
            access_model="open",
            eligible_medium=False,
        ),
        active_resource(
            b,
            name="工业视觉算法",
            name_en="Industrial vision models",
            resource_type="algorithm",
            regions=["310000"],
            industries=["C"],
            access_model="application",
            eligible_micro=False,
        ),
        active_resource(
            b,
            name="鸿蒙终端适配",
            resource_type="terminal",
            regions=[],
            nationwide=True,
            industries=["A"],
            tags=["开源"],
        ),
        active_resource(b, name="开放算力券", regions=["110000"], tags=["算力"]),
        active_resource(a, name="RISC-V 开发板", summary="Linux 开发板", tags=["开源"]),
        active_resource(a, name="已撤回的数据", resource_type="data", tags=["数据"]),
        active_resource(b, name="边缘 GPU 资源", regions=["310000", "440000"], tags=["gpu"]),
    ]
    published_batch(curator, made[:3])
    registry_services.resource_withdraw(actor=curator, resource_id=made[6].pk, reason="停止")
    return [str(resource.pk) for resource in made]


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=queries())
def test_a_subscription_matches_exactly_what_the_search_finds_matching_every_term(
    api_client, catalogue, query
):
    listed = api_client.get(f"/api/v1/resources/?{query}&page_size=100")
    found_by_search = {item["id"] for item in rows(listed)} & set(catalogue)
    saved = normalise_query(query)
    matched = matching_resource_ids(saved, catalogue)
    if listed.json().get("matched", "all") == "all":
        assert matched == found_by_search, (query, saved)
    else:  # the list widened to partial matches; a standing query keeps to every term
        assert matched <= found_by_search, (query, saved)


@pytest.mark.parametrize(
    ("given_query", "saved"),
    [
        ("type=compute&region=440000", [("region", "440000"), ("type", "compute")]),
        ("?type=compute&type=data,compute", [("type", "compute,data")]),
        ("type= compute , data", [("type", "compute,data")]),
        ("type=compute&ordering=name&page_size=5&cursor=abc", [("type", "compute")]),
        ("q=gpu, 算力", [("q", "gpu, 算力")]),
        ("q=gpu&q=算力", [("q", "算力")]),
        ("q=  &type=data", [("type", "data")]),
        ("", []),
    ],
)
def test_a_query_is_saved_in_one_canonical_form_that_searches_the_same(given_query, saved):
    canonical = normalise_query(given_query)
    assert parse_qsl(canonical) == saved
    assert normalise_query(canonical) == canonical


def test_the_canonical_form_is_sorted_and_comma_separated():
    assert normalise_query("type=compute&region=440000") == "region=440000&type=compute"
    assert normalise_query("type=data&type=compute") == "type=data,compute"
