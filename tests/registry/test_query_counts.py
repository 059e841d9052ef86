"""Lists run a fixed number of SQL queries, whatever the page size (no N+1; STYLE.md).

The absolute numbers are asserted too, so a regression (a lost prefetch, a query per facet more
than needed) shows up as a failing test rather than as a slow page.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.models import Platform
from tests.factories import PlatformFactory, UserFactory, bulk_resources, make_credit_code
from tests.query_counts import SEARCH_LOG, queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("synonyms_read")]

# resources, then one prefetch each for tags, regions, industries, listings (with batches) and
# the pilots that use them.
RESOURCE_LIST_QUERIES = 6
# Every facet whose own filter is not set is counted in one query; each one whose filter is set
# (type=data below) in one more.
FACET_QUERIES = 1
# A search is answered by the index (no query for it, nor for its facets), in tests after a look
# at the change log; the page's rows are then read by id.
SEARCH = SEARCH_LOG
ALL_FACETS = "type,region,platform,industry,access_model"


@pytest.fixture
def catalogue():
    platforms = [PlatformFactory(slug=f"platform-{index}") for index in range(4)]
    bulk_resources(60, platforms=platforms, tags=["gpu", "算力", "训练"])
    bulk_resources(
        60,
        platforms=platforms,
        tags=["数据集"],
        regions=["110000", "310000", "440000"],
        industries=["A", "C", "I"],
        resource_type="data",
        access_model="open",
    )
    return platforms


@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, RESOURCE_LIST_QUERIES),
        ({"ordering": "name"}, RESOURCE_LIST_QUERIES),
        ({"ordering": "-listed_at"}, RESOURCE_LIST_QUERIES),
        ({"q": "资源", "ordering": "relevance"}, RESOURCE_LIST_QUERIES + SEARCH),
        ({"region": "440000", "industry": "I", "tag": "gpu"}, RESOURCE_LIST_QUERIES),
        ({"platform": "platform-1,platform-2"}, RESOURCE_LIST_QUERIES + 1),  # slugs checked
        ({"facets": ALL_FACETS}, RESOURCE_LIST_QUERIES + FACET_QUERIES),
        ({"facets": ALL_FACETS, "type": "data"}, RESOURCE_LIST_QUERIES + FACET_QUERIES + 1),
        (
            {"q": "资源", "facets": ALL_FACETS, "region": "440000"},
            RESOURCE_LIST_QUERIES + SEARCH + 1,  # the platforms' names for the facet
        ),
    ],
    ids=[
        "default",
        "name",
        "listed_at",
        "relevance",
        "filters",
        "platform",
        "facets",
        "both",
        "search",
    ],
)
def test_the_resource_list_runs_the_same_queries_at_page_size_1_and_100(
    api_client, params, expected
):
    one, small = queries(api_client, "/api/v1/resources/", {**params, "page_size": 1})
    hundred, large = queries(api_client, "/api/v1/resources/", {**params, "page_size": 100})
    assert len(small["results"]) == 1
    assert len(large["results"]) >= 50
    assert one == hundred
    assert hundred <= expected


@pytest.mark.usefixtures("catalogue")
def test_a_later_page_runs_the_same_queries_as_the_first(api_client):
    first_count, first = queries(api_client, "/api/v1/resources/", {"page_size": 100})
    with CaptureQueriesContext(connection) as captured:
        second = api_client.get(first["next"])
    assert len(second.json()["results"]) == 20
    assert len(captured) == first_count


def test_a_publishers_list_adds_a_fixed_cost_for_the_session(api_client, catalogue):
    publisher = UserFactory()
    catalogue[0].members.add(publisher)
    api_client.force_login(publisher)
    one, _ = queries(api_client, "/api/v1/resources/", {"page_size": 1, "status": "draft,active"})
    hundred, _ = queries(
        api_client, "/api/v1/resources/", {"page_size": 100, "status": "draft,active"}
    )
    assert one == hundred
    assert hundred <= RESOURCE_LIST_QUERIES + 3  # session, user, curator check


@pytest.mark.usefixtures("catalogue")
def test_the_resource_detail_runs_a_fixed_number_of_queries(api_client):
    resource_id = api_client.get("/api/v1/resources/", {"page_size": 1}).json()["results"][0]["id"]
    count, _ = queries(api_client, f"/api/v1/resources/{resource_id}/", {})
    assert count <= RESOURCE_LIST_QUERIES


def test_the_platform_list_runs_one_query_at_page_size_1_and_100(api_client):
    Platform.objects.bulk_create(
        [
            Platform(
                slug=f"bulk-{index:03d}",
                name=f"平台{index}",
                credit_code=make_credit_code(index, "110000"),
            )
            for index in range(1, 106)
        ]
    )
    bulk_resources(30, platforms=list(Platform.objects.all()[:10]))
    one, small = queries(api_client, "/api/v1/platforms/", {"page_size": 1})
    hundred, large = queries(api_client, "/api/v1/platforms/", {"page_size": 100})
    assert (len(small["results"]), len(large["results"])) == (1, 100)
    assert sum(item["resource_count"] for item in large["results"]) == 30
    assert one == hundred == 1


@pytest.mark.parametrize("url", ["/api/v1/regions/", "/api/v1/industries/"])
def test_a_vocabulary_list_runs_one_query(api_client, url):
    count, body = queries(api_client, url, {})
    assert len(body) >= 20
    assert count == 1


def test_resource_types_and_the_api_root_touch_no_table(api_client):
    assert queries(api_client, "/api/v1/resource-types/", {})[0] == 0
    assert queries(api_client, "/api/v1/", {})[0] == 0
