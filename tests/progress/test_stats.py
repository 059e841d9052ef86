"""``progress.stats`` and ``GET /api/v1/stats/`` against a small programme counted by hand.

The programme (``programme`` below), in Beijing time:

* batch 1 published 2026-05-20 lists r1 (compute, Guangdong, C), r2 (data, nationwide, C and I)
  and r5 (chip, Shanghai, M); r5's entry is withdrawn on 2027-03-01. Batch 2, published
  2027-09-25, lists r1 again and r3 (algorithm, Beijing and Guangdong, I). r4 (compute,
  Shanghai) is rejected from batch 2. Batch 3 stays open.
* pilots: one proposed (Guangdong); selected in 2026: one still selected (Guangdong), one in
  progress (Beijing); in 2027: one completed (Guangdong), one terminated (Shanghai); in 2028: one
  selected (Beijing).
* scenarios: implementable since 2026-06-01, since 2027-01-01 00:30 (the last evening of 2026 in
  UTC: it counts in 2027) and a candidate.
* service platforms launched in 2026 and 2028.

Only what has happened counts, so the clock matters: unless a test says otherwise it is
``AFTER_THE_PLAN``, when all of that has happened; ``TODAY`` is 2 December 2026, when batch 2, the
withdrawal, the pilots of 2027 and 2028, S-2 and sp-2 are still to come.
"""

from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.core.cache import cache

from openness import services as openness_services
from openness.models import Entry
from pilots.choices import ScenarioMaturity
from pilots.models import PilotProject, Scenario, ServicePlatform
from progress import invalidation, stats
from registry.models import Region, Resource
from tests.factories import make_credit_code
from tests.openness.helpers import active_resource, open_batch, published_batch
from tests.progress.progress_helpers import BEIJING, TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache", "clock")]


def beijing(*args: int) -> datetime:
    return datetime(*args, tzinfo=BEIJING)


def pilot(code: str, status: str, year: int | None, region: str) -> PilotProject:
    return PilotProject.objects.create(
        code=code,
        name=f"试点{code}",
        lead_sme_name="某中小企业有限公司",
        lead_sme_credit_code=make_credit_code(7),
        region_id=region,
        industry_id="C",
        status=status,
        year_selected=year,
    )


def scenario(code: str, implementable_at: datetime | None) -> Scenario:
    return Scenario.objects.create(
        code=code,
        name=f"场景{code}",
        industry_id="C",
        ai_capability="vision",
        maturity=ScenarioMaturity.IMPLEMENTABLE if implementable_at else ScenarioMaturity.CANDIDATE,
        implementable_at=implementable_at,
    )


def service_platform(slug: str, operator: Any, launched: int) -> ServicePlatform:
    return ServicePlatform.objects.create(
        slug=slug, name=slug, operator=operator, launched_year=launched
    )


@pytest.fixture
def programme(platform_a: Any, platform_b: Any) -> dict[str, Any]:
    r1 = active_resource(platform_a, resource_type="compute", regions=["440000"], industries=["C"])
    r2 = active_resource(
        platform_a, resource_type="data", nationwide=True, regions=[], industries=["C", "I"]
    )
    r3 = active_resource(
        platform_b, resource_type="algorithm", regions=["110000", "440000"], industries=["I"]
    )
    r4 = active_resource(platform_b, resource_type="compute", regions=["310000"])
    r5 = active_resource(platform_b, resource_type="chip", regions=["310000"], industries=["M"])
    with time_machine.travel(beijing(2026, 5, 20, 10), tick=False):
        first = published_batch(None, [r1, r2, r5], title="第一批")
    with time_machine.travel(beijing(2027, 3, 1, 10), tick=False):
        entry = Entry.objects.get(batch=first, resource=r5)
        openness_services.entry_withdraw(actor=None, entry_id=entry.pk, reason="停止开放")
    with time_machine.travel(beijing(2027, 9, 25, 10), tick=False):
        published_batch(None, [r1, r3], rejected=[r4], title="第二批")
    open_batch(None, title="第三批")

    pilot("P-1", "proposed", None, "440000")
    pilot("P-2", "selected", 2026, "440000")
    pilot("P-3", "in_progress", 2026, "110000")
    pilot("P-4", "completed", 2027, "440000")
    pilot("P-5", "terminated", 2027, "310000")
    pilot("P-6", "selected", 2028, "110000")
    scenario("S-1", beijing(2026, 6, 1))
    scenario("S-2", beijing(2027, 1, 1, 0, 30))
    scenario("S-3", None)
    service_platform("sp-1", platform_a, 2026)
    service_platform("sp-2", platform_b, 2028)
    return {"resources": [r1, r2, r3, r4, r5]}


def counts(buckets: list[dict[str, Any]]) -> dict[str, int]:
    return {bucket["value"]: bucket["count"] for bucket in buckets}


def years(target: dict[str, Any]) -> list[tuple[int, int, int]]:
    return [(row["year"], row["count"], row["cumulative"]) for row in target["by_year"]]


# The numbers ------------------------------------------------------------------------------------


def test_each_target_counts_what_the_plan_counts_per_year(programme):
    targets = stats.compute_stats()["targets"]

    assert years(targets["batches"]) == [(2026, 1, 1), (2027, 1, 2), (2028, 0, 2)]
    assert years(targets["pilots"]) == [(2026, 2, 2), (2027, 2, 4), (2028, 1, 5)]
    assert years(targets["service_platforms"]) == [(2026, 1, 1), (2027, 0, 1), (2028, 1, 2)]
    assert years(targets["scenarios"]) == [(2026, 1, 1), (2027, 1, 2), (2028, 0, 2)]
    assert {key: (t["count"], t["target"], t["met"]) for key, t in targets.items()} == {
        "batches": (2, 3, False),
        "pilots": (5, 100, False),
        "service_platforms": (2, 10, False),
        "scenarios": (2, 60, False),
    }
    assert targets["batches"]["percent"] == 66  # rounded down: 2 of 3 is not 67% done


def test_a_target_is_met_when_its_count_reaches_the_plan(platform_a):
    for number in range(10):
        service_platform(f"sp-{number}", platform_a, 2026 + number % 3)

    target = stats.compute_stats()["targets"]["service_platforms"]

    assert (target["count"], target["met"], target["percent"]) == (10, True, 100)


def test_listed_resources_are_counted_by_type_region_platform_and_industry(programme):
    listed = stats.compute_stats()["listed_resources"]

    assert (listed["total"], listed["nationwide"]) == (3, 1)  # r1, r2, r3 (r5 was withdrawn)
    assert counts(listed["by_type"]) == {
        "compute": 1,
        "data": 1,
        "algorithm": 1,
        "chip": 0,
        "operating_system": 0,
        "terminal": 0,
    }
    regions = counts(listed["by_region"])
    # The nationwide r2 counts in every region, as the region filter and facet count it.
    assert (regions["440000"], regions["110000"], regions["310000"]) == (3, 2, 1)
    assert len(regions) == Region.objects.count()
    assert counts(listed["by_platform"]) == {"platform-a": 2, "platform-b": 1}
    assert counts(listed["by_industry"]) == {"C": 2, "I": 2}
    assert listed["by_platform"][0]["name_en"] == "Platform A"


def test_nationwide_resources_are_counted_apart_and_provinces_by_their_own(programme):
    listed = stats.compute_stats()["listed_resources"]

    assert listed["nationwide"] == 1  # r2
    # r1 in Guangdong, r3 in Beijing and Guangdong; r2 names no region, r5 was withdrawn.
    assert [(b["value"], b["count"]) for b in listed["by_region_own"]] == [
        ("440000", 2),
        ("110000", 1),
    ]


def test_the_ranking_orders_provinces_by_their_own_resources(platform_a):
    everywhere = [
        active_resource(platform_a, nationwide=True, regions=[], industries=["C"]) for _ in range(3)
    ]
    beijing_only = [active_resource(platform_a, regions=["110000"]) for _ in range(2)]
    guangdong = active_resource(platform_a, regions=["440000", "110000"])
    published_batch(None, [*everywhere, *beijing_only, guangdong], title="第一批")

    listed = stats.compute_stats()["listed_resources"]

    assert [(b["value"], b["count"]) for b in listed["by_region_own"]] == [
        ("110000", 3),
        ("440000", 1),
    ]
    assert listed["nationwide"] == 3
    available = counts(listed["by_region"])  # what is available there: nationwide ones too
    assert (available["110000"], available["440000"], available["650000"]) == (6, 4, 3)


def test_region_counts_agree_with_the_resource_facets(programme):
    from registry.search.facets import facet_counts

    listed = Resource.objects.filter(entries__status="listed").distinct()
    facets = facet_counts(listed, ["type", "region", "platform", "industry"])
    ours = stats.compute_stats()["listed_resources"]

    for facet, key in [("region", "by_region"), ("platform", "by_platform")]:
        assert counts(facets[facet]) == counts(ours[key]), facet
    assert counts(facets["industry"]) == counts(ours["by_industry"])
    assert counts(facets["type"]) == {k: n for k, n in counts(ours["by_type"]).items() if n}


def test_pilots_are_counted_by_status_region_and_year_selected(programme):
    pilots = stats.compute_stats()["pilots"]

    assert (pilots["total"], pilots["counted"]) == (6, 5)
    assert counts(pilots["by_status"]) == {
        "proposed": 1,
        "selected": 2,
        "in_progress": 1,
        "completed": 1,
        "terminated": 1,
    }
    assert counts(pilots["by_region"]) == {"440000": 2, "110000": 2, "310000": 1}
    assert [(row["year"], row["total"], counts(row["by_status"])) for row in pilots["by_year"]] == [
        (2026, 2, {"selected": 1, "in_progress": 1, "completed": 0, "terminated": 0}),
        (2027, 2, {"selected": 0, "in_progress": 0, "completed": 1, "terminated": 1}),
        (2028, 1, {"selected": 1, "in_progress": 0, "completed": 0, "terminated": 0}),
    ]


def test_a_year_gives_the_picture_at_its_end(programme):
    at_2026 = stats.compute_stats(year=2026)

    assert at_2026["year"] == 2026
    assert at_2026["years"] == [2026]
    assert {key: t["count"] for key, t in at_2026["targets"].items()} == {
        "batches": 1,
        "pilots": 2,
        "service_platforms": 1,
        "scenarios": 1,
    }
    assert years(at_2026["targets"]["pilots"]) == [(2026, 2, 2)]
    # At the end of 2026 batch 1 alone was out, and r5 had not been withdrawn yet.
    listed = at_2026["listed_resources"]
    assert listed["total"] == 3
    assert {k: n for k, n in counts(listed["by_type"]).items() if n} == {
        "compute": 1,
        "data": 1,
        "chip": 1,
    }
    pilots = at_2026["pilots"]
    assert (pilots["total"], pilots["counted"]) == (2, 2)  # a proposal has no year: left out
    assert counts(pilots["by_region"]) == {"440000": 1, "110000": 1}
    assert [row["year"] for row in pilots["by_year"]] == [2026]


def test_at_the_end_of_2027_the_withdrawn_listing_no_longer_counts(programme):
    listed = stats.compute_stats(year=2027)["listed_resources"]

    assert {k: n for k, n in counts(listed["by_type"]).items() if n} == {
        "compute": 1,
        "data": 1,
        "algorithm": 1,
    }
    assert stats.compute_stats(year=2028)["targets"] == stats.compute_stats()["targets"]


# Only what has happened, and the plan beside it ---------------------------------------------


def test_a_pilot_selected_for_next_year_does_not_count_now(programme, clock):
    clock.move_to(TODAY)

    now = stats.compute_stats()

    assert (now["as_of"], now["years"]) == ("2026-12-02", [2026])
    assert now["targets"]["pilots"]["count"] == 2  # P-4, P-5 and P-6 are recorded for 2027–2028
    assert years(now["targets"]["pilots"]) == [(2026, 2, 2)]
    pilots = now["pilots"]
    assert (pilots["total"], pilots["counted"]) == (3, 2)  # the proposal P-1 is there today
    assert counts(pilots["by_region"]) == {"440000": 1, "110000": 1}
    assert [row["year"] for row in pilots["by_year"]] == [2026]


def test_today_nothing_dated_after_today_counts(programme, clock):
    clock.move_to(TODAY)

    now = stats.compute_stats()

    assert {key: t["count"] for key, t in now["targets"].items()} == {
        "batches": 1,  # batch 2 comes out in September 2027
        "pilots": 2,
        "service_platforms": 1,  # sp-2 is launched in 2028
        "scenarios": 1,  # S-2 becomes implementable on 1 January 2027
    }
    listed = now["listed_resources"]
    # Batch 1 alone: r3 is listed in batch 2 only, and r5 is withdrawn in March 2027.
    assert {k: n for k, n in counts(listed["by_type"]).items() if n} == {
        "compute": 1,
        "data": 1,
        "chip": 1,
    }
    assert counts(listed["by_region_own"]) == {"440000": 1, "310000": 1}


def test_with_a_later_year_nothing_beyond_today_counts(programme, clock):
    clock.move_to(TODAY)

    at_2028 = stats.compute_stats(year=2028)
    now = stats.compute_stats()

    assert (at_2028["year"], at_2028["as_of"], at_2028["years"]) == (2028, "2026-12-02", [2026])
    assert at_2028["targets"] == now["targets"]
    assert at_2028["listed_resources"] == now["listed_resources"]
    assert (at_2028["pilots"]["total"], at_2028["pilots"]["counted"]) == (2, 2)


def test_a_year_that_has_ended_counts_to_its_last_day(programme, clock):
    clock.move_to(beijing(2027, 6, 1, 10))

    at_2026 = stats.compute_stats(year=2026)
    now = stats.compute_stats()

    assert (at_2026["as_of"], at_2026["years"]) == ("2026-12-31", [2026])
    assert at_2026["targets"]["pilots"]["expected"] == 34  # the pace at the end of 2026
    assert (now["as_of"], now["years"]) == ("2027-06-01", [2026, 2027])
    assert years(now["targets"]["batches"]) == [(2026, 1, 1), (2027, 0, 1)]
    assert now["listed_resources"]["total"] == 2  # r5 was withdrawn in March


def test_the_plan_stands_beside_each_target(programme, clock):
    clock.move_to(TODAY)

    targets = stats.compute_stats()["targets"]

    assert targets["pilots"]["plan"] == [{"year": 2028, "target": 100}]
    assert [(row["year"], row["expected"]) for row in targets["pilots"]["pace"]] == [
        (2026, 34),
        (2027, 67),
        (2028, 100),
    ]
    # 336 of the plan's 1,096 days have passed by the end of 2 December 2026.
    assert {key: (t["count"], t["expected"], t["on_track"]) for key, t in targets.items()} == {
        "batches": (1, 1, True),
        "pilots": (2, 31, False),
        "service_platforms": (1, 4, False),
        "scenarios": (1, 19, False),
    }


def test_once_the_plan_has_ended_a_target_is_on_track_only_when_met(platform_a):
    for number in range(10):
        service_platform(f"sp-{number}", platform_a, 2027)

    targets = stats.compute_stats()["targets"]

    assert {key: (t["expected"], t["on_track"]) for key, t in targets.items()} == {
        "batches": (3, False),
        "pilots": (100, False),
        "service_platforms": (10, True),
        "scenarios": (60, False),
    }


def test_the_pace_is_a_straight_line_from_the_start_of_2026_to_the_plans_number():
    assert stats.pace("pilots", beijing(2025, 6, 1)) == 0
    assert stats.pace("pilots", beijing(2026, 1, 1)) == 0
    assert stats.pace("pilots", beijing(2026, 1, 1, 1)) == 1  # rounded up
    assert stats.pace("pilots", beijing(2027, 1, 1)) == 34  # 365 of 1,096 days
    assert stats.pace("batches", beijing(2028, 1, 1)) == 2  # 730 of 1,096 days: 1.998
    assert stats.pace("pilots", beijing(2029, 1, 1)) == 100
    assert stats.pace("pilots", beijing(2031, 1, 1)) == 100


def test_a_plan_with_a_number_for_an_earlier_year_is_followed(monkeypatch):
    monkeypatch.setitem(stats.PLAN, "pilots", {2026: 50, 2028: 100})

    assert stats.pace("pilots", beijing(2027, 1, 1)) == 50
    assert stats.pace("pilots", beijing(2028, 1, 1)) == 75  # 50 + 50 × 365/731, rounded up
    assert [row["target"] for row in stats.compute_stats()["targets"]["pilots"]["plan"]] == [
        50,
        100,
    ]


def test_a_pilot_counted_as_selected_without_its_year_does_not_count(programme):
    before = stats.compute_stats()["targets"]["pilots"]["count"]

    pilot("P-9", "in_progress", None, "440000")

    assert stats.compute_stats()["targets"]["pilots"]["count"] == before


def test_a_year_outside_the_plan_is_refused():
    with pytest.raises(ValueError, match="year"):
        stats.progress_stats(year=2025)


# Queries and the cache ------------------------------------------------------------------------


def test_the_stats_take_a_fixed_number_of_queries_whatever_the_data(
    programme, platform_a, django_assert_num_queries
):
    with django_assert_num_queries(stats.QUERIES):
        stats.compute_stats()
    for number in range(30):
        pilot(f"Q-{number}", "in_progress", 2026 + number % 3, ["440000", "110000"][number % 2])
        scenario(f"QS-{number}", beijing(2027, 1 + number % 12, 1))
    more = [active_resource(platform_a, resource_type="terminal") for _ in range(5)]
    with time_machine.travel(beijing(2028, 3, 1), tick=False):
        published_batch(None, more, title="第四批")

    with django_assert_num_queries(stats.QUERIES):
        stats.compute_stats()
    with django_assert_num_queries(stats.QUERIES):
        stats.compute_stats(year=2027)
    with time_machine.travel(TODAY, tick=False), django_assert_num_queries(stats.QUERIES):
        stats.compute_stats(year=2028)


def test_the_stats_are_served_from_the_cache_until_something_changes(
    programme, django_assert_num_queries
):
    first = stats.progress_stats()
    with django_assert_num_queries(0):
        assert stats.progress_stats() == first

    with time_machine.travel(beijing(2029, 1, 16, 10), tick=False):
        assert stats.progress_stats()["as_of"] == "2029-01-16"  # a new day, a new picture

    pilot("P-7", "selected", 2028, "440000")

    again = stats.progress_stats()
    assert again["targets"]["pilots"]["count"] == first["targets"]["pilots"]["count"] + 1


@pytest.mark.parametrize(
    "change",
    [
        "pilot_status",
        "scenario_deleted",
        "service_platform_added",
        "batch_published",
        "entry_withdrawn",
        "resource_regions",
        "resource_type",
    ],
)
def test_each_kind_of_change_invalidates_the_cached_stats(programme, platform_b, change):
    cached = stats.progress_stats()
    resources = programme["resources"]

    if change == "pilot_status":
        proposal = PilotProject.objects.get(code="P-1")
        proposal.status, proposal.year_selected = "selected", 2028
        proposal.save()
    elif change == "scenario_deleted":
        Scenario.objects.get(code="S-1").delete()
    elif change == "service_platform_added":
        service_platform("sp-3", platform_b, 2027)
    elif change == "batch_published":
        with time_machine.travel(beijing(2028, 2, 1), tick=False):
            published_batch(None, [resources[3]], title="第四批")
    elif change == "entry_withdrawn":
        entry = Entry.objects.filter(resource=resources[2], status="listed").get()
        openness_services.entry_withdraw(actor=None, entry_id=entry.pk, reason="停止开放")
    elif change == "resource_regions":
        resources[0].regions.add("320000")
    elif change == "resource_type":
        resources[2].resource_type = "chip"
        resources[2].save()

    assert stats.progress_stats() != cached
    assert stats.progress_stats() == stats.compute_stats()


def test_a_change_is_invalidated_again_when_its_transaction_commits(
    programme, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pilot("P-8", "selected", 2028, "440000")
    stats.progress_stats()  # computed (and cached) while the change is not yet committed
    generation = cache.get(invalidation.GENERATION_KEY)

    for callback in callbacks:
        callback()

    assert cache.get(invalidation.GENERATION_KEY) != generation
