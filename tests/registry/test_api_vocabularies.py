"""The vocabularies (GB/T 2260 regions, GB/T 4754-2017 industries) and the API root."""

import string

import pytest

from config.api.root import ROOT_LINKS
from registry.models import Industry, Region
from tests.api_cases import ReadEndpointTests, assert_problem

pytestmark = pytest.mark.django_db


class TestRegionEndpoint(ReadEndpointTests):
    list_url = "/api/v1/regions/"
    key_field = "code"
    missing_key = "990000"

    def make(self):
        return Region.objects.get(code="440000")


class TestIndustryEndpoint(ReadEndpointTests):
    list_url = "/api/v1/industries/"
    key_field = "code"
    missing_key = "Z"

    def make(self):
        return Industry.objects.get(code="I")


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


def test_every_link_of_the_api_root_answers_200(api_client, sme_user):
    api_client.force_authenticate(sme_user)  # the list of one's own tokens needs a user
    links = api_client.get("/api/v1/").json()
    assert {key for key, _ in ROOT_LINKS} <= set(links)
    for key, url in links.items():
        assert api_client.get(url).status_code == 200, key


def test_the_api_root_refuses_unknown_parameters(api_client):
    assert_problem(api_client.get("/api/v1/", {"colour": "blue"}), 400, attr="colour")
