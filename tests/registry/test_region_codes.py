"""The region codes of each resource row (issue 14).

On PostgreSQL ``registry_resource.region_codes`` holds the resource's region codes and, when it is
nationwide, ``'000000'``; triggers keep it current whatever writes the regions, the ``region``
filter overlaps it on the row and the region facet unnests it. On SQLite the filter and
the facet read the regions table, as before. The tests of outcomes run on both databases, those of
the column and of the plans on PostgreSQL only.
"""

import uuid
from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from registry import services
from registry.filtersets import ResourceFilterSet
from registry.models import Resource
from registry.search import facet_counts
from registry.search.facets import NATIONWIDE
from registry.vocabularies import regions
from tests.factories import (
    VALID_ATTRIBUTES,
    PlatformFactory,
    ResourceFactory,
    UserFactory,
    bulk_resources,
)

pytestmark = pytest.mark.django_db


def postgresql(test: Any) -> Any:
    """Marks a test of the PostgreSQL column or plans: skipped on SQLite."""
    skip = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
    return pytest.mark.postgres(skip(test))


def codes(resource: Any) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT region_codes FROM registry_resource WHERE id = %s", [resource.pk])
        return sorted(cursor.fetchone()[0])


def regions_of(resource: Any) -> list[str]:
    """What the column should hold: the resource's regions, and the marker when nationwide."""
    listed = Resource.regions.through.objects.filter(resource_id=resource.pk)
    held = sorted(listed.values_list("region_id", flat=True))
    nationwide = Resource.objects.values_list("nationwide", flat=True).get(pk=resource.pk)
    return sorted([*held, NATIONWIDE] if nationwide else held)


def every_row_is_current() -> bool:
    return all(codes(resource) == regions_of(resource) for resource in Resource.objects.all())


def filtered(query: str, queryset: Any = None) -> set[str]:
    filterset = ResourceFilterSet(
        data=QueryDict(query), queryset=queryset if queryset is not None else Resource.objects
    )
    return {str(pk) for pk in filterset.matching().values_list("pk", flat=True)}


def filtered_as_before(codes: list[str]) -> set[str]:
    """The ``region`` filter as it was written before issue 14 (and still is on SQLite)."""
    listed = Resource.regions.through.objects.filter(
        resource_id=OuterRef("pk"), region_id__in=codes
    )
    matched = Resource.objects.filter(status="active").filter(Q(nationwide=True) | Exists(listed))
    return {str(pk) for pk in matched.values_list("pk", flat=True)}


def region_facet_as_before(queryset: Any) -> dict[str, int]:
    """The region facet as it was counted before issue 14: each regions row of a matched resource,
    plus every nationwide resource in every region."""
    matched = list(queryset.values_list("pk", "nationwide"))
    ids = [pk for pk, _ in matched]
    nationwide = sum(1 for _, is_nationwide in matched if is_nationwide)
    rows = Resource.regions.through.objects.filter(resource_id__in=ids)
    listed = Counter(rows.values_list("region_id", flat=True))
    counts = {term["code"]: nationwide + listed.get(term["code"], 0) for term in regions()}
    return {code: count for code, count in counts.items() if count}


@pytest.fixture
def catalogue(platform_a, platform_b) -> None:
    ResourceFactory(platform=platform_a, regions=["440000"])
    ResourceFactory(platform=platform_a, regions=["440000", "110000"])
    ResourceFactory(platform=platform_a, resource_type="data", regions=["110000"])
    ResourceFactory(platform=platform_b, nationwide=True)
    ResourceFactory(platform=platform_b, resource_type="chip", regions=["650000", "310000"])
    ResourceFactory(platform=platform_b, regions=[], status="draft")
    ResourceFactory(platform=platform_b, nationwide=True, status="withdrawn")
    # Inconsistent (the services clear a nationwide resource's regions) but possible below them.
    ResourceFactory(platform=platform_b, nationwide=True, regions=["440000"])


# The column follows every write -----------------------------------------------------------------


@postgresql
def test_a_factory_resource_holds_the_codes_of_its_regions():
    assert codes(ResourceFactory(regions=["440000", "110000"])) == ["110000", "440000"]
    assert codes(ResourceFactory()) == ["440000"]
    assert codes(ResourceFactory(regions=[])) == []


@postgresql
def test_a_nationwide_resource_holds_the_nationwide_marker():
    assert codes(ResourceFactory(nationwide=True)) == [NATIONWIDE]
    assert codes(ResourceFactory(nationwide=True, regions=["440000"])) == [NATIONWIDE, "440000"]


@postgresql
def test_adding_removing_and_clearing_regions_changes_the_codes():
    resource = ResourceFactory(regions=["440000"])
    resource.regions.add("110000", "310000")
    assert codes(resource) == ["110000", "310000", "440000"]
    resource.regions.remove("440000")
    assert codes(resource) == ["110000", "310000"]
    resource.regions.set(["650000"])
    assert codes(resource) == ["650000"]
    resource.regions.clear()
    assert codes(resource) == []


@postgresql
def test_becoming_nationwide_and_back_adds_and_removes_the_marker():
    resource = ResourceFactory(regions=["440000"])
    resource.nationwide = True
    resource.save()
    assert codes(resource) == [NATIONWIDE, "440000"]
    Resource.objects.filter(pk=resource.pk).update(nationwide=False)
    assert codes(resource) == ["440000"]
    resource.refresh_from_db()
    resource.save()  # saving an unchanged nationwide flag keeps the codes
    assert codes(resource) == ["440000"]


@postgresql
def test_the_services_keep_the_codes_of_what_they_create_and_update(platform_a):
    actor = UserFactory()
    data = {
        "resource_type": "compute",
        "name": "新资源",
        "access_model": "free_quota",
        "attributes": VALID_ATTRIBUTES["compute"],
        "regions": ["440000", "110000"],
    }
    resource = services.resource_create(actor=actor, platform=platform_a, data=data)
    assert codes(resource) == ["110000", "440000"]
    services.resource_update(
        actor=actor, resource_id=resource.pk, data={"nationwide": True}, if_match=None
    )
    assert codes(resource) == [NATIONWIDE]  # becoming nationwide clears the regions
    services.resource_update(
        actor=actor,
        resource_id=resource.pk,
        data={"nationwide": False, "regions": ["310000"]},
        if_match=None,
    )
    assert codes(resource) == ["310000"]


@postgresql
def test_a_curator_changing_the_regions_in_the_admin_changes_the_codes(client, curator):
    resource = ResourceFactory(regions=["440000"], summary="摘要")
    client.force_login(curator)
    url = f"/admin/registry/resource/{resource.pk}/change/"
    form = client.get(url).context["adminform"].form
    data: dict[str, Any] = {"_save": "Save"}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else value
    data["regions"] = ["110000", "650000"]

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert codes(resource) == ["110000", "650000"]


@postgresql
def test_bulk_inserted_region_rows_fill_the_codes_of_every_resource():
    platforms = [PlatformFactory(), PlatformFactory()]
    made = bulk_resources(30, platforms=platforms, regions=("440000", "110000"))
    assert {tuple(codes(resource)) for resource in made} == {("110000", "440000")}


@postgresql
def test_seed_demo_fills_the_codes_of_every_resource_it_writes():
    call_command("seed_demo", resources=60, no_batches=True, no_progress=True, stdout=StringIO())
    assert Resource.objects.filter(nationwide=True).exists()
    assert every_row_is_current()


@postgresql
def test_region_rows_written_before_their_resource_in_a_transaction_count(platform_a):
    rid = uuid.uuid4()
    with transaction.atomic():  # the foreign keys are checked at commit
        Resource.regions.through.objects.create(resource_id=rid, region_id="440000")
        ResourceFactory.build(id=rid, platform=platform_a).save()
    assert codes(Resource.objects.get(pk=rid)) == ["440000"]


@postgresql
def test_resources_with_regions_are_deleted_whole_and_the_others_keep_their_codes():
    kept = ResourceFactory(regions=["440000"])
    draft = ResourceFactory(regions=["110000"], status="draft")
    services.resource_delete(actor=UserFactory(), resource_id=draft.pk)
    gone = ResourceFactory.create_batch(3, regions=["110000", "310000"], resource_type="chip")
    Resource.objects.filter(resource_type="chip").delete()
    assert list(Resource.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not Resource.regions.through.objects.filter(resource_id__in=[r.pk for r in gone])
    assert codes(kept) == ["440000"]


# The filter and the facet answer as before ------------------------------------------------------


@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize(
    "region", [["440000"], ["110000"], ["650000"], ["440000", "110000"], ["120000"]]
)
def test_the_region_filter_selects_what_it_selected_before(region):
    assert filtered("region=" + ",".join(region)) == filtered_as_before(region)


@pytest.mark.usefixtures("catalogue")
def test_the_region_filter_still_admits_every_nationwide_resource_and_lists_each_once():
    active = Resource.objects.filter(nationwide=True, status="active")
    nationwide = {str(pk) for pk in active.values_list("pk", flat=True)}
    assert nationwide <= filtered("region=120000")
    matched = ResourceFilterSet(data=QueryDict("region=440000,110000"), queryset=Resource.objects)
    pks = list(matched.matching().values_list("pk", flat=True))
    assert len(pks) == len(set(pks))


@pytest.mark.usefixtures("catalogue")
def test_the_region_filter_inside_a_subquery_reads_its_own_rows():
    inner = ResourceFilterSet(data=QueryDict("region=650000"), queryset=Resource.objects)
    outer = Resource.objects.filter(pk__in=inner.matching().values("pk"), resource_type="chip")
    chips = {
        str(pk) for pk in Resource.objects.filter(resource_type="chip").values_list("pk", flat=True)
    }
    assert {str(pk) for pk in outer.values_list("pk", flat=True)} == filtered_as_before(
        ["650000"]
    ) & chips


@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize(
    "query", ["", "type=compute", "platform=platform-b", "status=active,withdrawn,draft"]
)
def test_the_region_facet_counts_what_it_counted_before(query):
    matched = ResourceFilterSet(data=QueryDict(query), queryset=Resource.objects).matching()
    buckets = facet_counts(matched, ["region"])["region"]
    assert {bucket["value"]: bucket["count"] for bucket in buckets} == region_facet_as_before(
        matched
    )
    assert [bucket["count"] for bucket in buckets] == sorted(
        (bucket["count"] for bucket in buckets), reverse=True
    )
    labels = {term["code"]: (term["name"], term["name_en"]) for term in regions()}
    assert all((b["name"], b["name_en"]) == labels[b["value"]] for b in buckets)


@pytest.mark.usefixtures("catalogue")
def test_every_facet_counted_together_with_the_region_one_is_unchanged():
    matched = ResourceFilterSet(data=QueryDict(""), queryset=Resource.objects).matching()
    together = facet_counts(matched, ["type", "region", "platform", "industry", "access_model"])
    alone = {facet: facet_counts(matched, [facet])[facet] for facet in together}
    assert together == alone


# On PostgreSQL, through the index --------------------------------------------------------------


def explain(sql: str, params: Any = (), *, seqscan: bool = True) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        if not seqscan:  # a handful of rows: the planner would rather read them all
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@postgresql
@pytest.mark.usefixtures("catalogue")
def test_the_filtered_list_overlaps_the_codes_and_never_reads_the_regions_table():
    filterset = ResourceFilterSet(
        data=QueryDict("type=compute&region=440000&platform=platform-a"),
        queryset=Resource.objects,
    )
    sql, params = filterset.qs[:21].query.sql_with_params()
    plan = explain(sql, params)
    assert "region_codes &&" in plan
    assert "registry_resource_regions" not in plan
    assert "SubPlan" not in plan


@postgresql
@pytest.mark.usefixtures("catalogue")
def test_the_region_facet_unnests_the_codes_and_never_reads_the_regions_table():
    matched = ResourceFilterSet(data=QueryDict("type=compute"), queryset=Resource.objects)
    with CaptureQueriesContext(connection) as queries:
        facet_counts(matched.matching(), ["region", "type"])
    (query,) = queries.captured_queries
    plan = explain(query["sql"])
    assert "unnest" in plan.lower() or "Function Scan" in plan
    assert "registry_resource_regions" not in plan
