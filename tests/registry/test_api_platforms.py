"""GET /api/v1/platforms/ and /api/v1/platforms/{slug}/, and every PlatformFilterSet filter."""

from datetime import UTC, datetime

import pytest

from registry.models import Platform
from tests.api_cases import ReadEndpointTests, assert_problem, rows
from tests.factories import PlatformFactory, ResourceFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/platforms/"

CONTRACT_FIELDS = {
    "slug",
    "name",
    "name_en",
    "credit_code",
    "website",
    "description",
    "headquarters_region",
    "verified",
    "url",
}


class TestPlatformEndpoint(ReadEndpointTests):
    list_url = URL
    key_field = "slug"
    missing_key = "no-such-platform"

    def make(self):
        return PlatformFactory()


def slugs(client, query: str | dict = "") -> list[str]:
    response = client.get(f"{URL}?{query}") if isinstance(query, str) else client.get(URL, query)
    return [item["slug"] for item in rows(response)]


def test_a_platform_carries_every_field_integrators_rely_on(api_client):
    PlatformFactory(
        slug="huawei-cloud",
        name="华为云计算技术有限公司",
        name_en="Huawei Cloud",
        credit_code="91520900MA6J6CBN9Q",
        description="昇腾算力开放",
        headquarters_region_id="520000",
        verified=True,
        contact_email="",
    )
    item = api_client.get(f"{URL}huawei-cloud/").json()
    assert item.keys() >= CONTRACT_FIELDS
    assert item["url"] == "http://testserver/api/v1/platforms/huawei-cloud/"
    assert item["credit_code"] == "91520900MA6J6CBN9Q"
    assert item["headquarters_region"] == "520000"
    assert item["website"] == "https://huawei-cloud.example.cn"
    assert item["contact_email"] is None  # absent optional e-mails are null, never ""
    assert item["verified"] is True
    assert item["resource_count"] == 0


def test_resource_count_counts_only_active_resources(api_client, platform_a, platform_b):
    for status in ("active", "active", "draft", "withdrawn"):
        ResourceFactory(platform=platform_a, status=status)
    ResourceFactory(platform=platform_b)
    assert api_client.get(f"{URL}platform-a/").json()["resource_count"] == 2
    counts = {item["slug"]: item["resource_count"] for item in rows(api_client.get(URL))}
    assert counts == {"platform-a": 2, "platform-b": 1}


def test_resource_count_is_not_multiplied_by_tags_or_regions(api_client, platform_a):
    ResourceFactory(platform=platform_a, tags=["a", "b", "c"], regions=["440000", "110000"])
    assert api_client.get(f"{URL}platform-a/").json()["resource_count"] == 1


def test_platforms_are_listed_by_slug(api_client):
    for slug in ("tencent", "alibaba", "huawei"):
        PlatformFactory(slug=slug)
    assert slugs(api_client) == ["alibaba", "huawei", "tencent"]


def test_platforms_are_paginated_by_cursor(api_client):
    for index in range(3):
        PlatformFactory(slug=f"p{index}")
    first = api_client.get(URL, {"page_size": 2}).json()
    assert [item["slug"] for item in first["results"]] == ["p0", "p1"]
    second = api_client.get(first["next"]).json()
    assert [item["slug"] for item in second["results"]] == ["p2"]
    assert second["next"] is None


# Filters ---------------------------------------------------------------------------------------


def test_q_searches_name_english_name_and_slug(api_client, platform_a, platform_b):
    PlatformFactory(slug="alibaba-cloud", name="阿里云计算有限公司", name_en="Alibaba Cloud")
    assert slugs(api_client, {"q": "甲平台"}) == ["platform-a"]
    assert slugs(api_client, {"q": "alibaba"}) == ["alibaba-cloud"]
    assert slugs(api_client, {"q": "CLOUD"}) == ["alibaba-cloud"]
    assert slugs(api_client, {"q": "platform-b"}) == ["platform-b"]
    assert slugs(api_client, {"q": "平台 Platform B"}) == ["platform-b"]


def test_slug_selects_any_of_the_slugs(api_client, platform_a, platform_b):
    PlatformFactory(slug="platform-c")
    assert slugs(api_client, "slug=platform-a,platform-c") == ["platform-a", "platform-c"]
    assert slugs(api_client, "slug=platform-a&slug=platform-b") == ["platform-a", "platform-b"]
    assert slugs(api_client, "slug=nobody") == []


def test_credit_code_selects_the_platform_with_that_code(api_client, platform_a, platform_b):
    assert slugs(api_client, {"credit_code": platform_b.credit_code}) == ["platform-b"]
    assert slugs(api_client, {"credit_code": "91350100M000100Y43"}) == []


def test_headquarters_region_selects_any_of_the_regions(api_client):
    PlatformFactory(slug="shenzhen", headquarters_region_id="440000")
    PlatformFactory(slug="beijing", headquarters_region_id="110000")
    PlatformFactory(slug="hangzhou", headquarters_region_id="330000")
    assert slugs(api_client, {"headquarters_region": "440000"}) == ["shenzhen"]
    assert slugs(api_client, "headquarters_region=440000,110000") == ["beijing", "shenzhen"]
    assert_problem(
        api_client.get(URL, {"headquarters_region": "440300"}), 400, attr="headquarters_region"
    )


def test_verified_selects_verified_or_unverified_platforms(api_client):
    PlatformFactory(slug="checked", verified=True)
    PlatformFactory(slug="unchecked", verified=False)
    for yes in ("true", "True", "1"):
        assert slugs(api_client, {"verified": yes}) == ["checked"]
    for no in ("false", "FALSE", "0"):
        assert slugs(api_client, {"verified": no}) == ["unchecked"]
    assert slugs(api_client, {"verified": ""}) == ["checked", "unchecked"]


@pytest.mark.parametrize("value", ["yes", "maybe", "2", "unknown", "tru"])
def test_an_invalid_verified_value_is_a_400_not_an_unfiltered_list(api_client, value):
    PlatformFactory(slug="checked", verified=True)
    PlatformFactory(slug="unchecked", verified=False)
    assert_problem(api_client.get(URL, {"verified": value}), 400, attr="verified")


def test_updated_since_selects_platforms_updated_at_or_after_the_moment(api_client):
    old = PlatformFactory(slug="old")
    new = PlatformFactory(slug="new")
    Platform.objects.filter(pk=old.pk).update(updated_at=datetime(2026, 1, 1, tzinfo=UTC))
    Platform.objects.filter(pk=new.pk).update(updated_at=datetime(2026, 6, 1, tzinfo=UTC))
    assert slugs(api_client, {"updated_since": "2026-03-01T00:00:00+08:00"}) == ["new"]
    for moment in ("soon", "0001-01-01T00:00:00+14:00"):
        assert_problem(api_client.get(URL, {"updated_since": moment}), 400, attr="updated_since")


def test_platform_filters_combine(api_client):
    PlatformFactory(slug="a", verified=True, headquarters_region_id="440000")
    PlatformFactory(slug="b", verified=False, headquarters_region_id="440000")
    PlatformFactory(slug="c", verified=True, headquarters_region_id="110000")
    assert slugs(api_client, {"verified": "true", "headquarters_region": "440000"}) == ["a"]


def test_resource_search_parameters_are_unknown_on_platforms(api_client):
    assert_problem(api_client.get(URL, {"type": "compute"}), 400, attr="type")
