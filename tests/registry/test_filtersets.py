"""Every filter of the resource search (DESIGN §4), through GET /api/v1/resources/."""

from datetime import UTC, datetime

import pytest

from registry.models import Resource
from tests.api_cases import assert_problem, ids
from tests.factories import PlatformFactory, ResourceFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/resources/"


def search(client, query: str | dict) -> set[str]:
    response = client.get(f"{URL}?{query}") if isinstance(query, str) else client.get(URL, query)
    return set(ids(response))


def id_set(*resources: Resource) -> set[str]:
    return {str(resource.id) for resource in resources}


# q ---------------------------------------------------------------------------------------------


def test_q_finds_a_chinese_substring_inside_a_longer_word(api_client):
    voucher = ResourceFactory(name="昇腾算力券", name_en="", resource_type="chip")
    ResourceFactory(name="工业数据集", name_en="", resource_type="data")
    assert search(api_client, {"q": "算力"}) == id_set(voucher)


def test_q_matches_an_english_word_whatever_its_case(api_client):
    ascend = ResourceFactory(name="昇腾算力券", name_en="Ascend Compute Voucher")
    ResourceFactory(name="数据集", name_en="Industrial Data Set", resource_type="data")
    for q in ("ascend", "ASCEND", "Ascend", "compute"):
        assert search(api_client, {"q": q}) == id_set(ascend), q


def test_with_enough_resources_matching_every_term_q_finds_only_those(api_client):
    both = [ResourceFactory(name=f"昇腾算力券{n}", name_en="Ascend voucher") for n in range(10)]
    ResourceFactory(name="GPU算力券", name_en="GPU voucher")

    body = api_client.get(URL, {"q": "算力 ascend", "page_size": 100}).json()

    assert {hit["id"] for hit in body["results"]} == id_set(*both)
    assert body["matched"] == "all"


def test_with_few_resources_matching_every_term_q_adds_those_matching_some_after_them(
    api_client,
):
    both = ResourceFactory(name="昇腾算力券", name_en="Ascend voucher")
    one = ResourceFactory(name="GPU算力券", name_en="GPU voucher")
    ResourceFactory(name="工业数据集", name_en="Industrial data", resource_type="data")

    body = api_client.get(URL, {"q": "算力 ascend"}).json()

    assert [hit["id"] for hit in body["results"]] == [str(both.id), str(one.id)]
    assert body["matched"] == "some"
    nowhere = api_client.get(URL, {"q": "ascend voucher nowhere"}).json()
    assert [hit["id"] for hit in nowhere["results"]] == [str(both.id), str(one.id)]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("summary", "面向制造业的质检模型"),
        ("description", "提供质检模型的推理接口"),
        ("summary_en", "A quality inspection model"),
        ("description_en", "Quality inspection inference API"),
    ],
)
def test_q_searches_summary_and_description_in_both_languages(api_client, field, value):
    hit = ResourceFactory(name="模型A", name_en="Model A", **{field: value})
    ResourceFactory(name="模型B", name_en="Model B")
    term = "质检" if field in ("summary", "description") else "inspection"
    assert search(api_client, {"q": term}) == id_set(hit)


def test_q_matches_tags_and_the_platform_name(api_client, platform_a):
    tagged = ResourceFactory(tags=["大模型"])
    on_a = ResourceFactory(platform=platform_a)
    assert search(api_client, {"q": "大模型"}) == id_set(tagged)
    assert search(api_client, {"q": "甲平台"}) == id_set(on_a)


def test_q_treats_like_wildcards_as_plain_characters(api_client):
    ResourceFactory(name="资源")
    assert search(api_client, {"q": "%"}) == set()
    assert search(api_client, {"q": "_"}) == set()


def test_q_longer_than_200_characters_is_a_400_naming_q(api_client):
    assert_problem(api_client.get(URL, {"q": "算" * 201}), 400, attr="q")


def test_q_with_a_nul_character_is_a_400_not_a_500(api_client):
    assert_problem(api_client.get(URL, {"q": "a\x00b"}), 400, attr="q")


# type, platform, access_model, enterprise_size, tag --------------------------------------------


@pytest.mark.parametrize(
    ("parameter", "field", "values"),
    [
        ("type", "resource_type", ["compute", "data", "chip"]),
        ("access_model", "access_model", ["open", "paid", "application"]),
    ],
)
def test_a_choice_filter_selects_any_of_the_values(api_client, parameter, field, values):
    first, second, other = values
    one = ResourceFactory(**{field: first})
    two = ResourceFactory(**{field: second})
    ResourceFactory(**{field: other})
    assert search(api_client, {parameter: first}) == id_set(one)
    assert search(api_client, f"{parameter}={first},{second}") == id_set(one, two)
    assert search(api_client, f"{parameter}={first}&{parameter}={second}") == id_set(one, two)


@pytest.mark.parametrize(("parameter", "value"), [("type", "spaceship"), ("access_model", "free")])
def test_an_unknown_choice_is_a_400_naming_the_parameter(api_client, parameter, value):
    body = assert_problem(api_client.get(URL, {parameter: value}), 400, attr=parameter)
    assert body["errors"][0]["code"] == "invalid_choice"


def test_platform_selects_by_slug(api_client, platform_a, platform_b):
    on_a = ResourceFactory(platform=platform_a)
    on_b = ResourceFactory(platform=platform_b)
    ResourceFactory()
    assert search(api_client, {"platform": "platform-a"}) == id_set(on_a)
    assert search(api_client, "platform=platform-a,platform-b") == id_set(on_a, on_b)
    assert search(api_client, "platform=platform-a&platform=platform-b") == id_set(on_a, on_b)


def test_an_unknown_platform_is_a_400_naming_platform_and_the_slug(api_client, platform_a):
    response = api_client.get(URL, {"platform": "platform-a,no-such-platform"})
    body = assert_problem(response, 400, attr="platform")
    assert "no-such-platform" in body["errors"][0]["detail"]
    assert "platform-a" not in body["errors"][0]["detail"]


def test_platform_matches_whole_slugs_not_prefixes(api_client):
    short = PlatformFactory(slug="ali")
    long = PlatformFactory(slug="alibaba")
    on_short = ResourceFactory(platform=short)
    ResourceFactory(platform=long)
    assert search(api_client, {"platform": "ali"}) == id_set(on_short)


def test_enterprise_size_selects_resources_open_to_that_size(api_client):
    everyone = ResourceFactory()
    not_micro = ResourceFactory(eligible_micro=False)
    medium_only = ResourceFactory(eligible_micro=False, eligible_small=False)
    assert search(api_client, {"enterprise_size": "micro"}) == id_set(everyone)
    assert search(api_client, {"enterprise_size": "small"}) == id_set(everyone, not_micro)
    assert search(api_client, "enterprise_size=micro,small") == id_set(everyone, not_micro)
    assert search(api_client, {"enterprise_size": "medium"}) == id_set(
        everyone, not_micro, medium_only
    )
    assert_problem(api_client.get(URL, {"enterprise_size": "large"}), 400, attr="enterprise_size")


def test_tag_matches_whole_tags_whatever_their_case(api_client):
    gpu = ResourceFactory(tags=["GPU", "训练"])
    npu = ResourceFactory(tags=["npu"])
    ResourceFactory(tags=["gpu-cluster"])
    assert search(api_client, {"tag": "gpu"}) == id_set(gpu)
    assert search(api_client, {"tag": "GPU"}) == id_set(gpu)
    assert search(api_client, {"tag": "训练"}) == id_set(gpu)
    assert search(api_client, "tag=gpu,npu") == id_set(gpu, npu)
    assert search(api_client, "tag=gpu&tag=npu") == id_set(gpu, npu)


def test_a_value_longer_than_100_characters_is_a_400(api_client):
    assert_problem(api_client.get(URL, {"tag": "x" * 101}), 400, attr="tag")


# region, industry ------------------------------------------------------------------------------


def test_region_selects_resources_available_there_and_every_nationwide_one(api_client):
    guangdong = ResourceFactory(regions=["440000"])
    beijing = ResourceFactory(regions=["110000"])
    nationwide = ResourceFactory(nationwide=True)
    assert search(api_client, {"region": "440000"}) == id_set(guangdong, nationwide)
    assert search(api_client, {"region": "650000"}) == id_set(nationwide)
    assert search(api_client, "region=440000,110000") == id_set(guangdong, beijing, nationwide)


def test_a_resource_in_two_matching_regions_is_listed_once(api_client):
    both = ResourceFactory(regions=["440000", "110000"])
    assert ids(api_client.get(URL, {"region": "440000,110000"})) == [str(both.id)]


@pytest.mark.parametrize("region", ["440300", "999999", "guangdong"])
def test_a_region_that_is_not_a_province_level_code_is_a_400(api_client, region):
    assert_problem(api_client.get(URL, {"region": region}), 400, attr="region")


def test_industry_selects_resources_of_any_of_the_sections(api_client):
    manufacturing = ResourceFactory(industries=["C"])
    software = ResourceFactory(industries=["I", "C"])
    ResourceFactory(industries=["A"])
    assert search(api_client, {"industry": "I"}) == id_set(software)
    assert search(api_client, "industry=C,I") == id_set(manufacturing, software)
    assert ids(api_client.get(URL, {"industry": "C,I"})).count(str(software.id)) == 1
    assert_problem(api_client.get(URL, {"industry": "U"}), 400, attr="industry")


# updated_since ---------------------------------------------------------------------------------


def test_updated_since_selects_resources_updated_at_or_after_the_moment(api_client):
    old, edge, new = ResourceFactory(), ResourceFactory(), ResourceFactory()
    for resource, moment in [
        (old, datetime(2026, 1, 1, tzinfo=UTC)),
        (edge, datetime(2026, 3, 1, tzinfo=UTC)),
        (new, datetime(2026, 5, 1, tzinfo=UTC)),
    ]:
        Resource.objects.filter(pk=resource.pk).update(updated_at=moment)
    assert search(api_client, {"updated_since": "2026-03-01T00:00:00Z"}) == id_set(edge, new)
    assert search(api_client, {"updated_since": "2026-03-01T08:00:00+08:00"}) == id_set(edge, new)
    assert search(api_client, {"updated_since": "2026-03-01T00:00:01Z"}) == id_set(new)


@pytest.mark.parametrize(
    "moment",
    [
        "yesterday",
        "2026-13-01T00:00:00Z",
        "2026-02-30",
        "0001-01-01T00:00:00+14:00",  # before year 1 in UTC
        "9999-12-31T23:59:59-14:00",  # after year 9999 in UTC
        "0001-01-01T00:00:00",  # before year 1 in UTC once read as Asia/Shanghai time
    ],
)
def test_an_invalid_updated_since_is_a_400_naming_it(api_client, moment):
    assert_problem(api_client.get(URL, {"updated_since": moment}), 400, attr="updated_since")


# Combinations ----------------------------------------------------------------------------------


def test_different_filters_must_all_match(api_client, platform_a):
    hit = ResourceFactory(
        platform=platform_a, resource_type="compute", access_model="open", regions=["440000"]
    )
    ResourceFactory(platform=platform_a, resource_type="data", access_model="open")
    ResourceFactory(platform=platform_a, resource_type="compute", access_model="paid")
    ResourceFactory(platform=platform_a, resource_type="compute", regions=["110000"])
    ResourceFactory(resource_type="compute", access_model="open")
    query = "type=compute&access_model=open&region=440000&platform=platform-a&industry=I"
    assert search(api_client, query) == id_set(hit)


def test_every_invalid_parameter_is_named_in_one_400(api_client):
    response = api_client.get(URL, {"type": "x", "region": "y", "colour": "z"})
    assert {error["attr"] for error in assert_problem(response, 400)["errors"]} >= {"colour"}
    response = api_client.get(URL, {"type": "x", "region": "y"})
    assert {error["attr"] for error in assert_problem(response, 400)["errors"]} == {
        "type",
        "region",
    }
