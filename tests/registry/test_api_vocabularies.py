"""The vocabularies (GB/T 2260 regions, GB/T 4754-2017 industries) and the API root."""

import re
import string
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLResolver, get_resolver

from config.api.root import ROOT_LINKS
from registry.models import Industry, Region
from tests.api_cases import assert_problem, read_endpoint_tests

pytestmark = pytest.mark.django_db


TestRegionEndpoint = read_endpoint_tests(
    "/api/v1/regions/", "code", "990000", make=lambda: Region.objects.get(code="440000")
)
TestIndustryEndpoint = read_endpoint_tests(
    "/api/v1/industries/", "code", "Z", make=lambda: Industry.objects.get(code="I")
)


def test_regions_are_the_34_province_level_divisions(api_client):
    body = api_client.get("/api/v1/regions/").json()
    assert isinstance(body, list)  # a fixed vocabulary: one page, no pagination
    assert len(body) == 34
    assert {"code": "440000", "name": "广东省", "name_en": "Guangdong"} in body
    codes = [term["code"] for term in body]
    assert codes == sorted(codes)
    assert all(len(code) == 6 and code.endswith("0000") for code in codes)
    assert {"110000", "710000", "810000", "820000"} <= set(codes)  # Beijing, Taiwan, HK, Macao


def test_industries_are_the_20_sections_a_to_t(api_client):
    body = api_client.get("/api/v1/industries/").json()
    assert [term["code"] for term in body] == list(string.ascii_uppercase[:20])
    assert all(term["name"] and term["name_en"] for term in body)


def test_a_region_by_code(api_client):
    response = api_client.get("/api/v1/regions/440000/")
    assert response.json() == {"code": "440000", "name": "广东省", "name_en": "Guangdong"}


def test_an_industry_by_code(api_client):
    body = api_client.get("/api/v1/industries/I/").json()
    assert body["code"] == "I"
    assert body["name"] == "信息传输、软件和信息技术服务业"


@pytest.mark.parametrize("path", ["/api/v1/regions/4400/", "/api/v1/industries/AB/"])
def test_a_malformed_code_is_a_404_problem(api_client, path):
    assert_problem(api_client.get(path), 404)


@pytest.mark.parametrize("path", ["/api/v1/regions/", "/api/v1/industries/"])
def test_vocabularies_take_no_paging_parameters(api_client, path):
    assert_problem(api_client.get(path, {"page_size": 5}), 400, attr="page_size")


# The API root ----------------------------------------------------------------------------------


def test_the_api_root_links_to_every_collection_and_the_docs(api_client):
    response = api_client.get("/api/v1/")
    assert response.status_code == 200
    links = response.json()
    assert set(links) >= {
        "platforms",
        "resources",
        "resource_types",
        "regions",
        "industries",
        "schema",
        "docs",
        "redoc",
    }
    assert links["resources"] == "http://testserver/api/v1/resources/"
    assert links["resource_types"] == "http://testserver/api/v1/resource-types/"


# What a GET without parameters answers at the root's links that take input; the rest answer 200.
NEEDS_INPUT = {"register": 405, "suggestions": 400}  # a POST; ?q=


def test_every_link_of_the_api_root_answers(api_client, sme_user):
    api_client.force_authenticate(sme_user)  # the list of one's own tokens needs a user
    links = api_client.get("/api/v1/").json()
    assert {key for key, _ in ROOT_LINKS} <= set(links)
    for key, url in links.items():
        assert api_client.get(url).status_code == NEEDS_INPUT.get(key, 200), key
    assert api_client.get(links["suggestions"], {"q": "算力"}).status_code == 200


def _entry_points(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(URL name, route) of every URL of the API without a parameter, walking the resolver."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern).removeprefix("^").removesuffix("$")
        if isinstance(pattern, URLResolver):
            yield from _entry_points(pattern.url_patterns, route)
        elif pattern.name and not re.search(r"[(<]", route):
            yield pattern.name, route


def test_the_api_root_links_every_collection_and_entry_point_of_the_api(api_client):
    [api] = [p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "api"]
    routed = {
        name: f"http://testserver/{api.pattern}{route}"
        for name, route in _entry_points(api.url_patterns)
    }
    linked = set(api_client.get("/api/v1/").json().values())

    missing = {name: url for name, url in routed.items() if url not in linked and name != "root"}

    assert "subscription-list" in routed  # the walk finds the routers' collections
    assert not missing, f"the API root links none of {missing}"


def test_the_api_root_refuses_unknown_parameters(api_client):
    assert_problem(api_client.get("/api/v1/", {"colour": "blue"}), 400, attr="colour")
