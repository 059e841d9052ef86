"""Progress toward the Action Plan's targets, and what the openness lists hold: ``/api/v1/stats/``
and the ``/progress/`` page both read ``progress_stats`` (docs/progress.md has the semantics).

The four targets (DESIGN §1) and how each is counted, per calendar year (in ``TIME_ZONE``):

| target | counts | its year |
|---|---|---|
| batches (3) | published batches | of ``published_at`` (when it came out, not its ``year``) |
| pilots (100) | pilots selected or later (``PILOT_COUNTED``) | ``year_selected`` |
| service platforms (10) | every service platform | ``launched_year`` |
| scenarios (60) | implementable scenarios | the year of ``implementable_at`` |

Only what has happened counts. The picture is taken *as of* a day (``as_of``): today without
``year`` (the registry's date: ``timezone.now()`` in ``TIME_ZONE``, so tests pin it with
``time-machine``), and with ``year=Y`` the last day of Y, or today while Y has not ended. A record
counts when its moment is before the end of that day (a batch's ``published_at``, a scenario's
``implementable_at``) or its year is not after that day's (``year_selected``, ``launched_year``):
a pilot recorded as selected next year has not been selected yet, and a record without its date
does not count. A year before 2026 counts into every cumulative number; the breakdowns by year
cover the plan years that have begun by then.

Beside each count stands the plan (``PLAN``: its cumulative numbers by year; DESIGN §1 sets only
those for the end of 2028) and a steady pace toward it (``pace``): 0 at the start of 2026, each
of the plan's numbers at the end of its year, a straight line between, rounded up. A target is on
track when its count has reached the pace as of the picture's day.

Listed resources are those with a listed entry in a batch published by the end of that day and
not withdrawn by then. They are counted by their current type, platform, regions and industries.
A resource available nationwide names no region: ``by_region`` counts it in every region (as the
``region`` filter and facet do: what is available there), ``by_region_own`` leaves it out (what
is a province's own, which the page ranks provinces by) and ``nationwide`` counts it apart.

Everything is computed in ``QUERIES`` queries whatever the amount of data, and cached per day.
Any change to what the numbers read (the pilots models, batches, entries, resources and their
regions and industries, platforms' names) calls ``invalidate`` through the signals
``connect_invalidation`` wires up at start-up (both in ``progress.invalidation``): the one place
that knows what the stats depend on.
"""

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from openness.choices import BatchStatus, EntryStatus
from openness.models import Batch, Entry
from pilots.choices import PILOT_COUNTED, PilotStatus, ScenarioMaturity
from pilots.models import PilotProject, Scenario, ServicePlatform
from progress.invalidation import generation
from registry.attributes import TYPE_SPECS
from registry.models import Resource
from registry.vocabularies import industries, regions

YEARS = (2026, 2027, 2028)
QUERIES = 7  # batches, pilots, service platforms, scenarios, and three for the listed resources
CACHE_SECONDS = 300  # a bound on staleness where processes do not share the cache (locmem)

# key: (name, English name, the plan's number)
TARGETS: dict[str, tuple[str, str, int]] = {
    "batches": ("发布平台开放清单", "Platform openness lists published", 3),
    "pilots": (
        "平台资源开放场景试点项目",
        "Pilot projects for open platform resource scenarios",
        100,
    ),
    "service_platforms": ("中小企业服务平台", "Service platforms for SMEs", 10),
    "scenarios": (
        "可落地的智能服务应用场景",
        "Implementable intelligent service application scenarios",
        60,
    ),
}
# key: the plan's cumulative numbers, by the year whose end they are due at. The plan (DESIGN §1)
# sets only the numbers for 2028; a number for an earlier year would be added here.
PLAN: dict[str, dict[int, int]] = {
    key: {YEARS[-1]: number} for key, (_, _, number) in TARGETS.items()
}
# Plain strings as keys: an enum member hashes by its name, not its value.
STATUS_NAMES: dict[str, tuple[str, str]] = {
    str(PilotStatus.PROPOSED): ("已申报", "Proposed"),
    str(PilotStatus.SELECTED): ("已入选", "Selected"),
    str(PilotStatus.IN_PROGRESS): ("实施中", "In progress"),
    str(PilotStatus.COMPLETED): ("已完成", "Completed"),
    str(PilotStatus.TERMINATED): ("已终止", "Terminated"),
}
COUNTED = [str(status) for status in PILOT_COUNTED]
Labels = Mapping[str, tuple[str, str]]
PilotRow = tuple[str, int | None, str, int]  # status, year selected, region, how many


# Reading ----------------------------------------------------------------------------------------


def progress_stats(*, year: int | None = None) -> dict[str, Any]:
    """The stats as ``/api/v1/stats/`` serves them: as of today, or as of the end of ``year``."""
    if year is not None and year not in YEARS:
        raise ValueError(f"year must be one of {YEARS}, got {year!r}")
    key = f"progress:stats:{generation()}:{year or 'all'}:{as_of(year).isoformat()}"
    stats = cache.get(key)
    if stats is None:
        stats = compute_stats(year=year)
        cache.set(key, stats, CACHE_SECONDS)
    return stats


def today() -> date:
    """The registry's date now, in ``TIME_ZONE``: the day the stats count to."""
    return timezone.now().astimezone(_zone()).date()


def as_of(year: int | None = None) -> date:
    """The last day the picture counts: today, or the last day of ``year`` once it has passed."""
    now = today()
    return now if year is None else min(date(year, 12, 31), now)


def compute_stats(*, year: int | None = None) -> dict[str, Any]:
    """The stats, read from the database in ``QUERIES`` queries (no cache)."""
    day = as_of(year)
    cutoff = _start_of(day + timedelta(days=1))
    pilot_rows = [
        row
        for row in PilotProject.objects.order_by()
        .values_list("status", "year_selected", "region_id")
        .annotate(n=Count("pk"))
        if _pilot_counts(row, day, year)
    ]
    counted = [row for row in pilot_rows if row[0] in COUNTED]
    by_year = {
        "batches": _batch_years(cutoff),
        "pilots": _sum_by_year((y, n) for _, y, _, n in counted),
        "service_platforms": _service_platform_years(day),
        "scenarios": _scenario_years(cutoff),
    }
    return {
        "year": year,
        "as_of": day.isoformat(),
        "years": [y for y in YEARS if y <= day.year],
        "targets": {key: target_progress(key, counts, day) for key, counts in by_year.items()},
        "listed_resources": _listed_resources(cutoff),
        "pilots": _pilots(pilot_rows, day),
    }


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _start_of(day: date) -> datetime:
    """The first moment of ``day`` in the registry's time zone."""
    return datetime.combine(day, time(), tzinfo=_zone())


def _end_of(year: int) -> datetime:
    """The first moment after ``year`` in the registry's time zone."""
    return _start_of(date(year + 1, 1, 1))


def _in_year(column: str) -> ExtractYear:
    return ExtractYear(column, tzinfo=_zone())


def _pilot_counts(row: PilotRow, day: date, year: int | None) -> bool:
    """Whether a pilot has been selected by ``day`` (its year selected is not after ``day``'s),
    or, in the picture of today, is a proposal (it has no year: left out of a year's picture)."""
    status, selected_in = row[0], row[1]
    if status in COUNTED:
        return selected_in is not None and selected_in <= day.year
    return year is None


def _sum_by_year(pairs: Iterable[tuple[int | None, int]]) -> Counter[int]:
    counts: Counter[int] = Counter()
    for y, n in pairs:
        if y is not None:
            counts[y] += n
    return counts


def _batch_years(cutoff: datetime) -> Counter[int]:
    rows = (
        Batch.objects.filter(status=BatchStatus.PUBLISHED, published_at__lt=cutoff)
        .order_by()
        .annotate(y=_in_year("published_at"))
        .values_list("y")
        .annotate(n=Count("pk"))
    )
    return _sum_by_year(rows)


def _service_platform_years(day: date) -> Counter[int]:
    rows = (
        ServicePlatform.objects.filter(launched_year__lte=day.year)
        .order_by()
        .values_list("launched_year")
        .annotate(n=Count("pk"))
    )
    return _sum_by_year(rows)


def _scenario_years(cutoff: datetime) -> Counter[int]:
    rows = (
        Scenario.objects.filter(
            maturity=ScenarioMaturity.IMPLEMENTABLE, implementable_at__lt=cutoff
        )
        .order_by()
        .annotate(y=_in_year("implementable_at"))
        .values_list("y")
        .annotate(n=Count("pk"))
    )
    return _sum_by_year(rows)


def pace(key: str, moment: datetime) -> int:
    """Where a steady pace toward the plan's numbers for ``key`` stands at ``moment``: 0 at the
    start of the plan, each of its numbers at the end of that number's year, a straight line in
    between (by time), rounded up to a whole count; the last number once the plan has ended."""
    points = [(_start_of(date(YEARS[0], 1, 1)), 0)]
    points += [(_end_of(y), number) for y, number in sorted(PLAN[key].items())]
    if moment <= points[0][0]:
        return 0
    second = timedelta(seconds=1)
    for (start, before), (end, after) in pairwise(points):
        if moment <= end:
            share = Fraction((moment - start) // second, (end - start) // second)
            return math.ceil(before + (after - before) * share)
    return points[-1][1]


def target_progress(key: str, by_year: Counter[int], day: date) -> dict[str, Any]:
    """A target's progress as of ``day``: the count, whether it is met, for each plan year begun
    by then what it added and the running total; and the plan beside it: the plan's numbers, the
    steady pace at the end of each plan year and as of ``day``, and whether the count keeps up."""
    name, name_en, target = TARGETS[key]
    years = [
        {
            "year": y,
            "count": by_year.get(y, 0),
            "cumulative": sum(n for other, n in by_year.items() if other <= y),
        }
        for y in YEARS
        if y <= day.year
    ]
    count = sum(by_year.values())
    expected = pace(key, _start_of(day + timedelta(days=1)))
    return {
        "name": name,
        "name_en": name_en,
        "target": target,
        "count": count,
        "met": count >= target,
        "percent": math.floor(count * 100 / target),
        "by_year": years,
        "plan": [{"year": y, "target": number} for y, number in sorted(PLAN[key].items())],
        "pace": [{"year": y, "expected": pace(key, _end_of(y))} for y in YEARS],
        "expected": expected,
        "on_track": count >= expected,
    }


def _buckets(counts: Mapping[str, int], labels: Labels, *, keep_zeros: bool = False) -> list[Any]:
    """``[{value, name, name_en, count}]``, most first (then by value), as the facets are."""
    buckets = [
        {
            "value": value,
            "name": labels.get(value, (value, value))[0],
            "name_en": labels.get(value, (value, value))[1],
            "count": count,
        }
        for value, count in counts.items()
        if count or keep_zeros
    ]
    return sorted(buckets, key=lambda bucket: (-bucket["count"], bucket["value"]))


def _region_labels() -> dict[str, tuple[str, str]]:
    return {term["code"]: (term["name"], term["name_en"]) for term in regions()}


def _industry_labels() -> dict[str, tuple[str, str]]:
    return {term["code"]: (term["name"], term["name_en"]) for term in industries()}


def _listed_entries(cutoff: datetime, resource: str) -> QuerySet[Entry]:
    """The entries that make the resource ``OuterRef(resource)`` listed just before ``cutoff``:
    in a batch published by then, and not withdrawn by then."""
    return Entry.objects.filter(
        Q(status=EntryStatus.LISTED) | Q(status=EntryStatus.WITHDRAWN, withdrawn_at__gte=cutoff),
        resource_id=OuterRef(resource),
        batch__status=BatchStatus.PUBLISHED,
        batch__published_at__lt=cutoff,
    )


def _listed_resources(cutoff: datetime) -> dict[str, Any]:
    listed = Resource.objects.filter(Exists(_listed_entries(cutoff, "pk"))).order_by()
    rows = listed.values_list(
        "resource_type", "platform__slug", "platform__name", "platform__name_en", "nationwide"
    ).annotate(n=Count("pk"))
    by_type: Counter[str] = Counter(dict.fromkeys(TYPE_SPECS, 0))
    by_platform: Counter[str] = Counter()
    platform_labels: dict[str, tuple[str, str]] = {}
    nationwide = 0
    for resource_type, slug, name, name_en, is_nationwide, n in rows:
        by_type[resource_type] += n
        by_platform[slug] += n
        platform_labels[slug] = (name, name_en)
        nationwide += n if is_nationwide else 0

    def linked(through: Any, column: str) -> Counter[str]:
        links = (
            through.objects.filter(Exists(_listed_entries(cutoff, "resource_id")))
            .order_by()
            .values_list(column)
            .annotate(n=Count("resource_id"))
        )
        return Counter(dict(links))

    region_labels = _region_labels()
    own = linked(Resource.regions.through, "region_id")  # a nationwide resource names no region
    available = Counter(own)
    for code in region_labels:  # nationwide resources are available in every region
        available[code] += nationwide
    type_labels = {key: (spec.name, spec.name_en) for key, spec in TYPE_SPECS.items()}
    return {
        "total": sum(by_type.values()),
        "nationwide": nationwide,
        "by_type": _buckets(by_type, type_labels, keep_zeros=True),
        "by_region": _buckets(available, region_labels),
        "by_region_own": _buckets(own, region_labels),
        "by_platform": _buckets(by_platform, platform_labels),
        "by_industry": _buckets(
            linked(Resource.industries.through, "industry_id"), _industry_labels()
        ),
    }


def _pilots(rows: list[PilotRow], day: date) -> dict[str, Any]:
    """Pilots by (current) status, by region and by year selected: those that count as of
    ``day`` (``_pilot_counts`` chose the rows)."""
    by_status: Counter[str] = Counter(dict.fromkeys(STATUS_NAMES, 0))
    by_region: Counter[str] = Counter()
    by_year: dict[int, Counter[str]] = {
        y: Counter(dict.fromkeys(COUNTED, 0)) for y in YEARS if y <= day.year
    }
    for status, selected_in, region, n in rows:
        by_status[status] += n
        if status in COUNTED:
            by_region[region] += n
            if selected_in in by_year:
                by_year[selected_in][status] += n
    counted_names = {status: STATUS_NAMES[status] for status in COUNTED}
    return {
        "total": sum(by_status.values()),
        "counted": sum(by_status[status] for status in COUNTED),
        "by_status": [
            {"value": status, "name": name, "name_en": name_en, "count": by_status[status]}
            for status, (name, name_en) in STATUS_NAMES.items()
        ],
        "by_region": _buckets(by_region, _region_labels()),
        "by_year": [
            {
                "year": y,
                "total": sum(counts.values()),
                "by_status": [
                    {"value": status, "name": name, "name_en": name_en, "count": counts[status]}
                    for status, (name, name_en) in counted_names.items()
                ],
            }
            for y, counts in by_year.items()
        ],
    }
