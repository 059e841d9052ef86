"""Facet counts over a result set: how many resources each value of a facet would give."""

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Count, QuerySet

from registry.attributes import TYPE_SPECS
from registry.choices import ACCESS_MODEL_NAMES
from registry.models import Resource
from registry.vocabularies import industries, regions

FACETS = ("type", "region", "platform", "industry", "access_model")


# Facets ---------------------------------------------------------------------------------------


def _labelled(
    counts: Iterable[tuple[str, int]], labels: dict[str, tuple[str, str]]
) -> list[dict[str, Any]]:
    buckets = [
        {
            "value": value,
            "name": labels.get(value, (value, value))[0],
            "name_en": labels.get(value, (value, value))[1],
            "count": count,
        }
        for value, count in counts
        if count
    ]
    return sorted(buckets, key=lambda bucket: (-bucket["count"], bucket["value"]))


def _type_labels() -> dict[str, tuple[str, str]]:
    return {key: (spec.name, spec.name_en) for key, spec in TYPE_SPECS.items()}


def _grouped(queryset: QuerySet[Resource], field: str) -> list[tuple[str, int]]:
    rows = queryset.order_by().values(field).annotate(count=Count("pk", distinct=False))
    return [(row[field], row["count"]) for row in rows]


def facet_type(queryset: QuerySet[Resource]) -> list[dict[str, Any]]:
    return _labelled(_grouped(queryset, "resource_type"), _type_labels())


def facet_access_model(queryset: QuerySet[Resource]) -> list[dict[str, Any]]:
    return _labelled(_grouped(queryset, "access_model"), ACCESS_MODEL_NAMES)


def facet_platform(queryset: QuerySet[Resource]) -> list[dict[str, Any]]:
    rows = (
        queryset.order_by()
        .values("platform__slug", "platform__name", "platform__name_en")
        .annotate(count=Count("pk"))
    )
    labels = {
        row["platform__slug"]: (row["platform__name"], row["platform__name_en"]) for row in rows
    }
    return _labelled([(row["platform__slug"], row["count"]) for row in rows], labels)


def facet_region(queryset: QuerySet[Resource]) -> list[dict[str, Any]]:
    """Counts per region as the ``region`` filter counts: nationwide resources count everywhere."""
    through = Resource.regions.through
    ids = queryset.order_by().values("pk")
    explicit = (
        through.objects.filter(resource_id__in=ids).values("region_id").annotate(count=Count("pk"))
    )
    nationwide = queryset.order_by().filter(nationwide=True).count()
    counts = dict.fromkeys((term["code"] for term in regions()), nationwide)
    for row in explicit:
        counts[row["region_id"]] += row["count"]
    labels = {term["code"]: (term["name"], term["name_en"]) for term in regions()}
    return _labelled(counts.items(), labels)


def facet_industry(queryset: QuerySet[Resource]) -> list[dict[str, Any]]:
    through = Resource.industries.through
    rows = (
        through.objects.filter(resource_id__in=queryset.order_by().values("pk"))
        .values("industry_id")
        .annotate(count=Count("pk"))
    )
    labels = {term["code"]: (term["name"], term["name_en"]) for term in industries()}
    return _labelled([(row["industry_id"], row["count"]) for row in rows], labels)


FACET_COUNTERS: dict[str, Callable[[QuerySet[Resource]], list[dict[str, Any]]]] = {
    "type": facet_type,
    "region": facet_region,
    "platform": facet_platform,
    "industry": facet_industry,
    "access_model": facet_access_model,
}
