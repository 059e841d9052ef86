"""The demo programme ``seed_demo`` writes: the programme as it stands on the demo's today (pinned
here), on its way to the targets: what has happened so far, and the pilots planned as proposals."""

from collections import Counter
from datetime import date, datetime
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command

from openness.models import Entry
from pilots import demo
from pilots.choices import PilotStatus
from pilots.models import PilotProject, Scenario, ServicePlatform
from progress import stats
from registry.demo import platform_specs

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)


@pytest.fixture(autouse=True)
def fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def seed(**options: Any) -> str:
    out = StringIO()
    call_command("seed_demo", resources=150, today=TODAY, no_progress=True, stdout=out, **options)
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


@pytest.fixture(scope="module")
def seeded(module_db) -> str:
    """The demo, written once for the module's tests (without batches:
    test_demo_without_batches.py)."""
    return module_db(seed)


def test_it_writes_the_programme_so_far_and_the_pilots_planned(seeded):
    assert "Pilots: 4 service platforms, 67 scenarios, 120 pilots created" in seeded

    pilots = PilotProject.objects.all()
    assert pilots.count() == 120
    assert set(pilots.values_list("status", flat=True)) == set(PilotStatus.values)
    assert len(set(pilots.values_list("region_id", flat=True))) >= 20
    selected = pilots.exclude(status=PilotStatus.PROPOSED)
    assert selected.count() == 34
    assert set(selected.values_list("year_selected", flat=True)) == {2026}
    assert not pilots.filter(status=PilotStatus.PROPOSED).exclude(year_selected=None).exists()
    for pilot in pilots.filter(status=PilotStatus.PROPOSED):  # planned: nothing done yet
        assert not any(milestone["done"] for milestone in pilot.milestones)
        assert min(milestone["date"] for milestone in pilot.milestones) > TODAY.isoformat()
    for pilot in pilots.filter(status=PilotStatus.COMPLETED):
        assert all(milestone["done"] for milestone in pilot.milestones)
        assert max(milestone["date"] for milestone in pilot.milestones) < TODAY.isoformat()

    scenarios = Scenario.objects.all()
    implementable = scenarios.filter(maturity="implementable")
    assert scenarios.count() == 67
    assert implementable.count() == 18
    assert {s.implementable_at.year for s in implementable} == {2026}
    assert not scenarios.filter(maturity="candidate").exclude(implementable_at=None).exists()

    platforms = ServicePlatform.objects.all()
    assert platforms.count() == 4  # launched so far; the other seven are planned
    assert set(platforms.values_list("launched_year", flat=True)) == {2026}
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


def test_on_its_today_the_demo_is_on_its_way_to_every_target_and_has_met_none(seeded):
    with time_machine.travel(datetime(2026, 12, 2, 12, tzinfo=ZoneInfo("Asia/Shanghai"))):
        targets = stats.compute_stats()["targets"]

    assert {key: (t["count"], t["met"]) for key, t in targets.items()} == {
        "batches": (2, False),  # the third is open
        "pilots": (34, False),
        "service_platforms": (4, False),
        "scenarios": (18, False),
    }


def test_running_it_again_writes_nothing(seeded):
    before = rows()

    output = seed()

    assert "Pilots: 0 service platforms, 0 scenarios, 0 pilots created" in output
    assert rows() == before


def test_it_is_deterministic_and_writes_only_what_is_missing(seeded):
    before = rows()
    PilotProject.objects.filter(code__gt="PILOT-100").delete()
    Scenario.objects.filter(code__gt="SCN-060", pilots=None).delete()

    demo.seed_pilots(today=TODAY)

    assert rows() == before


def test_it_takes_a_few_queries_whatever_it_writes(seeded, django_assert_max_num_queries):
    PilotProject.objects.all().delete()
    Scenario.objects.all().delete()
    ServicePlatform.objects.all().delete()

    with django_assert_max_num_queries(20):
        demo.seed_pilots(today=TODAY)

    assert PilotProject.objects.count() == 120
