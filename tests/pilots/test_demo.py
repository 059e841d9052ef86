"""The demo programme ``seed_demo`` writes: a programme that met its targets, year by year."""

from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command

from openness.models import Entry
from pilots import demo, stats
from pilots.choices import PilotStatus
from pilots.models import PilotProject, Scenario, ServicePlatform
from registry.demo import platform_specs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def seed(**options: Any) -> str:
    out = StringIO()
    call_command("seed_demo", resources=150, no_progress=True, stdout=out, **options)
    return out.getvalue()


def rows() -> dict[str, Any]:
    return {
        "service_platforms": list(
            ServicePlatform.objects.values_list(
                "slug", "operator__slug", "launched_year", "nationwide", "services"
            )
        ),
        "service_platform_regions": sorted(
            ServicePlatform.regions.through.objects.values_list(
                "serviceplatform__slug", "region_id"
            )
        ),
        "scenarios": list(
            Scenario.objects.values_list(
                "code",
                "name",
                "name_en",
                "industry_id",
                "ai_capability",
                "maturity",
                "implementable_at",
            )
        ),
        "pilots": list(
            PilotProject.objects.values_list(
                "code",
                "name",
                "status",
                "year_selected",
                "region_id",
                "industry_id",
                "scenario__code",
                "service_platform__slug",
                "lead_platform__slug",
                "lead_sme_name",
                "lead_sme_credit_code",
                "participants",
                "milestones",
            )
        ),
        "pilot_resources": sorted(
            (code, str(rid))
            for code, rid in PilotProject.resources.through.objects.values_list(
                "pilotproject__code", "resource_id"
            )
        ),
    }


@pytest.fixture
def seeded() -> str:
    return seed()


def test_it_writes_enough_pilots_scenarios_and_service_platforms(seeded):
    assert "Pilots: 11 service platforms, 67 scenarios, 120 pilots created" in seeded

    pilots = PilotProject.objects.all()
    assert pilots.count() >= 110
    assert set(pilots.values_list("status", flat=True)) == set(PilotStatus.values)
    assert len(set(pilots.values_list("region_id", flat=True))) >= 20
    assert set(pilots.exclude(year_selected=None).values_list("year_selected", flat=True)) == {
        2026,
        2027,
        2028,
    }
    assert not pilots.filter(status=PilotStatus.PROPOSED).exclude(year_selected=None).exists()
    assert not pilots.exclude(status=PilotStatus.PROPOSED).filter(year_selected=None).exists()

    scenarios = Scenario.objects.all()
    implementable = scenarios.filter(maturity="implementable")
    assert scenarios.count() >= 65
    assert implementable.count() >= 60
    assert {s.implementable_at.year for s in implementable} == {2026, 2027, 2028}
    assert not scenarios.filter(maturity="candidate").exclude(implementable_at=None).exists()

    platforms = ServicePlatform.objects.all()
    assert platforms.count() >= 10
    assert set(platforms.values_list("launched_year", flat=True)) == {2026, 2027, 2028}
    demo_slugs = {spec.slug for spec in platform_specs()}
    assert set(platforms.values_list("operator__slug", flat=True)) <= demo_slugs


def test_every_object_it_writes_is_valid(seeded):
    for model in (ServicePlatform, Scenario, PilotProject):
        for obj in model.objects.all():
            obj.full_clean()


def test_every_pilot_uses_only_resources_listed_in_a_published_batch(seeded):
    listed = set(
        Entry.objects.filter(status="listed", batch__status="published").values_list(
            "resource_id", flat=True
        )
    )
    uses = PilotProject.resources.through.objects.values_list("pilotproject_id", "resource_id")

    assert listed
    assert {rid for _, rid in uses} <= listed
    per_pilot = Counter(pilot for pilot, _ in uses)
    assert set(per_pilot.values()) <= {1, 2, 3}
    assert len(per_pilot) == PilotProject.objects.count()


def test_the_demo_meets_its_targets_by_2028_but_only_the_lists_in_2026(seeded):
    now = stats.compute_stats()["targets"]
    at_2026 = stats.compute_stats(year=2026)["targets"]

    assert all(t["met"] for t in now.values())
    assert now["batches"]["count"] == 3
    assert {key: t["met"] for key, t in at_2026.items()} == {
        "batches": True,  # the three lists are out in 2026 (the third in December)
        "pilots": False,
        "service_platforms": False,
        "scenarios": False,
    }
    assert 0 < at_2026["pilots"]["count"] < now["pilots"]["count"]
    assert 0 < at_2026["scenarios"]["count"] < now["scenarios"]["count"]


def test_running_it_again_writes_nothing(seeded):
    before = rows()

    output = seed()

    assert "Pilots: 0 service platforms, 0 scenarios, 0 pilots created" in output
    assert rows() == before


def test_it_is_deterministic_and_writes_only_what_is_missing(seeded):
    before = rows()
    PilotProject.objects.filter(code__gt="PILOT-100").delete()
    Scenario.objects.filter(code__gt="SCN-060", pilots=None).delete()

    demo.seed_pilots()

    assert rows() == before


def test_it_takes_a_few_queries_whatever_it_writes(django_assert_max_num_queries):
    seed()
    PilotProject.objects.all().delete()
    Scenario.objects.all().delete()
    ServicePlatform.objects.all().delete()

    with django_assert_max_num_queries(20):
        demo.seed_pilots()

    assert PilotProject.objects.count() == 120


def test_no_batches_means_no_pilots_either():
    seed(no_batches=True)

    assert not PilotProject.objects.exists()
    assert not Scenario.objects.exists()
