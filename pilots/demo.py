"""The demo programme behind ``manage.py seed_demo``: service platforms, scenarios and pilots.

After the demo catalogue and its openness lists exist, ``seed_pilots`` writes the programme as it
stands today, on its way to the plan's targets for 2028 (DESIGN §1). Its story is dated on the
reference calendar of ``registry.demo_timeline`` (on which today is 2 December 2026, so the
programme is eleven months old) and moved to the real today: what it dates before today has
happened, what comes later is a plan.

* 11 service platforms are planned, run by demo platforms; the 4 launched so far are written (the
  other 7 launch in the plan's later years: the model has no planned state, so they are not);
* 67 intelligent service application scenarios (each a theme in an industry, with its AI
  capability): 18 found implementable on past dates, 49 candidates;
* 120 pilot projects in many provinces, in rounds: the two rounds selected so far (after batch 1's
  publication and after batch 2's) have 34 pilots, now selected, in progress, completed or
  terminated, with their milestones done before today and those still to come after it; the 74
  pilots of the four rounds planned for the later years and 12 more proposals are proposed, with
  only planned milestones, and no year selected. A selected pilot uses one to three resources
  listed in the batches published before its round (a proposal, any listed resource; none when
  nothing is listed), and is led by a demo platform or by an SME with its credit code.

Deterministic for a given today: everything is drawn from ``random.Random(SEED)`` in a fixed
order, and the listed resources are taken in batch and sequence order. Idempotent: objects are
keyed by slug or code, and only the missing ones are written (a second run writes nothing).
Written with ``bulk_create`` in one transaction, a few queries in all: the demo has no change
history (the services write one when curators change these objects).
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import transaction

from openness.choices import BatchStatus, EntryStatus
from openness.models import Entry
from pilots import signals
from pilots.choices import AICapability, PilotStatus, ScenarioMaturity
from pilots.demo_data import (
    IMPLEMENTABLE,
    INDUSTRY_SHORT,
    MILESTONES,
    REGION_SUFFIXES,
    REGION_WEIGHTS,
    ROUNDS,
    SCENARIOS,
    SERVICE_PLATFORMS,
    SME_CORES,
    SME_TRADES,
    TERMINATION_REASONS,
    THEMES,
    UNSCHEDULED,
)
from pilots.models import PilotProject, Scenario, ServicePlatform
from registry.demo_timeline import BEIJING, REFERENCE_TODAY, Timeline
from registry.models import Platform
from registry.validators import CREDIT_CODE_ALPHABET, credit_code_check_character
from registry.vocabularies import regions

SEED = 2028


@dataclass
class SeededPilots:
    """What ``seed_pilots`` wrote, for the command's report."""

    service_platforms: int = 0
    scenarios: int = 0
    pilots: int = 0

    def describe(self) -> str:
        return (
            f"{self.service_platforms} service platforms, {self.scenarios} scenarios, "
            f"{self.pilots} pilots created"
        )


def at(year: int, day_of_year: int) -> datetime:
    """Ten in the morning, Beijing time, on a day of ``year`` of the reference calendar (as UTC)."""
    return datetime(year, 1, 1, 2, tzinfo=UTC) + timedelta(days=day_of_year - 1)


def noon(day: date) -> datetime:
    """Noon, Beijing time, on a day of the reference calendar (as UTC)."""
    return datetime.combine(day, time(12), tzinfo=BEIJING).astimezone(UTC)


def _short_region(name: str) -> str:
    for suffix in REGION_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name.removesuffix(suffix)
    return name


def _credit_code(rng: random.Random, region: str) -> str:
    organisation = "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(9))
    first17 = f"91{region[:2]}0100{organisation}"
    return first17 + credit_code_check_character(first17)


def _sme(rng: random.Random, region: str, region_name: str) -> dict[str, str]:
    name = f"{_short_region(region_name)}{rng.choice(SME_CORES)}{rng.choice(SME_TRADES)}有限公司"
    return {"name": name, "credit_code": _credit_code(rng, region)}


def seed_pilots(*, today: date) -> SeededPilots:
    """Writes what is missing of the demo programme as it stands on ``today``; returns how many of
    each were created."""
    seeded = SeededPilots()
    timeline = Timeline(today)
    platforms = dict(Platform.objects.values_list("slug", "pk"))
    with transaction.atomic():
        seeded.service_platforms = _seed_service_platforms(platforms, timeline)
        seeded.scenarios = _seed_scenarios(timeline)
        seeded.pilots = _seed_pilots(platforms, timeline)
    if seeded.service_platforms or seeded.scenarios or seeded.pilots:
        signals.bulk_written.send(sender=seed_pilots)  # bulk writes send no model signals
    return seeded


def _launched() -> list[tuple[str, str, str, str, list[str], date, str]]:
    """The service platforms launched before the reference today (the others are the plan)."""
    return [row for row in SERVICE_PLATFORMS if row[5] < REFERENCE_TODAY]


def _seed_service_platforms(platforms: dict[str, int], timeline: Timeline) -> int:
    present = set(ServicePlatform.objects.values_list("slug", flat=True))
    rows = [row for row in _launched() if row[0] not in present and row[1] in platforms]
    created = ServicePlatform.objects.bulk_create(
        [
            ServicePlatform(
                slug=slug,
                name=name,
                name_en=name_en,
                operator_id=platforms[operator],
                services=services,
                description=f"{name}面向中小企业提供{'、'.join(services)}等服务。",
                nationwide=not served,
                launched_year=timeline.year(noon(launched)),
            )
            for slug, operator, name, name_en, services, launched, served in rows
        ]
    )
    ids = dict(
        ServicePlatform.objects.filter(slug__in=[sp.slug for sp in created]).values_list(
            "slug", "pk"
        )
    )
    link = ServicePlatform.regions.through
    link.objects.bulk_create(
        [
            link(serviceplatform_id=ids[slug], region_id=code)
            for slug, *_, served in rows
            for code in served.split(",")
            if served
        ]
    )
    return len(created)


def scenario_specs() -> list[tuple[str, str, str, str]]:
    """``(code, theme, industry, capability)`` of the demo scenarios: the themes in turn, each in
    its next industry, so the first scenarios cover every theme."""
    specs: list[tuple[str, str, str, str]] = []
    for round_ in range(max(len(industries) for *_, industries in THEMES)):
        for theme, _theme_en, capability, industries in THEMES:
            if round_ < len(industries):
                code = f"SCN-{len(specs) + 1:03d}"
                specs.append((code, theme, industries[round_], str(capability)))
    return specs[:SCENARIOS]


def _seed_scenarios(timeline: Timeline) -> int:
    rng = random.Random(f"{SEED}-scenarios")
    english = {theme: theme_en for theme, theme_en, *_ in THEMES}
    capability_names = dict(AICapability.choices)
    present = set(Scenario.objects.values_list("code", flat=True))
    scenarios = []
    for index, (code, theme, industry, capability) in enumerate(scenario_specs()):
        short, short_en = INDUSTRY_SHORT[industry]
        day = rng.randint(20, 320)  # by 16 November of the reference year: before today
        implementable = index < IMPLEMENTABLE
        scenarios.append(
            Scenario(
                code=code,
                name=f"{short}{theme}",
                name_en=f"{english[theme]} in {short_en}",
                description=(
                    f"面向{short}领域中小企业的{theme}场景：依托平台开放的算力、数据和模型资源，"
                    f"以较低成本完成部署（{capability_names[capability]}）。"
                ),
                industry_id=industry,
                ai_capability=capability,
                maturity=ScenarioMaturity.IMPLEMENTABLE
                if implementable
                else ScenarioMaturity.CANDIDATE,
                implementable_at=timeline.moment(at(2026, day)) if implementable else None,
            )
        )
    missing = [scenario for scenario in scenarios if scenario.code not in present]
    Scenario.objects.bulk_create(missing)
    return len(missing)


def _listed_resources() -> list[tuple[Any, int, datetime]]:
    """``(resource id, platform id, when its batch was published)`` of the resources listed in
    published batches, in batch and sequence order, each once (at its first listing)."""
    rows = (
        Entry.objects.filter(status=EntryStatus.LISTED, batch__status=BatchStatus.PUBLISHED)
        .order_by("batch__number", "sequence")
        .values_list("resource_id", "resource__platform_id", "batch__published_at")
    )
    first: dict[Any, tuple[int, datetime]] = {}
    for resource_id, platform_id, published_at in rows:
        if published_at is not None:  # always, in a published batch
            first.setdefault(resource_id, (platform_id, published_at))
    return [(rid, platform_id, published) for rid, (platform_id, published) in first.items()]


def _statuses() -> list[tuple[str, date | None]]:
    """``(status, the day of its round)`` of every demo pilot, in code order: the rounds' pilots
    in turn, then the proposals no round has taken up (``None``)."""
    plan: list[tuple[str, date | None]] = []
    for day, counts in ROUNDS:
        plan += [(str(status), day) for status, n in counts.items() for _ in range(n)]
    return plan + [(str(PilotStatus.PROPOSED), None)] * UNSCHEDULED


def _milestones(
    rng: random.Random, status: str, round_day: date | None, timeline: Timeline
) -> list[dict[str, Any]]:
    """The four milestones, planned from the round's day (reference calendar, then moved to
    today): those done lie before today, those still to come after it (one overdue is planned
    again, a fortnight apart); a terminated pilot's undone ones were due before it stopped."""
    begin = round_day or REFERENCE_TODAY + timedelta(days=rng.randint(60, 150))
    start = begin + timedelta(days=rng.randint(7, 20))
    step = timedelta(days=rng.randint(25, 40))
    planned = [start + step * position for position in range(len(MILESTONES))]
    due = sum(day < REFERENCE_TODAY for day in planned)
    done = {
        PilotStatus.PROPOSED: 0,
        PilotStatus.SELECTED: 0,
        PilotStatus.IN_PROGRESS: min(rng.randint(1, 3), due),
        PilotStatus.COMPLETED: len(MILESTONES),
        PilotStatus.TERMINATED: min(rng.randint(1, 2), due),
    }[PilotStatus(status)]
    milestones, later = [], 0
    for step_number, (title, day) in enumerate(zip(MILESTONES, planned, strict=True)):
        if step_number >= done and status != PilotStatus.TERMINATED and day < REFERENCE_TODAY:
            later += 1
            day = REFERENCE_TODAY + timedelta(days=14 * later)
        milestones.append(
            {"title": title, "date": timeline.day(day).isoformat(), "done": step_number < done}
        )
    return milestones


def _seed_pilots(platforms: dict[str, int], timeline: Timeline) -> int:
    """Builds every demo pilot (so the draws are the same whatever exists), writes the missing."""
    rng = random.Random(f"{SEED}-pilots")
    scenarios = list(
        Scenario.objects.filter(code__startswith="SCN-")
        .order_by("code")
        .values_list("pk", "name", "name_en", "industry_id")
    )
    launch_days = {row[0]: row[5] for row in _launched()}
    service_platforms = list(
        ServicePlatform.objects.filter(slug__in=list(launch_days))
        .order_by("slug")
        .values_list("pk", "slug")
    )
    listed = _listed_resources()
    names = {term["code"]: (term["name"], term["name_en"]) for term in regions()}
    mainland = [code for code in names if code < "710000"]
    weights = [REGION_WEIGHTS.get(code, 1) for code in mainland]
    websites = dict(Platform.objects.filter(pk__in=platforms.values()).values_list("pk", "website"))

    pilots: list[PilotProject] = []
    uses: dict[str, list[Any]] = {}
    for index, (status, round_day) in enumerate(_statuses()):
        code = f"PILOT-{index + 1:03d}"
        region = rng.choices(mainland, weights)[0]
        region_name, region_en = names[region]
        scenario_id, scenario, scenario_en, industry = (
            rng.choice(scenarios) if scenarios else (None, "智能服务", "Intelligent services", "C")
        )
        # A selected pilot uses what existed when its round selected it; a proposal, what exists.
        selected = round_day if status != PilotStatus.PROPOSED else None
        launched = [
            sp for sp, slug in service_platforms if selected is None or launch_days[slug] < selected
        ]
        service_platform = rng.choice(launched) if launched and rng.random() < 0.7 else None
        selected_at = timeline.moment(noon(selected)) if selected else None
        usable = [
            (rid, platform)
            for rid, platform, published_at in listed
            if selected_at is None or published_at < selected_at
        ]
        resources = rng.sample(usable, k=min(len(usable), rng.randint(1, 3)))
        lead_platform = resources[0][1] if resources and rng.random() < 0.5 else None
        lead = _sme(rng, region, region_name)
        participants = [_sme(rng, region, region_name) for _ in range(rng.randint(1, 3))]
        pilot = PilotProject(
            code=code,
            name=f"{_short_region(region_name)}{scenario}试点",
            name_en=f"{scenario_en} pilot in {region_en}",
            summary=(
                f"由{'平台企业' if lead_platform else '中小企业'}牵头，联合 {len(participants)} "
                f"家中小企业，使用清单内 {len(resources)} 项开放资源开展{scenario}试点。"
            ),
            lead_platform_id=lead_platform,
            lead_sme_name="" if lead_platform else lead["name"],
            lead_sme_credit_code="" if lead_platform else lead["credit_code"],
            participants=participants,
            scenario_id=scenario_id,
            service_platform_id=service_platform,
            region_id=region,
            industry_id=industry,
            status=status,
            year_selected=timeline.year(noon(selected)) if selected else None,
            milestones=_milestones(rng, status, round_day, timeline),
        )
        if status == PilotStatus.COMPLETED:
            pilot.outcomes = (
                f"试点企业平均生产效率提升 {rng.randint(8, 35)}%，运营成本降低 "
                f"{rng.randint(5, 25)}%，形成可复制推广方案 1 套。"
            )
            website = websites.get(lead_platform) if lead_platform else None
            pilot.evidence_links = [f"{website or 'https://www.miit.gov.cn'}/cases/{code.lower()}"]
        if status == PilotStatus.TERMINATED:
            pilot.termination_reason = rng.choice(TERMINATION_REASONS)
        pilots.append(pilot)
        uses[code] = [resource_id for resource_id, _platform in resources]

    present = set(PilotProject.objects.values_list("code", flat=True))
    missing = [pilot for pilot in pilots if pilot.code not in present]
    PilotProject.objects.bulk_create(missing)
    ids = dict(
        PilotProject.objects.filter(code__in=[p.code for p in missing]).values_list("code", "pk")
    )
    link = PilotProject.resources.through
    link.objects.bulk_create(
        [link(pilotproject_id=ids[code], resource_id=rid) for code in ids for rid in uses[code]]
    )
    return len(missing)
