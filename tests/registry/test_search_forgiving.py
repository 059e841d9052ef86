"""Search forgives how people type: partial matches, traditional characters, typos, province and
platform names, colloquial and English words, and input no search engine should choke on."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.api_cases import assert_problem, ids
from tests.factories import PlatformFactory, ResourceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("synonyms_read")]

URL = "/api/v1/resources/"


def found(client: APIClient, q: str, **params: Any) -> list[str]:
    return ids(client.get(URL, {"q": q, **params}))


def pk(resource: Any) -> str:
    return str(resource.pk)


# Province and city names -------------------------------------------------------------------------


def test_guangdong_compute_finds_the_compute_available_in_guangdong_and_nationwide(api_client):
    canton = ResourceFactory(name="GPU 算力集群", resource_type="compute", regions=["440000"])
    everywhere = ResourceFactory(
        name="普惠算力", resource_type="compute", nationwide=True, regions=[]
    )
    ResourceFactory(name="北京算力中心", resource_type="compute", regions=["110000"])
    ResourceFactory(name="广东交通数据集", resource_type="data", regions=["440000"])

    body = api_client.get(URL, {"q": "广东算力", "facets": "type"}).json()

    hits = [hit["id"] for hit in body["results"]]
    assert set(hits[:2]) == {pk(canton), pk(everywhere)}  # every term; the rest match some
    assert body["facets"]["type"][0] == {
        "value": "compute",
        "name": "算力",
        "name_en": "Computing power",
        "count": 3,
    }


@pytest.mark.parametrize("q", ["广东", "广东省", "Guangdong", "深圳"])
def test_a_province_or_city_name_finds_what_is_available_there(api_client, q):
    canton = ResourceFactory(name="工业质检模型", resource_type="algorithm", regions=["440000"])
    ResourceFactory(name="工业质检模型二", resource_type="algorithm", regions=["110000"])

    assert found(api_client, q) == [pk(canton)]


# Platforms -------------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["云启", "云启智算科技有限公司", "Yunqi", "yunqi"])
def test_a_platforms_name_or_short_name_finds_its_resources(api_client, q):
    yunqi = PlatformFactory(slug="yunqi", name="云启智算科技有限公司", name_en="Yunqi Computing")
    mine = ResourceFactory(platform=yunqi, name="昇腾开发机")
    ResourceFactory(name="昇腾开发机二")

    assert found(api_client, q) == [pk(mine)]


# Partial matches ---------------------------------------------------------------------------------


def test_a_sentence_finds_what_its_content_words_name(api_client):
    free_data = ResourceFactory(
        name="工业设备运行数据集", resource_type="data", access_model="open"
    )
    ResourceFactory(name="GPU 算力租赁", resource_type="compute", access_model="paid")

    hits = found(api_client, "有没有适合中小企业的免费数据集")

    assert hits[0] == pk(free_data)


def test_partial_matches_come_ranked_by_how_much_of_the_query_they_cover(api_client):
    three = ResourceFactory(name="鸿蒙 开发板 传感器")
    two = ResourceFactory(name="鸿蒙 开发板")
    one = ResourceFactory(name="鸿蒙")
    ResourceFactory(name="无关资源")

    body = api_client.get(URL, {"q": "鸿蒙 开发板 传感器 毫米波"}).json()

    assert [hit["id"] for hit in body["results"]] == [pk(three), pk(two), pk(one)]
    assert body["matched"] == "some"


def test_resources_matching_every_term_come_before_partial_ones(api_client):
    every = ResourceFactory(name="昇腾 算力券")
    ResourceFactory(name="昇腾 开发板")

    assert found(api_client, "昇腾 算力券")[0] == pk(every)


# Traditional characters, typos, synonyms --------------------------------------------------------


@pytest.mark.parametrize(("q", "name"), [("資料集", "交通资料集"), ("作業系統", "实时操作系统")])
def test_traditional_characters_find_simplified_text(api_client, q, name):
    resource = ResourceFactory(name=name, resource_type="data")

    assert found(api_client, q) == [pk(resource)]


def test_a_one_character_typo_in_a_chinese_word_still_finds_it_below_exact_matches(api_client):
    exact_typo = ResourceFactory(name="操做系统迁移工具")  # the typo, written as such
    right = ResourceFactory(name="鸿蒙操作系统")

    assert found(api_client, "操做系统") == [pk(exact_typo), pk(right)]


@pytest.mark.parametrize("q", ["智能座仓", "大模形"])
def test_a_typo_that_splits_a_word_still_finds_it(api_client, q):
    cockpit = ResourceFactory(name="智能座舱 SoC 芯片", resource_type="chip")
    model = ResourceFactory(name="金融大模型投研助手", resource_type="algorithm")

    assert found(api_client, q) == [pk(cockpit if q == "智能座仓" else model)]


@pytest.mark.parametrize("q", ["tensorflw", "tensorfolw", "tensorfloww"])
def test_one_letter_wrong_in_a_latin_word_of_five_or_more_still_finds_it(api_client, q):
    resource = ResourceFactory(name="TensorFlow 训练环境", name_en="TensorFlow training")
    ResourceFactory(name="PyTorch 训练环境", name_en="PyTorch training")

    assert found(api_client, q) == [pk(resource)]


def test_a_short_latin_word_is_not_stretched_to_a_neighbour(api_client):
    ResourceFactory(name="GPU 算力", name_en="GPU compute")

    assert found(api_client, "gpx") == []


@pytest.mark.parametrize(
    ("q", "name"), [("HarmonyOS", "鸿蒙设备"), ("主机", "GPU 云服务器"), ("资料", "气象数据")]
)
def test_the_starter_synonyms_find_colloquial_and_english_words(api_client, q, name):
    resource = ResourceFactory(name=name)

    assert found(api_client, q) == [pk(resource)]


def test_a_name_hit_ranks_above_a_description_hit(api_client):
    described = ResourceFactory(name="通用资源", description="支持昇腾加速卡")
    named = ResourceFactory(name="昇腾加速卡", description="通用")

    assert found(api_client, "昇腾")[:2] == [pk(named), pk(described)]


# Input no engine should choke on ----------------------------------------------------------------


@pytest.mark.parametrize(
    "q",
    [
        '"算力',
        "type:compute",
        "(算力",
        "算*",
        "算力~2",
        "AND OR NOT",
        "\\",
        '+-&&||!(){}[]^"~*?:/',
        "？！。，、",
        "的 了 吗",
        "the of and",
    ],
)
def test_query_syntax_punctuation_stop_words_and_surrogates_are_searched_as_text(api_client, q):
    ResourceFactory(name="GPU 算力")

    response = api_client.get(URL, {"q": q})

    assert response.status_code == 200, response.content
    assert isinstance(response.json()["results"], list)


@pytest.mark.parametrize("encoded", ["%ED%A0%80%E7%AE%97%E5%8A%9B", "%E7%AE%97%E5%8A%9B%ED%BF%BF"])
def test_a_lone_surrogate_in_q_is_searched_as_text(api_client, encoded):
    resource = ResourceFactory(name="GPU 算力")

    response = api_client.get(f"{URL}?q={encoded}")

    assert response.status_code == 200, response.content
    assert ids(response) == [pk(resource)]


@pytest.mark.parametrize("q", ["算" * 10_000, "算力\x00", "\x00"])
def test_an_overlong_query_or_a_nul_is_a_400_naming_q(api_client, q):
    assert_problem(api_client.get(URL, {"q": q}), 400, attr="q")


def test_a_description_with_one_enormous_word_is_indexed_without_it(api_client):
    resource = ResourceFactory(name="长词资源", description="a" * 5000 + " 昇腾")

    assert found(api_client, "昇腾") == [pk(resource)]
    assert found(api_client, "a" * 200) == []  # longer than a word the index keeps
