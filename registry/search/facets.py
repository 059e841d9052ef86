"""Facet counts over a result set: how many resources each value of a facet would give.

Every requested facet is counted in one query: the result set is a common table expression read
once (PostgreSQL materialises a CTE used more than once), and each facet is one ``GROUP BY`` over
it, joined by ``UNION ALL``. A search that matches a third of the catalogue is then run once,
not once per facet. Region counts follow the ``region`` filter: a nationwide resource counts in
every region.
"""

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from registry.attributes import TYPE_SPECS
from registry.choices import ACCESS_MODEL_NAMES
from registry.models import Resource
from registry.vocabularies import industries, regions

FACETS = ("type", "region", "platform", "industry", "access_model")
Labels = dict[str, tuple[str, str]]


def _labelled(counts: Iterable[tuple[str, int]], labels: Labels) -> list[dict[str, Any]]:
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


# One ``SELECT facet, value, name, name_en, count`` per facet over the CTE ``matched`` (the result
# set's id, resource_type, access_model, platform_id and nationwide). Region counts come with the
# number of nationwide resources, which count in every region. The tables are Django's own names
# for Platform and for Resource's regions and industries.
COUNTS_SQL = {
    "type": (
        "SELECT 'type', m.resource_type, CAST(NULL AS varchar(200)), CAST(NULL AS varchar(200)), "
        "COUNT(*) FROM matched m GROUP BY m.resource_type"
    ),
    "access_model": (
        "SELECT 'access_model', m.access_model, CAST(NULL AS varchar(200)), "
        "CAST(NULL AS varchar(200)), COUNT(*) FROM matched m GROUP BY m.access_model"
    ),
    "platform": (
        "SELECT 'platform', p.slug, p.name, p.name_en, c.count FROM "
        "(SELECT m.platform_id, COUNT(*) AS count FROM matched m GROUP BY m.platform_id) c "
        "JOIN registry_platform p ON p.id = c.platform_id"
    ),
    "region": (
        "SELECT 'region', r.region_id, CAST(NULL AS varchar(200)), CAST(NULL AS varchar(200)), "
        "COUNT(*) FROM matched m JOIN registry_resource_regions r ON r.resource_id = m.id "
        "GROUP BY r.region_id UNION ALL "
        "SELECT 'nationwide', '', CAST(NULL AS varchar(200)), CAST(NULL AS varchar(200)), "
        "COUNT(*) FROM matched m WHERE m.nationwide"
    ),
    "industry": (
        "SELECT 'industry', i.industry_id, CAST(NULL AS varchar(200)), "
        "CAST(NULL AS varchar(200)), COUNT(*) FROM matched m "
        "JOIN registry_resource_industries i ON i.resource_id = m.id GROUP BY i.industry_id"
    ),
}


def facet_counts(
    queryset: QuerySet[Resource], requested: Iterable[str]
) -> dict[str, list[dict[str, Any]]]:
    """Buckets (value, names, count; most first) of each requested facet over ``queryset``, all
    counted in one query."""
    facets = [facet for facet in FACETS if facet in set(requested)]
    if not facets:
        return {}
    matched = queryset.order_by().values(
        "id", "resource_type", "access_model", "platform_id", "nationwide"
    )
    sql, params = matched.query.sql_with_params()
    with connection.cursor() as cursor:
        counts_sql = " UNION ALL ".join(COUNTS_SQL[facet] for facet in facets)
        cursor.execute("WITH matched AS (" + sql + ") " + counts_sql, params)
        rows = cursor.fetchall()
    found: dict[str, list[tuple[str, str | None, str | None, int]]] = {}
    for facet, value, name, name_en, count in rows:
        found.setdefault(facet, []).append((value, name, name_en, count))
    counts: dict[str, list[dict[str, Any]]] = {}
    for facet in facets:
        rows_of = found.get(facet, [])
        if facet == "type":
            labels = {key: (spec.name, spec.name_en) for key, spec in TYPE_SPECS.items()}
        elif facet == "access_model":
            labels = ACCESS_MODEL_NAMES
        elif facet == "platform":
            labels = {value: (name or "", name_en or "") for value, name, name_en, _ in rows_of}
        else:
            vocabulary = regions() if facet == "region" else industries()
            labels = {term["code"]: (term["name"], term["name_en"]) for term in vocabulary}
        pairs = [(value, count) for value, _name, _name_en, count in rows_of]
        if facet == "region":
            nationwide = sum(count for *_, count in found.get("nationwide", []))
            per_region = dict.fromkeys(labels, nationwide)
            for value, count in pairs:
                per_region[value] = per_region.get(value, nationwide) + count
            pairs = list(per_region.items())
        counts[facet] = _labelled(pairs, labels)
    return counts
