"""Facet counts of the resource search: per value, honouring every filter but their own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api_cases import assert_problem
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/resources/"


def facets(client, query: str) -> dict[str, dict[str, int]]:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200, response.content
    return {
        name: {bucket["value"]: bucket["count"] for bucket in buckets}
        for name, buckets in response.json()["facets"].items()
    }


@pytest.fixture
def catalogue(platform_a, platform_b):
    """Five active resources, one draft and one withdrawn, across types, platforms and regions."""
    ResourceFactory(
        platform=platform_a, resource_type="compute", access_model="paid", industries=["I"]
    )
    ResourceFactory(
        platform=platform_a,
        resource_type="compute",
        access_model="open",
        regions=["110000"],
        industries=["I", "C"],
    )
    ResourceFactory(
        platform=platform_b,
        resource_type="data",
        access_model="open",
        nationwide=True,
        industries=["A"],
    )
    ResourceFactory(
        platform=platform_b, resource_type="data", access_model="free_quota", industries=["C"]
    )
    ResourceFactory(platform=platform_b, resource_type="chip", industries=[])
    ResourceFactory(platform=platform_a, resource_type="chip", status="draft")
    ResourceFactory(platform=platform_a, resource_type="terminal", status="withdrawn")


@pytest.mark.usefixtures("catalogue")
def test_facets_count_the_active_resources_per_value(api_client):
    counts = facets(api_client, "facets=type,region,platform,industry,access_model")
    assert counts["type"] == {"compute": 2, "data": 2, "chip": 1}
    assert counts["platform"] == {"platform-a": 2, "platform-b": 3}
    assert counts["access_model"] == {"paid": 1, "open": 2, "free_quota": 2}
    assert counts["industry"] == {"I": 2, "C": 2, "A": 1}


@pytest.mark.usefixtures("catalogue")
def test_a_nationwide_resource_counts_in_every_region(api_client):
    regions = facets(api_client, "facets=region")["region"]
    assert len(regions) == 34
    assert regions["440000"] == 3 + 1  # three listed there, one nationwide
    assert regions["110000"] == 1 + 1
    assert regions["650000"] == 1


@pytest.mark.usefixtures("catalogue")
def test_a_region_count_is_what_the_region_filter_would_return(api_client):
    regions = facets(api_client, "facets=region")["region"]
    for code in ("440000", "110000", "650000"):
        listed = api_client.get(URL, {"region": code, "page_size": 100}).json()["results"]
        assert regions[code] == len(listed), code


@pytest.mark.usefixtures("catalogue")
def test_a_facet_ignores_its_own_filter(api_client):
    counts = facets(api_client, "type=compute&facets=type")
    assert counts["type"] == {"compute": 2, "data": 2, "chip": 1}


@pytest.mark.usefixtures("catalogue")
def test_a_facet_honours_the_other_filters(api_client):
    counts = facets(api_client, "type=compute&facets=region,platform,access_model,industry")
    assert counts["platform"] == {"platform-a": 2}
    assert counts["access_model"] == {"paid": 1, "open": 1}
    assert counts["industry"] == {"I": 2, "C": 1}
    assert counts["region"] == {"440000": 1, "110000": 1}


@pytest.mark.usefixtures("catalogue")
def test_facets_honour_the_search_and_the_status(api_client):
    counts = facets(api_client, "status=withdrawn&facets=type")
    assert counts["type"] == {"terminal": 1}
    counts = facets(api_client, "q=no-such-thing&facets=type,region")
    assert counts == {"type": {}, "region": {}}


@pytest.mark.usefixtures("catalogue")
def test_facets_do_not_narrow_or_page_the_list(api_client):
    response = api_client.get(URL, {"facets": "type", "page_size": 1, "type": "data"})
    body = response.json()
    assert len(body["results"]) == 1
    assert body["next"] is not None
    assert {b["value"]: b["count"] for b in body["facets"]["type"]}["data"] == 2


@pytest.mark.usefixtures("catalogue")
def test_facets_are_the_same_on_every_page(api_client):
    first = api_client.get(URL, {"facets": "platform", "page_size": 2}).json()
    second = api_client.get(first["next"]).json()
    assert second["facets"] == first["facets"]


@pytest.mark.usefixtures("catalogue")
def test_facet_buckets_carry_bilingual_names_and_are_sorted_by_count(api_client):
    buckets = api_client.get(URL, {"facets": "type,platform"}).json()["facets"]
    assert buckets["type"][0] == {
        "value": "compute",
        "name": "算力",
        "name_en": "Computing power",
        "count": 2,
    }
    assert [b["count"] for b in buckets["type"]] == [2, 2, 1]
    assert buckets["platform"][0] == {
        "value": "platform-b",
        "name": "乙平台科技有限公司",
        "name_en": "Platform B",
        "count": 3,
    }


def test_repeated_and_comma_separated_facets_are_the_same(api_client):
    ResourceFactory()
    comma = api_client.get(f"{URL}?facets=type,access_model").json()["facets"]
    repeated = api_client.get(f"{URL}?facets=type&facets=access_model").json()["facets"]
    assert comma == repeated
    assert set(comma) == {"type", "access_model"}


def test_without_facets_the_response_has_no_facets_key(api_client):
    ResourceFactory()
    assert "facets" not in api_client.get(URL).json()


@pytest.mark.parametrize("facet", ["status", "tag", "colour"])
def test_an_unknown_facet_is_a_400_naming_facets(api_client, facet):
    assert_problem(api_client.get(URL, {"facets": f"type,{facet}"}), 400, attr="facets")


# One query for every facet -----------------------------------------------------------------------


def counted_alone(params: dict[str, str], facet: str) -> dict[str, int]:
    """What ``facet`` should count, worked out in Python from the resources the list returns
    without the facet's own filter (how the counts were made before they took one query)."""
    from django.test import Client

    others = {name: value for name, value in params.items() if name not in (facet, "facets")}
    listed = Client().get(URL, {**others, "page_size": 100}).json()["results"]
    counts: dict[str, int] = {}

    def add(value: str) -> None:
        counts[value] = counts.get(value, 0) + 1

    nationwide = sum(1 for resource in listed if resource["nationwide"])
    for resource in listed:
        if facet == "type":
            add(resource["resource_type"])
        elif facet == "platform":
            add(resource["platform"]["slug"])
        elif facet == "access_model":
            add(resource["access_model"])
        elif facet == "industry":
            for industry in resource["industries"]:
                add(industry)
        elif facet == "region":
            for region in resource["regions"]:
                add(region)
    if facet == "region" and nationwide:
        from registry.vocabularies import region_codes

        for code in region_codes():
            counts[code] = counts.get(code, 0) + nationwide
    return counts


@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"type": "compute"},
        {"type": "data,chip", "access_model": "open"},
        {"region": "110000", "platform": "platform-a"},
        {"industry": "C", "region": "440000"},
        {"q": "资源"},
        {"status": "active,withdrawn", "type": "terminal,data"},
    ],
    ids=["none", "type", "type-access", "region-platform", "industry-region", "q", "status"],
)
def test_facets_counted_in_one_query_are_what_each_facet_counted_alone_gives(api_client, params):
    ResourceFactory(resource_type="data", access_model="open", regions=["110000", "440000"])
    counts = facets(
        api_client,
        "&".join(
            f"{k}={v}"
            for k, v in {
                **params,
                "facets": ",".join(["type", "region", "platform", "industry", "access_model"]),
            }.items()
        ),
    )
    for facet, found in counts.items():
        assert found == counted_alone(params, facet), facet


def test_every_facet_without_its_own_filter_takes_one_query(api_client, platform_a):
    ResourceFactory(platform=platform_a, resource_type="data", regions=["110000"])
    api_client.get(URL, {"page_size": 1})  # the list alone
    with CaptureQueriesContext(connection) as alone:
        api_client.get(URL, {"page_size": 1, "type": "data"})
    with CaptureQueriesContext(connection) as one:
        api_client.get(URL, {"page_size": 1, "type": "data", "facets": "region,industry"})
    with CaptureQueriesContext(connection) as five:
        api_client.get(
            URL,
            {"page_size": 1, "type": "data", "facets": "region,industry,platform,access_model"},
        )
    with CaptureQueriesContext(connection) as own:
        api_client.get(URL, {"page_size": 1, "type": "data", "facets": "region,type"})
    assert len(one) == len(five) == len(alone) + 1
    assert len(own) == len(alone) + 2  # type=data is left out of the type facet's count
