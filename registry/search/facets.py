"""Facet counts over a result set: how many resources each value of a facet would give.

Every requested facet is counted in one query: the result set is a common table expression read
once (PostgreSQL materialises a CTE used more than once), and each facet is one ``GROUP BY`` over
it, joined by ``UNION ALL``. A search that matches a third of the catalogue is then run once,
not once per facet. Region counts follow the ``region`` filter: a nationwide resource counts in
every region.

On PostgreSQL each resource row carries its region codes (``region_codes``, kept by triggers:
migration 0007), the nationwide ones with the marker ``NATIONWIDE``; the ``region`` filter is an
overlap with that array, checked on the row, and the region facet unnests it, instead of reading
the regions table. The column is outside the model: ``RegionCodes`` reads it.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Expression, F, Field, QuerySet

from registry.attributes import TYPE_SPECS
from registry.choices import ACCESS_MODEL_NAMES
from registry.models import Resource
from registry.vocabularies import industries, regions

FACETS = ("type", "region", "platform", "industry", "access_model")
Labels = dict[str, tuple[str, str]]
# In ``region_codes``, the mark of a nationwide resource (not a GB/T 2260 code).
NATIONWIDE = "000000"


class RegionCodes(Expression):
    """The resource row's ``region_codes`` (PostgreSQL; outside the model, see migration 0007).

    Named through the resource's primary key, so that it follows the table's alias when the query
    becomes a subquery (a raw ``"registry_resource".region_codes`` would then name the outer row).
    """

    def __init__(self, key: Any = None) -> None:
        super().__init__(output_field=Field())
        self.key: Any = F("pk") if key is None else key

    def get_source_expressions(self) -> list[Any]:
        return [self.key]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.key,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        return f"{compiler.quote_name(self.key.alias)}.{compiler.quote_name('region_codes')}", []


class InRegions(Expression):
    """True when the resource is available in any of ``codes``, nationwide resources included: the
    overlap ``region_codes && ARRAY[codes…, NATIONWIDE]``, a test of the row itself (no subquery)
    while the list walks its ordered index."""

    output_field = BooleanField()

    def __init__(self, codes: Iterable[str], column: Any = None) -> None:
        super().__init__()
        self.codes = [*dict.fromkeys(codes), NATIONWIDE]
        self.column: Any = RegionCodes() if column is None else column

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.column,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        sql, params = compiler.compile(self.column)
        return f"{sql} && %s::varchar(6)[]", [*params, self.codes]


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
# On PostgreSQL the region facet unnests each matched row's codes (the CTE's ``region_codes``)
# instead of joining the regions table; the marker's count ('000000', NATIONWIDE) comes out as
# the nationwide one.
REGION_CODES_SQL = (
    "SELECT CASE WHEN c.code = '000000' THEN 'nationwide' ELSE 'region' END, "
    "CASE WHEN c.code = '000000' THEN '' ELSE c.code END, "
    "CAST(NULL AS varchar(200)), CAST(NULL AS varchar(200)), COUNT(*) "
    "FROM matched m CROSS JOIN LATERAL unnest(m.region_codes) AS c(code) GROUP BY c.code"
)


def facet_counts(
    queryset: QuerySet[Resource], requested: Iterable[str]
) -> dict[str, list[dict[str, Any]]]:
    """Buckets (value, names, count; most first) of each requested facet over ``queryset``, all
    counted in one query."""
    facets = [facet for facet in FACETS if facet in set(requested)]
    if not facets:
        return {}
    columns = ("id", "resource_type", "access_model", "platform_id", "nationwide")
    sqls = dict(COUNTS_SQL)
    if "region" in facets and connection.vendor == "postgresql":
        matched = queryset.order_by().values(*columns, region_codes=RegionCodes())
        sqls["region"] = REGION_CODES_SQL
    else:
        matched = queryset.order_by().values(*columns)
    sql, params = matched.query.sql_with_params()
    with connection.cursor() as cursor:
        counts_sql = " UNION ALL ".join(sqls[facet] for facet in facets)
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


# With ``q``: counted by the index -------------------------------------------------------------

# The index's field of each facet (``registry.search.index``).
INDEX_FIELDS = {
    "type": "resource_type",
    "region": "regions",
    "platform": "platform_slug",
    "industry": "industries",
    "access_model": "access_model",
}


def _labels(facet: str, values: Iterable[str]) -> Labels:
    from registry.models import Platform

    if facet == "type":
        return {key: (spec.name, spec.name_en) for key, spec in TYPE_SPECS.items()}
    if facet == "access_model":
        return ACCESS_MODEL_NAMES
    if facet == "platform":
        names = Platform.objects.filter(slug__in=list(values)).values_list(
            "slug", "name", "name_en"
        )
        return {slug: (name, name_en) for slug, name, name_en in names}
    vocabulary = regions() if facet == "region" else industries()
    return {term["code"]: (term["name"], term["name_en"]) for term in vocabulary}


def index_facet_counts(
    found: Any, requested: Iterable[str], chosen: dict[str, Any]
) -> dict[str, list[dict[str, Any]]]:
    """The facets of a search of the index (``engine.Search``), as ``facet_counts`` gives them:
    the facets whose filter is not ``chosen`` counted in one pass, each other one without its own
    filter."""
    facets = [facet for facet in FACETS if facet in set(requested)]
    shared = [INDEX_FIELDS[facet] for facet in facets if not chosen.get(facet)]
    counts = found.all_counts(shared) if shared else {}
    for facet in facets:
        name = INDEX_FIELDS[facet]
        if name not in counts:
            counts[name] = found.counts(name, found.filters.without(name))
    answer: dict[str, list[dict[str, Any]]] = {}
    for facet in facets:
        pairs = counts[INDEX_FIELDS[facet]]
        labels = _labels(facet, [value for value, _count in pairs])
        if facet == "region":
            nationwide = sum(count for value, count in pairs if value == NATIONWIDE)
            per_region = dict.fromkeys(labels, nationwide)
            for value, count in pairs:
                if value != NATIONWIDE:
                    per_region[value] = per_region.get(value, nationwide) + count
            pairs = list(per_region.items())
        answer[facet] = _labelled(pairs, labels)
    return {facet: answer[facet] for facet in requested if facet in answer}
