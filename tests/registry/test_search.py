"""Searching the registry as an SME does (issue 6), through the API: synonyms (shipped and added
by curators), relevance order, highlights, suggestions, documents kept current, facets over the
hits, batch entries' ``q``, and the search a new user tries first.

Every resource's search document also holds its type's names and its platform's names (weight
B): the compute type is "算力 / Computing power", so a synonym of 算力 finds every compute
resource. Tests that are about a resource's own text use types whose names do not match.
"""

import json
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

import registry
from registry import services
from registry.models import Resource, SynonymGroup
from registry.search import ensure_current
from registry.search.query import forget_synonyms
from tests.api_cases import assert_problem, ids, rows, signed_in
from tests.factories import VALID_ATTRIBUTES, ResourceFactory, UserFactory
from tests.openness.helpers import active_resource, curator_user, published_batch
from tests.query_counts import SEARCH_LOG

pytestmark = pytest.mark.django_db

URL = "/api/v1/resources/"
SUGGEST = "/api/v1/resources/suggest/"
SHIPPED_SYNONYMS = json.loads(
    (Path(registry.__file__).parent / "data" / "synonyms.json").read_text(encoding="utf-8")
)


def found(client: APIClient, params: dict[str, Any]) -> list[str]:
    """The ids the search lists, in its order."""
    return ids(client.get(URL, params))


def id_list(*resources: Resource) -> list[str]:
    return [str(resource.pk) for resource in resources]


def touched(resource: Resource, minutes_ago: int) -> Resource:
    """``resource`` as if last updated ``minutes_ago`` (``updated_at`` is set on every save)."""
    Resource.objects.filter(pk=resource.pk).update(
        updated_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return resource


# Synonyms --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "group", SHIPPED_SYNONYMS, ids=[group["note"] for group in SHIPPED_SYNONYMS]
)
def test_every_term_of_a_shipped_synonym_group_finds_resources_named_with_any_other(
    api_client, group
):
    # Algorithm resources: "算法与模型 / Algorithms and models" matches none of the groups.
    named = {
        term: ResourceFactory(resource_type="algorithm", name=f"{term} 开发者套件", name_en="")
        for term in group["terms"]
    }
    ResourceFactory(resource_type="algorithm", name="工业缺陷检测", name_en="Defect inspection")
    for term in group["terms"]:
        assert sorted(found(api_client, {"q": term})) == sorted(id_list(*named.values())), term


def test_the_shipped_synonym_groups_are_in_the_database_for_curators_to_edit():
    shipped = {tuple(group["terms"]) for group in SHIPPED_SYNONYMS}
    assert shipped <= {tuple(group.term_list()) for group in SynonymGroup.objects.all()}


@pytest.fixture
def admin_client(client, curator):
    client.force_login(curator)
    yield client
    forget_synonyms()  # the group added here is rolled back; so must the process's copy be


def test_a_curator_adds_synonyms_in_the_admin_and_the_next_search_uses_them(
    api_client, admin_client
):
    robot = ResourceFactory(resource_type="algorithm", name="人形机器人开发机", name_en="")
    assert found(api_client, {"q": "具身智能"}) == []

    response = admin_client.post(
        "/admin/registry/synonymgroup/add/",
        {"terms": "具身智能\n人形机器人\nembodied AI", "note": "robots", "active": "on"},
    )

    assert response.status_code == 302, response.content
    assert SynonymGroup.objects.filter(note="robots").exists()
    assert found(api_client, {"q": "具身智能"}) == id_list(robot)
    assert found(api_client, {"q": "Embodied AI"}) == id_list(robot)


def test_a_synonym_group_a_curator_turns_off_no_longer_expands_searches(api_client, admin_client):
    chip = ResourceFactory(resource_type="algorithm", name="RISC-V处理器IP核", name_en="")
    group = SynonymGroup.objects.get(terms__startswith="芯片")
    assert found(api_client, {"q": "芯片"}) == id_list(chip)

    response = admin_client.post(
        f"/admin/registry/synonymgroup/{group.pk}/change/",
        {"terms": group.terms, "note": group.note},  # "active" unticked
    )

    assert response.status_code == 302, response.content
    assert found(api_client, {"q": "芯片"}) == []


# Ranking ---------------------------------------------------------------------------------------


def test_with_q_a_name_hit_ranks_above_a_more_recent_description_only_hit(api_client):
    in_name = touched(ResourceFactory(resource_type="chip", name="B 昇腾算力券", name_en=""), 60)
    in_description = ResourceFactory(
        resource_type="chip", name="A 云主机", name_en="", description="含算力调度服务"
    )
    assert found(api_client, {"q": "算力"}) == id_list(in_name, in_description)


def test_with_q_equally_relevant_hits_come_most_recently_updated_first(api_client):
    # Hours apart: recency breaks ties to within about an hour (registry.search.index.recency).
    older = touched(ResourceFactory(resource_type="chip", name="昇腾算力券", name_en=""), 300)
    newer = touched(ResourceFactory(resource_type="chip", name="昇腾算力券", name_en=""), 5)
    oldest = touched(ResourceFactory(resource_type="chip", name="昇腾算力券", name_en=""), 6000)
    assert found(api_client, {"q": "算力"}) == id_list(newer, older, oldest)


def test_an_explicit_ordering_overrides_relevance(api_client):
    in_name = ResourceFactory(resource_type="chip", name="B 昇腾算力券", name_en="")
    in_description = ResourceFactory(
        resource_type="chip", name="A 云主机", name_en="", description="含算力调度服务"
    )
    assert found(api_client, {"q": "算力", "ordering": "name"}) == id_list(in_description, in_name)
    assert found(api_client, {"q": "算力", "ordering": "relevance"}) == id_list(
        in_name, in_description
    )


def test_following_next_through_relevance_ordered_hits_visits_each_once_in_order(api_client):
    for n in range(4):
        ResourceFactory(resource_type="chip", name=f"昇腾算力券{n}", name_en="")
        ResourceFactory(resource_type="chip", name=f"云主机{n}", summary="普惠算力", name_en="")
        ResourceFactory(resource_type="chip", name=f"开发板{n}", description="算力", name_en="")
    whole = found(api_client, {"q": "算力", "page_size": 100})
    walked: list[str] = []
    response = api_client.get(URL, {"q": "算力", "page_size": 5})
    for _page in range(len(whole)):  # a next link that repeats its page would loop forever
        walked += ids(response)
        if response.json()["next"] is None:
            break
        response = api_client.get(response.json()["next"])
    assert len(whole) == 12
    assert walked == whole


def test_ordering_by_relevance_without_q_is_a_400_naming_ordering(api_client):
    assert_problem(api_client.get(URL, {"ordering": "relevance"}), 400, attr="ordering")
    assert_problem(api_client.get(URL, {"ordering": "relevance", "q": " "}), 400, attr="ordering")


# Highlights ------------------------------------------------------------------------------------


def test_highlights_mark_the_matched_terms_and_escape_everything_else(api_client):
    voucher = ResourceFactory(
        resource_type="chip",
        name="昇腾算力券 <限时>",
        name_en="Ascend Compute Voucher",
        summary="面向中小企业的普惠算力 & 存储",
    )
    body = api_client.get(URL, {"q": "算力", "highlight": "true"}).json()
    assert list(body["highlights"]) == [str(voucher.pk)]
    marked = body["highlights"][str(voucher.pk)]
    assert marked["name"] == "昇腾<mark>算力</mark>券 &lt;限时&gt;"
    assert marked["name_en"] == "Ascend <mark>Compute</mark> Voucher"  # a synonym of 算力
    assert "普惠<mark>算力</mark> &amp; 存储" in marked["snippet"]


def test_a_highlight_snippet_keeps_the_texts_own_capitals(api_client):
    voucher = ResourceFactory(
        resource_type="chip",
        name="昇腾代金券",
        name_en="",
        summary="",
        summary_en="Ascend Compute Vouchers for SMEs in Guangdong",
    )
    marked = api_client.get(URL, {"q": "compute", "highlight": "true"}).json()["highlights"]
    assert marked[str(voucher.pk)]["snippet"] == (
        "Ascend <mark>Compute</mark> Vouchers for SMEs in Guangdong"
    )


def test_highlights_cover_exactly_the_hits_on_the_page(api_client):
    hits = [ResourceFactory(resource_type="chip", name=f"算力券{n}", name_en="") for n in range(3)]
    ResourceFactory(resource_type="chip", name="开发板", name_en="")
    body = api_client.get(URL, {"q": "算力", "highlight": "true", "page_size": 2}).json()
    assert set(body["highlights"]) == {row["id"] for row in body["results"]}
    assert set(body["highlights"]) < set(id_list(*hits))


def test_without_highlight_true_there_are_no_highlights(api_client):
    ResourceFactory(resource_type="chip", name="昇腾算力券")
    assert "highlights" not in api_client.get(URL, {"q": "算力"}).json()
    assert "highlights" not in api_client.get(URL, {"q": "算力", "highlight": "false"}).json()
    assert "highlights" not in api_client.get(URL, {"highlight": "true"}).json()


def test_a_highlight_that_is_not_a_boolean_is_a_400_naming_highlight(api_client):
    assert_problem(api_client.get(URL, {"q": "算力", "highlight": "maybe"}), 400, attr="highlight")


# Suggestions -----------------------------------------------------------------------------------


@pytest.fixture
def typed_suan(platform_a, platform_b):
    """Things starting with or containing 算: a tag, a platform, resource names; and a draft of
    platform B, and a compute resource whose name does not contain 算 (its type's name does)."""
    platform_a.name = "算力互联科技有限公司"
    platform_a.save()
    ResourceFactory(platform=platform_a, resource_type="chip", name="昇腾开发板", tags=["算力券"])
    ResourceFactory(platform=platform_a, resource_type="algorithm", name="大模型推理算力包")
    ResourceFactory(platform=platform_b, resource_type="algorithm", name="算法草稿", status="draft")
    ResourceFactory(platform=platform_b, resource_type="compute", name="GPU云主机")


def suggestions(client: APIClient, q: str) -> list[tuple[str, str]]:
    response = client.get(SUGGEST, {"q": q})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["q"] == q
    return [(item["kind"], item["text"]) for item in body["suggestions"]]


@pytest.mark.usefixtures("typed_suan")
def test_suggestions_complete_what_was_typed_from_tags_platforms_and_resource_names(api_client):
    assert sorted(suggestions(api_client, "算")) == [
        ("platform", "算力互联科技有限公司"),
        ("resource", "大模型推理算力包"),
        ("tag", "算力券"),
    ]


def test_every_suggestion_contains_what_was_typed(api_client, platform_a):
    ResourceFactory(platform=platform_a, resource_type="compute", name="GPU云主机")
    ResourceFactory(platform=platform_a, resource_type="compute", name="昇腾算力券")
    assert suggestions(api_client, "算") == [("resource", "昇腾算力券")]


def test_a_platform_typed_in_english_is_suggested_by_its_english_name(api_client, platform_a):
    platform_a.name_en = "Galaxy Compute"
    platform_a.save()
    assert suggestions(api_client, "gal") == [("platform", "Galaxy Compute")]


def test_suggestions_stop_at_ten(api_client):
    for n in range(14):
        ResourceFactory(resource_type="chip", name=f"算力券{n:02d}", tags=[f"算力{n:02d}"])
    assert len(suggestions(api_client, "算力")) == 10


def test_a_tag_only_drafts_carry_is_not_suggested(api_client, platform_a):
    ResourceFactory(platform=platform_a, resource_type="chip", tags=["算力草稿"], status="draft")
    ResourceFactory(platform=platform_a, resource_type="chip", name="开发板", tags=["算力券"])
    assert suggestions(api_client, "算力") == [("tag", "算力券")]


def test_the_tags_more_resources_carry_are_suggested_first(api_client, platform_a):
    for tags in (["算力包", "算力券"], ["算力券"], ["算力券", "算力卡"], ["算力卡"]):
        ResourceFactory(platform=platform_a, resource_type="chip", name="开发板", tags=tags)
    assert suggestions(api_client, "算力") == [
        ("tag", "算力券"),
        ("tag", "算力卡"),
        ("tag", "算力包"),
    ]


@pytest.mark.usefixtures("typed_suan")
def test_another_platforms_drafts_are_never_suggested(platform_a):
    publisher = UserFactory(username="publisher-a")
    platform_a.members.add(publisher)
    for client in (APIClient(), signed_in(publisher)):
        assert "算法草稿" not in [text for _kind, text in suggestions(client, "算")]


@pytest.mark.parametrize(
    "params",
    [{}, {"q": ""}, {"q": "   "}, {"q": "算" * 101}],
    ids=["missing", "empty", "blank", "long"],
)
def test_suggestions_need_1_to_100_characters(api_client, params):
    assert_problem(api_client.get(SUGGEST, params), 400, attr="q")


def test_suggestions_of_100_characters_are_answered(api_client):
    assert suggestions(api_client, "算" * 100) == []


def test_an_unknown_parameter_to_suggestions_is_a_400_naming_it(api_client):
    assert_problem(api_client.get(SUGGEST, {"q": "算", "limit": "5"}), 400, attr="limit")


@pytest.mark.parametrize("count", [1, 30])
def test_suggestions_take_two_queries_however_much_matches(
    api_client, django_assert_max_num_queries, count
):
    for n in range(count):
        ResourceFactory(resource_type="chip", name=f"算力券{n:02d}", tags=[f"算力{n:02d}"])
    ensure_current()
    # The platforms' names; tags and resource names come from the index (in a test process
    # after a look at the change log).
    with django_assert_max_num_queries(1 + SEARCH_LOG):
        assert suggestions(api_client, "算")


# Documents kept current ------------------------------------------------------------------------


def test_after_a_rename_through_the_api_q_finds_the_new_name_and_not_the_old(platform_a):
    publisher = UserFactory(username="publisher")
    platform_a.members.add(publisher)
    resource = ResourceFactory(
        platform=platform_a,
        resource_type="chip",
        name="龙芯开发板",
        name_en="",
        summary="面向中小企业",
        contact="sme@example.cn",
    )
    client = signed_in(publisher)
    assert found(client, {"q": "龙芯"}) == id_list(resource)

    response = client.patch(
        f"{URL}{resource.pk}/",
        {"name": "飞腾评测样机"},
        format="json",
        headers={"If-Match": f'"{resource.version}"'},
    )

    assert response.status_code == 200, response.content
    assert found(client, {"q": "飞腾"}) == id_list(resource)
    assert found(client, {"q": "龙芯"}) == []


def test_after_a_platform_is_renamed_q_finds_its_resources_by_the_new_name(
    api_client, curator, platform_a, platform_b
):
    mine = ResourceFactory(platform=platform_a, resource_type="chip")
    ResourceFactory(platform=platform_b, resource_type="chip")
    assert found(api_client, {"q": "星河"}) == []

    services.platform_update(
        actor=curator,
        platform_id=platform_a.pk,
        data={"name": "星河算力科技有限公司", "name_en": "Galaxy Compute"},
    )

    assert found(api_client, {"q": "星河"}) == id_list(mine)
    assert found(api_client, {"q": "galaxy"}) == id_list(mine)
    assert str(mine.pk) not in found(api_client, {"q": "甲平台"})


def test_a_resource_created_through_the_api_is_found_at_once(platform_a):
    publisher = UserFactory(username="publisher")
    platform_a.members.add(publisher)
    client = signed_in(publisher)
    response = client.post(
        URL,
        {
            "platform": "platform-a",
            "resource_type": "chip",
            "name": "飞腾评测样机",
            "access_model": "free_quota",
            "tags": ["信创"],
            "attributes": VALID_ATTRIBUTES["chip"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    draft = response.json()["id"]
    assert found(client, {"q": "信创", "status": "draft"}) == [draft]


def test_rebuild_search_index_writes_an_index_that_finds_every_resource(
    api_client, settings, tmp_path
):
    settings.SEARCH_INDEX_DIR = str(tmp_path / "index")
    chip = ResourceFactory(resource_type="chip", name="RISC-V开发板", name_en="")
    assert api_client.get("/api/v1/resources/", {"q": "RISC-V"}).status_code == 503

    output = StringIO()
    call_command("rebuild_search_index", "--no-progress", stdout=output)

    assert found(api_client, {"q": "RISC-V"}) == id_list(chip)
    assert found(api_client, {"q": "risc"}) == id_list(chip)
    assert output.getvalue().strip() == f"Indexed 1 resources in {tmp_path / 'index'}."


# Facets and batch entries ----------------------------------------------------------------------


def test_facet_counts_are_over_the_resources_q_finds(api_client):
    ResourceFactory(resource_type="chip", name="RISC-V开发板")
    ResourceFactory(resource_type="algorithm", name="RISC-V编译器优化")
    ResourceFactory(resource_type="chip", name="龙芯处理器")

    def type_counts(params: dict[str, Any]) -> dict[str, int]:
        body = api_client.get(URL, {**params, "facets": "type"}).json()
        return {bucket["value"]: bucket["count"] for bucket in body["facets"]["type"]}

    assert type_counts({}) == {"chip": 2, "algorithm": 1}
    assert type_counts({"q": "RISC-V"}) == {"chip": 1, "algorithm": 1}
    assert type_counts({"q": "RISC-V", "type": "chip"}) == {"chip": 1, "algorithm": 1}


def test_a_batchs_entries_are_found_by_a_synonym_of_what_was_listed(api_client, platform_a):
    curator = curator_user()
    llm = active_resource(platform_a, resource_type="algorithm", name="通用LLM推理服务")
    active_resource(platform_a, resource_type="data", name="北京交通数据集")
    batch = published_batch(curator, [llm, *Resource.objects.exclude(pk=llm.pk)])
    url = f"/api/v1/batches/{batch.number}/entries/"

    for q in ("大模型", "large language model", "LLM"):
        assert [entry["name"] for entry in rows(api_client.get(url, {"q": q}))] == [
            "通用LLM推理服务"
        ], q
    assert [entry["name"] for entry in rows(api_client.get(url, {"q": "dataset"}))] == [
        "北京交通数据集"
    ]


# The search a new user tries -------------------------------------------------------------------


def test_gpu_compute_in_guangdong_lists_guangdong_and_nationwide_compute_first_with_counts(
    api_client,
):
    in_guangdong = ResourceFactory(
        resource_type="compute", name="GPU算力券（广州）", name_en="", regions=["440000"]
    )
    nationwide = ResourceFactory(
        resource_type="compute",
        name="昇腾910B智算集群",
        name_en="",
        summary="面向中小企业的普惠算力",
        nationwide=True,
    )
    mentions_it = ResourceFactory(
        resource_type="algorithm",
        name="工业质检模型",
        name_en="",
        description="训练使用自有GPU算力",
        regions=["440000"],
    )
    ResourceFactory(
        resource_type="compute", name="GPU算力券（北京）", name_en="", regions=["110000"]
    )
    ResourceFactory(resource_type="data", name="交通流量数据集", name_en="", regions=["440000"])

    response = api_client.get(
        URL, {"q": "GPU算力", "region": "440000", "facets": "type", "highlight": "true"}
    )

    assert ids(response) == id_list(in_guangdong, nationwide, mentions_it)
    body = response.json()
    assert {bucket["value"]: bucket["count"] for bucket in body["facets"]["type"]} == {
        "compute": 2,
        "algorithm": 1,
    }
    assert body["highlights"][str(in_guangdong.pk)]["name"] == (
        "<mark>GPU</mark><mark>算力</mark>券（广州）"
    )


@pytest.mark.parametrize(
    ("since", "expected"),
    [("0421-01-05T19:14:11+11:37", "all"), ("9999-12-31T23:59:59+00:00", "none")],
    ids=["before-the-engine-dates", "after-them"],
)
def test_a_search_since_a_moment_the_engine_cannot_hold_answers_instead_of_failing(
    api_client, since, expected
):
    """The fuzzer's find: ``q`` with ``updated_since`` in year 421 was a 500 (the index holds
    dates from 1678 to 2262 only)."""
    resource = ResourceFactory(name="昇腾算力")
    response = api_client.get(URL, {"q": "算力", "updated_since": since})
    assert response.status_code == 200
    assert ids(response) == (id_list(resource) if expected == "all" else [])
