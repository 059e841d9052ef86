"""How searches run on PostgreSQL at scale (issue 6's speed targets): matches read through the GIN
index in a transaction of their own, relevance read from the small rank document in the row.

The figures are in ``benchmarks/README.md`` (``make bench-search``); these tests hold the
mechanisms in place. Each needs PostgreSQL and is skipped on SQLite, except where noted.
"""

import pytest
from django.db import connection

from registry.models import Resource
from registry.search import search
from registry.search.planning import index_scans
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db
postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]


def plan(queryset) -> str:
    with connection.cursor() as cursor:
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@postgresql
def test_inside_index_scans_a_search_never_reads_the_whole_table():
    ResourceFactory.create_batch(3, resource_type="chip", name="昇腾开发板")
    with index_scans():
        explained = plan(search(Resource.objects.filter(status="active"), "算力"))
    assert "Seq Scan on registry_resource" not in explained


@postgresql
def test_the_planner_settings_of_a_search_end_with_it():
    before = (setting("enable_seqscan"), setting("jit"))
    with index_scans():
        assert (setting("enable_seqscan"), setting("jit")) == ("off", "off")
    assert (setting("enable_seqscan"), setting("jit")) == before


def test_outside_postgresql_index_scans_changes_nothing(django_assert_num_queries):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite and other databases only")
    with django_assert_num_queries(0), index_scans():
        pass


@postgresql
def test_the_rank_document_holds_the_names_and_tags_and_not_the_summary():
    resource = ResourceFactory(
        resource_type="chip", name="昇腾开发板", tags=["边缘推理"], summary="适合高校实验室"
    )
    document = Resource.objects.values_list("rank_document", flat=True).get(pk=resource.pk)
    assert "'昇腾':" in document
    assert "'推理':" in document
    assert "实验室" not in document
    full = Resource.objects.values_list("search_document", flat=True).get(pk=resource.pk)
    assert "'实验室':" in full


@postgresql
def test_resource_rows_keep_long_text_out_of_line_and_the_rank_document_in():
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'registry_resource'")
        options = cursor.fetchone()[0]
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = 'registry_resource'::regclass "
            "AND attname = 'rank_document'"
        )
        storage = cursor.fetchone()[0]
    assert "toast_tuple_target=1024" in options
    assert storage == "m"  # MAIN: kept in the row, moved out only as a last resort
