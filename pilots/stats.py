"""Progress toward the Action Plan's targets, and what the openness lists hold: ``/api/v1/stats/``
and the ``/progress/`` page both read ``progress_stats`` (docs/progress.md has the semantics).

The four targets (DESIGN §1) and how each is counted, per calendar year (in ``TIME_ZONE``):

| target | counts | its year |
|---|---|---|
| batches (3) | published batches | of ``published_at`` (when it came out, not its ``year``) |
| pilots (100) | pilots selected or later (``PILOT_COUNTED``) | ``year_selected`` |
| service platforms (10) | every service platform | ``launched_year`` |
| scenarios (60) | implementable scenarios | the year of ``implementable_at`` |

Without ``year`` everything recorded counts; with ``year=Y`` the picture is the one at the end of
Y: what happened in Y or before (a year before 2026 counts into every cumulative number). Listed
resources are those with a listed entry in a published batch; at the end of Y, those listed in a
batch published by then and not withdrawn by then. They are counted by their current type, platform,
regions and industries; as the ``region`` filter and facet do, a nationwide resource counts in
every region.

Everything is computed in ``QUERIES`` queries whatever the amount of data, and cached. Any change
to what the numbers read (the pilots models, batches, entries, resources and their regions and
industries, platforms' names) calls ``invalidate`` through the signals ``connect_invalidation``
wires up at start-up: the one place that knows what the stats depend on.
"""

import math
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.db.models.signals import m2m_changed, post_delete, post_save

from openness.choices import BatchStatus, EntryStatus
from openness.models import Batch, Entry
from pilots.choices import PILOT_COUNTED, PilotStatus, ScenarioMaturity
from pilots.models import PilotProject, Scenario, ServicePlatform
from registry.attributes import TYPE_SPECS
from registry.models import Platform, Resource
from registry.vocabularies import industries, regions

YEARS = (2026, 2027, 2028)
QUERIES = 7  # batches, pilots, service platforms, scenarios, and three for the listed resources
CACHE_SECONDS = 300  # a bound on staleness where processes do not share the cache (locmem)
GENERATION_KEY = "pilots:stats:generation"

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


# Reading ----------------------------------------------------------------------------------------


def progress_stats(*, year: int | None = None) -> dict[str, Any]:
    """The stats as ``/api/v1/stats/`` serves them: overall, or as at the end of ``year``."""
    if year is not None and year not in YEARS:
        raise ValueError(f"year must be one of {YEARS}, got {year!r}")
    key = f"pilots:stats:{_generation()}:{year or 'all'}"
    stats = cache.get(key)
    if stats is None:
        stats = compute_stats(year=year)
        cache.set(key, stats, CACHE_SECONDS)
    return stats


def compute_stats(*, year: int | None = None) -> dict[str, Any]:
    """The stats, read from the database in ``QUERIES`` queries (no cache)."""
    pilot_rows = list(
        PilotProject.objects.order_by()
        .values_list("status", "year_selected", "region_id")
        .annotate(n=Count("pk"))
    )
    counted = [row for row in pilot_rows if row[0] in COUNTED]
    targets = {
        "batches": _target("batches", _batch_years(), year),
        "pilots": _target("pilots", _sum_by_year((y, n) for _, y, _, n in counted), year),
        "service_platforms": _target("service_platforms", _service_platform_years(), year),
        "scenarios": _target("scenarios", _scenario_years(), year),
    }
    return {
        "year": year,
        "years": [y for y in YEARS if year is None or y <= year],
        "targets": targets,
        "listed_resources": _listed_resources(year),
        "pilots": _pilots(pilot_rows, year),
    }


def _end_of(year: int) -> datetime:
    """The first moment after ``year`` in the registry's time zone."""
    return datetime(year + 1, 1, 1, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _in_year(column: str) -> ExtractYear:
    return ExtractYear(column, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _sum_by_year(pairs: Iterable[tuple[int | None, int]]) -> Counter[int | None]:
    counts: Counter[int | None] = Counter()
    for y, n in pairs:
        counts[y] += n
    return counts


def _batch_years() -> Counter[int | None]:
    rows = (
        Batch.objects.filter(status=BatchStatus.PUBLISHED)
        .order_by()
        .annotate(y=_in_year("published_at"))
        .values_list("y")
        .annotate(n=Count("pk"))
    )
    return _sum_by_year(rows)


def _service_platform_years() -> Counter[int | None]:
    rows = ServicePlatform.objects.order_by().values_list("launched_year").annotate(n=Count("pk"))
    return _sum_by_year(rows)


def _scenario_years() -> Counter[int | None]:
    rows = (
        Scenario.objects.filter(maturity=ScenarioMaturity.IMPLEMENTABLE)
        .order_by()
        .annotate(y=_in_year("implementable_at"))
        .values_list("y")
        .annotate(n=Count("pk"))
    )
    return _sum_by_year(rows)


def _target(key: str, by_year: Counter[int | None], year: int | None) -> dict[str, Any]:
    """A target's progress: the count (overall, or cumulative at the end of ``year``), whether it
    is met, and for each plan year up to ``year`` what that year added and the running total."""
    name, name_en, target = TARGETS[key]
    dated = {y: n for y, n in by_year.items() if y is not None}
    years = []
    for y in YEARS:
        if year is not None and y > year:
            break
        cumulative = sum(n for other, n in dated.items() if other <= y)
        years.append({"year": y, "count": dated.get(y, 0), "cumulative": cumulative})
    count = sum(by_year.values()) if year is None else sum(n for y, n in dated.items() if y <= year)
    return {
        "name": name,
        "name_en": name_en,
        "target": target,
        "count": count,
        "met": count >= target,
        "percent": math.floor(count * 100 / target),
        "by_year": years,
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


def _listed_entries(year: int | None, resource: str) -> QuerySet[Entry]:
    """The entries that make the resource ``OuterRef(resource)`` listed (at the end of ``year``)."""
    entries = Entry.objects.filter(
        resource_id=OuterRef(resource), batch__status=BatchStatus.PUBLISHED
    )
    if year is None:
        return entries.filter(status=EntryStatus.LISTED)
    end = _end_of(year)
    return entries.filter(batch__published_at__lt=end).filter(
        Q(status=EntryStatus.LISTED) | Q(status=EntryStatus.WITHDRAWN, withdrawn_at__gte=end)
    )


def _listed_resources(year: int | None) -> dict[str, Any]:
    listed = Resource.objects.filter(Exists(_listed_entries(year, "pk"))).order_by()
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
            through.objects.filter(Exists(_listed_entries(year, "resource_id")))
            .order_by()
            .values_list(column)
            .annotate(n=Count("resource_id"))
        )
        return Counter(dict(links))

    region_labels = _region_labels()
    by_region = linked(Resource.regions.through, "region_id")
    for code in region_labels:  # nationwide resources count in every region, as the facets do
        by_region[code] += nationwide
    type_labels = {key: (spec.name, spec.name_en) for key, spec in TYPE_SPECS.items()}
    return {
        "total": sum(by_type.values()),
        "nationwide": nationwide,
        "by_type": _buckets(by_type, type_labels, keep_zeros=True),
        "by_region": _buckets(by_region, region_labels),
        "by_platform": _buckets(by_platform, platform_labels),
        "by_industry": _buckets(
            linked(Resource.industries.through, "industry_id"), _industry_labels()
        ),
    }


def _pilots(rows: list[tuple[str, int | None, str, int]], year: int | None) -> dict[str, Any]:
    """Pilots by (current) status, by region and by year selected. At the end of ``year``: the
    pilots selected by then (a proposal has no year, so it is left out)."""
    if year is not None:
        rows = [row for row in rows if row[1] is not None and row[1] <= year]
    by_status: Counter[str] = Counter(dict.fromkeys(STATUS_NAMES, 0))
    by_region: Counter[str] = Counter()
    by_year: dict[int, Counter[str]] = {
        y: Counter(dict.fromkeys(COUNTED, 0)) for y in YEARS if year is None or y <= year
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


# Invalidation -----------------------------------------------------------------------------------


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY, generation)
    return str(generation)


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def invalidate() -> None:
    """Forget every cached stats: now (so the changing transaction reads its own writes) and
    again when it commits (so stats computed meanwhile from the old rows are not served)."""
    _new_generation()
    transaction.on_commit(_new_generation)


# What the stats read: a save or delete of any of these, or a change to these links, invalidates.
WATCHED_MODELS = (PilotProject, Scenario, ServicePlatform, Batch, Entry, Resource, Platform)
WATCHED_LINKS = (Resource.regions.through, Resource.industries.through)


def _changed(sender: Any, **kwargs: Any) -> None:
    if str(kwargs.get("action", "post_")).startswith("post_"):
        invalidate()


def connect_invalidation() -> None:
    """Wires ``invalidate`` to the changes the stats depend on (``PilotsConfig.ready``)."""
    for model in WATCHED_MODELS:
        uid = f"pilots.stats.{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}.delete")
    for through in WATCHED_LINKS:
        m2m_changed.connect(
            _changed, sender=through, dispatch_uid=f"pilots.stats.{through._meta.label_lower}"
        )
