"""Resources as the API shows them, built from rows instead of model instances and serializers.

Reading resources is the registry's hot path: every portal and integrator polls the lists. Making
a model instance for each resource and each related row, then walking ``ResourceSerializer``'s
fields for each, cost about 18 ms of CPU for a page of 20 (profiled), where fetching the same rows
costs well under one. Here the page is fetched as ``.values()`` rows and its related rows as
tuples, one statement each (the same statements as the serializer's prefetches), and each
representation is a plain dict.

``ResourceSerializer`` stays the reference: it documents the shape in the OpenAPI schema, and its
list serializer (``ResourceRowsSerializer``) represents rows through ``represent_resources``; a
test holds these representations equal to the serializer's own for resources with every kind of
related row.
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from rest_framework.request import Request

from openness.selectors import public_listing_rows_sql
from pilots.selectors import pilot_brief_rows_sql
from registry.choices import ELIGIBILITY_COLUMNS
from registry.field_lists import RESOURCE_AUDITED
from registry.models import Resource

# The resource's own columns: its id, what its writers may set (but its platform, shown from the
# platform's columns), then what the server keeps.
COLUMNS = (
    "id",
    *(field for field in RESOURCE_AUDITED if field != "platform"),
    "version",
    "listed_at",
    "created_at",
    "updated_at",
)
PLATFORM_COLUMNS = {
    "platform__slug": "slug",
    "platform__name": "name",
    "platform__name_en": "name_en",
    "platform__verified": "verified",
}


def resource_rows(queryset: QuerySet[Resource]) -> QuerySet[Any]:
    """``queryset`` as rows holding what a representation needs, and whatever it is ordered by
    (the paginator's cursors carry those values)."""
    ordering = [str(name).lstrip("-") for name in queryset.query.order_by]
    extra = [name for name in ordering if name not in COLUMNS and name != "pk"]
    return queryset.values(*COLUMNS, *PLATFORM_COLUMNS, *extra)


class UrlPrefix:
    """Absolute URLs of one kind of object, made by reversing once per request, not per row."""

    MARK = "00000000-0000-0000-0000-000000000000"

    def __init__(self, request: Request, view_name: str, kwarg: str) -> None:
        url = request.build_absolute_uri(reverse(view_name, kwargs={kwarg: self.MARK}))
        self.before, self.after = url.split(self.MARK)

    def __call__(self, key: object) -> str:
        return f"{self.before}{key}{self.after}"


def represent_resources(rows: list[dict[str, Any]], request: Request) -> list[dict[str, Any]]:
    """The representations of ``rows`` (from ``resource_rows``), in their order."""
    if not rows:
        return []
    related = _Related([row["id"] for row in rows])
    tags = related.fetch(TAGS, lambda name: name)
    regions = related.fetch(REGIONS, lambda code: code)
    industries = related.fetch(INDUSTRIES, lambda code: code)
    entry_url = UrlPrefix(request, "api:entry-detail", "pk")
    listings = related.fetch(
        public_listing_rows_sql(),
        lambda pk, number, sequence, status: {
            "batch": number,
            "sequence": sequence,
            "citation": f"batch-{number}/{sequence}" if sequence is not None else "",
            "status": status,
            "url": entry_url(pk),
        },
    )
    pilot_url = UrlPrefix(request, "api:pilot-detail", "code")
    pilots = related.fetch(
        pilot_brief_rows_sql(),
        lambda code, name, name_en, status: {
            "code": code,
            "name": name,
            "name_en": name_en,
            "status": status,
            "url": pilot_url(code),
        },
    )
    resource_url = UrlPrefix(request, "api:resource-detail", "pk")
    platform_url = UrlPrefix(request, "api:platform-detail", "slug")
    zone = timezone.get_current_timezone()
    representations = []
    for row in rows:
        key = related.key(row["id"])
        platform = {name: row[column] for column, name in PLATFORM_COLUMNS.items()}
        platform["url"] = platform_url(platform["slug"])
        representations.append(
            {
                "id": str(row["id"]),
                "url": resource_url(row["id"]),
                "platform": platform,
                "resource_type": row["resource_type"],
                "name": row["name"],
                "name_en": row["name_en"],
                "summary": row["summary"],
                "summary_en": row["summary_en"],
                "description": row["description"],
                "description_en": row["description_en"],
                "tags": tags.get(key, []),
                "industries": industries.get(key, []),
                "regions": regions.get(key, []),
                "nationwide": row["nationwide"],
                "access_model": row["access_model"],
                "sme_terms": {
                    "free_quota": row["sme_free_quota"],
                    "discount": row["sme_discount"],
                    "eligible_sizes": [size for column, size in ELIGIBILITY_COLUMNS if row[column]],
                    "conditions": row["sme_conditions"],
                },
                "application_url": row["application_url"] or None,
                "documentation_url": row["documentation_url"] or None,
                "api_endpoint": row["api_endpoint"] or None,
                "contact": row["contact"],
                "attributes": row["attributes"],
                "status": row["status"],
                "version": row["version"],
                "listings": listings.get(key, []),
                "pilots": pilots.get(key, []),
                "listed_at": _datetime(row["listed_at"], zone) if row["listed_at"] else None,
                "created_at": _datetime(row["created_at"], zone),
                "updated_at": _datetime(row["updated_at"], zone),
            }
        )
    return representations


def _datetime(value: datetime, zone: tzinfo) -> str:
    """As ``DateTimeField`` shows it: in the current time zone, ISO 8601, UTC as ``Z``."""
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


# The related rows of a page: one statement each, as the serializer's prefetches were, written
# in SQL because building the equivalent querysets cost more CPU than everything else in the
# request (profiled). Each selects the resource's id, then what the representation shows, in the
# order the related model's ``Meta.ordering`` gives; ``{in_page}`` selects the page's resources.
# The listings' and the pilots' statements are their apps' (their selectors), which own those
# tables; tests/registry/test_resource_rows.py holds the result to the serializer's.
TAGS = (
    "SELECT link.resource_id, tag.name FROM registry_resource_tags link "
    "JOIN registry_tag tag ON tag.id = link.tag_id "
    "WHERE link.resource_id {in_page} ORDER BY tag.name"
)
REGIONS = (
    "SELECT resource_id, region_id FROM registry_resource_regions "
    "WHERE resource_id {in_page} ORDER BY region_id"
)
INDUSTRIES = (
    "SELECT resource_id, industry_id FROM registry_resource_industries "
    "WHERE resource_id {in_page} ORDER BY industry_id"
)


class _Related:
    """Fetches the related rows of a page of resources, grouped by resource."""

    def __init__(self, ids: list[Any]) -> None:
        self.field = Resource._meta.pk
        if connection.vendor == "postgresql":
            # One text parameter rather than one per id: quoting each id cost more than running
            # the statement (profiled).
            self.in_page = "= ANY(string_to_array(%s, ',')::uuid[])"
            self.params = [",".join(str(pk) for pk in ids)]
        else:
            self.in_page = f"IN ({', '.join(['%s'] * len(ids))})"
            self.params = [self.key(pk) for pk in ids]

    def key(self, pk: Any) -> Any:
        """The id as the database gives it back (a UUID, or its hex on SQLite)."""
        return self.field.get_db_prep_value(pk, connection)

    def fetch(self, sql: str, represent: Callable[..., Any]) -> dict[Any, list[Any]]:
        grouped: dict[Any, list[Any]] = defaultdict(list)
        with connection.cursor() as cursor:
            cursor.execute(sql.format(in_page=self.in_page), self.params)
            for resource_id, *values in cursor.fetchall():
                grouped[resource_id].append(represent(*values))
        return grouped
