"""Reading the lists: a batch's entries filtered on what was listed (the snapshot), an entry as
listed and as it is now, a resource's listings and ETag, and the resource search's ``batch``."""

from typing import Any

import pytest

from openness import services
from openness.models import Batch, Entry
from registry import services as registry_services
from tests.api_cases import assert_problem, rows
from tests.factories import VALID_ATTRIBUTES, PlatformFactory
from tests.openness.helpers import active_resource, curator_user, published_batch

pytestmark = pytest.mark.django_db


class Lists:
    """Batch 1 published with five resources of two platforms; one later withdrawn, one rejected.
    Batch 2 published with two of them again."""

    def __init__(self) -> None:
        self.curator = curator_user()
        a = PlatformFactory(slug="platform-a", name="甲平台科技有限公司", name_en="Alpha Cloud")
        b = PlatformFactory(slug="platform-b", name="乙平台科技有限公司", name_en="Beta Data")
        self.guangdong = active_resource(
            a,
            resource_type="compute",
            name="广州智算中心",
            name_en="Guangzhou AI Compute",
            regions=["440000"],
            industries=["I"],
            access_model="free_quota",
            tags=["gpu"],
        )
        self.beijing = active_resource(
            b,
            resource_type="data",
            name="北京交通数据集",
            name_en="Beijing Traffic Dataset",
            regions=["110000"],
            industries=["C"],
            access_model="open",
        )
        self.nationwide = active_resource(
            a,
            resource_type="algorithm",
            name="通用大模型",
            name_en="General LLM",
            nationwide=True,
            regions=[],
            industries=["C", "I"],
            access_model="paid",
        )
        self.shanghai = active_resource(
            b,
            resource_type="chip",
            name="上海开发板",
            name_en="Shanghai Dev Board",
            regions=["310000"],
            industries=["C"],
            access_model="application",
        )
        self.rejected = active_resource(a, resource_type="terminal", name="被拒终端")
        self.first = published_batch(
            self.curator,
            [self.guangdong, self.beijing, self.nationwide, self.shanghai],
            rejected=[self.rejected],
        )
        self.withdrawn = services.entry_withdraw(
            actor=self.curator,
            entry_id=self.entry(self.first, self.shanghai).pk,
            reason="停止开放",
        )
        self.second = published_batch(self.curator, [self.nationwide, self.beijing])

    def entry(self, batch: Batch, resource: Any) -> Entry:
        return Entry.objects.get(batch=batch, resource=resource)

    def url(self, batch: Batch) -> str:
        return f"/api/v1/batches/{batch.number}/entries/"


@pytest.fixture
def lists() -> Lists:
    return Lists()


def names(response: Any) -> list[str]:
    return [entry["name"] for entry in rows(response)]


# A batch's entries -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["广州智算中心", "北京交通数据集", "通用大模型"]),
        ({"status": "withdrawn"}, ["上海开发板"]),
        (
            {"status": "listed,withdrawn"},
            ["广州智算中心", "北京交通数据集", "通用大模型", "上海开发板"],
        ),
        ({"type": "data"}, ["北京交通数据集"]),
        ({"type": ["compute", "algorithm"]}, ["广州智算中心", "通用大模型"]),
        ({"type": "chip"}, []),
        ({"type": "chip", "status": "withdrawn"}, ["上海开发板"]),
        ({"platform": "platform-b"}, ["北京交通数据集"]),
        ({"platform": "platform-a,platform-b"}, ["广州智算中心", "北京交通数据集", "通用大模型"]),
        ({"region": "440000"}, ["广州智算中心", "通用大模型"]),  # nationwide matches every region
        ({"region": "110000"}, ["北京交通数据集", "通用大模型"]),
        ({"region": "310000"}, ["通用大模型"]),
        ({"region": "310000", "status": "withdrawn"}, ["上海开发板"]),
        ({"region": "440000,110000"}, ["广州智算中心", "北京交通数据集", "通用大模型"]),
        ({"industry": "C"}, ["北京交通数据集", "通用大模型"]),
        ({"industry": "I"}, ["广州智算中心", "通用大模型"]),
        ({"access_model": "open"}, ["北京交通数据集"]),
        ({"access_model": "paid,free_quota"}, ["广州智算中心", "通用大模型"]),
        ({"q": "大模型"}, ["通用大模型"]),
        ({"q": "beijing DATASET"}, ["北京交通数据集"]),  # every term, any case
        ({"q": "beijing compute"}, []),
        ({"q": "gpu"}, ["广州智算中心"]),  # tags
        ({"q": "乙平台"}, ["北京交通数据集"]),  # the platform's name
        ({"type": "compute", "region": "110000"}, []),  # filters combine
    ],
    ids=lambda value: str(value) if not isinstance(value, list) else "",
)
def test_a_batch_entries_list_filters_on_what_was_listed(api_client, lists, params, expected):
    assert names(api_client.get(lists.url(lists.first), params)) == expected


def test_the_filters_keep_matching_the_snapshot_after_the_resource_changes(api_client, lists):
    registry_services.resource_update(
        actor=lists.curator,
        resource_id=lists.guangdong.pk,
        data={"name": "深圳智算中心", "regions": ["110000"], "access_model": "open"},
        if_match=None,
    )
    url = lists.url(lists.first)
    assert "广州智算中心" in names(api_client.get(url, {"region": "440000"}))
    assert "广州智算中心" not in names(api_client.get(url, {"region": "110000"}))
    assert names(api_client.get(url, {"q": "广州"})) == ["广州智算中心"]
    assert names(api_client.get(url, {"q": "深圳"})) == []
    assert names(api_client.get(url, {"access_model": "free_quota"})) == ["广州智算中心"]


def test_entries_come_in_their_numbered_order_with_citations(api_client, lists):
    listed = rows(api_client.get(lists.url(lists.first), {"status": "listed,withdrawn"}))
    assert [(e["sequence"], e["citation"]) for e in listed] == [
        (n, f"batch-{lists.first.number}/{n}") for n in (1, 2, 3, 4)
    ]
    second = rows(api_client.get(lists.url(lists.second)))
    assert [(e["name"], e["citation"]) for e in second] == [
        ("通用大模型", f"batch-{lists.second.number}/1"),
        ("北京交通数据集", f"batch-{lists.second.number}/2"),
    ]


def test_the_entries_list_pages_by_cursor(api_client, lists):
    url = lists.url(lists.first)
    first = api_client.get(url, {"page_size": 2, "status": "listed,withdrawn"}).json()
    assert [e["sequence"] for e in first["results"]] == [1, 2]
    second = api_client.get(first["next"]).json()
    assert [e["sequence"] for e in second["results"]] == [3, 4]
    assert second["next"] is None


@pytest.mark.parametrize(
    "params",
    [{"colour": "blue"}, {"type": "spaceship"}, {"region": "999999"}, {"status": "gone"}],
    ids=["unknown parameter", "type", "region", "status"],
)
def test_an_unknown_parameter_or_value_on_the_entries_list_is_a_400_naming_it(
    api_client, lists, params
):
    response = api_client.get(lists.url(lists.first), params)
    assert_problem(response, 400, attr=next(iter(params)))


def test_a_rejected_entry_is_listed_only_to_its_platform_and_curators(api_client, lists):
    url = lists.url(lists.first)
    assert "被拒终端" not in names(api_client.get(url, {"status": "rejected"}))
    api_client.force_login(lists.curator)
    assert names(api_client.get(url, {"status": "rejected"})) == ["被拒终端"]


# An entry --------------------------------------------------------------------------------------


def test_an_entry_shows_the_snapshot_and_the_current_resource_unchanged_at_listing(
    api_client, lists
):
    entry = lists.entry(lists.first, lists.guangdong)
    body = api_client.get(f"/api/v1/entries/{entry.pk}/").json()
    assert body["id"] == entry.pk
    assert body["url"] == f"http://testserver/api/v1/entries/{entry.pk}/"
    assert body["batch"] == lists.first.number
    assert body["resource"] == str(lists.guangdong.pk)
    assert (body["sequence"], body["citation"], body["status"]) == (
        1,
        f"batch-{lists.first.number}/1",
        "listed",
    )
    assert body["platform"] == "platform-a"
    assert body["snapshot"]["name"] == "广州智算中心"
    assert body["snapshot"]["platform"] == {
        "slug": "platform-a",
        "name": "甲平台科技有限公司",
        "name_en": "Alpha Cloud",
    }
    assert body["snapshot"]["regions"] == ["440000"]
    assert body["snapshot"]["version"] == 1
    assert body["current"] == {
        "url": f"http://testserver/api/v1/resources/{lists.guangdong.pk}/",
        "version": 1,
        "changed": False,
    }


def test_an_entry_shows_the_change_since_listing_while_its_snapshot_stays(api_client, lists):
    entry = lists.entry(lists.first, lists.guangdong)
    url = f"/api/v1/entries/{entry.pk}/"
    listed = api_client.get(url).json()
    registry_services.resource_update(
        actor=lists.curator,
        resource_id=lists.guangdong.pk,
        data={
            "name": "深圳智算中心",
            "attributes": {**VALID_ATTRIBUTES["compute"], "accelerator_model": "H20"},
        },
        if_match=None,
    )
    body = api_client.get(url).json()
    assert body["current"] == {**listed["current"], "version": 2, "changed": True}
    assert body["snapshot"] == listed["snapshot"]
    assert body["name"] == "广州智算中心"
    live = api_client.get(body["current"]["url"]).json()
    assert (live["name"], live["version"]) == ("深圳智算中心", 2)


def test_a_withdrawn_entry_stays_readable_by_id_with_its_reason(api_client, lists):
    body = api_client.get(f"/api/v1/entries/{lists.withdrawn.pk}/").json()
    assert (body["status"], body["reason"], body["sequence"]) == ("withdrawn", "停止开放", 4)
    assert body["withdrawn_by"] == "curator"
    assert body["withdrawn_at"] is not None
    assert body["snapshot"]["name"] == "上海开发板"


# The resource side -----------------------------------------------------------------------------


def test_a_resource_detail_lists_its_listings_in_batch_order(api_client, lists):
    body = api_client.get(f"/api/v1/resources/{lists.beijing.pk}/").json()
    first, second = (
        lists.entry(lists.first, lists.beijing),
        lists.entry(lists.second, lists.beijing),
    )
    assert body["listings"] == [
        {
            "batch": lists.first.number,
            "sequence": 2,
            "citation": f"batch-{lists.first.number}/2",
            "status": "listed",
            "url": f"http://testserver/api/v1/entries/{first.pk}/",
        },
        {
            "batch": lists.second.number,
            "sequence": 2,
            "citation": f"batch-{lists.second.number}/2",
            "status": "listed",
            "url": f"http://testserver/api/v1/entries/{second.pk}/",
        },
    ]
    assert body["listed_at"] is not None


def test_submissions_and_rejections_are_not_listings(api_client, lists):
    body = api_client.get(f"/api/v1/resources/{lists.rejected.pk}/").json()
    assert body["listings"] == []
    assert body["listed_at"] is None


def test_withdrawing_an_entry_changes_the_resource_etag_though_not_its_version(api_client, lists):
    url = f"/api/v1/resources/{lists.guangdong.pk}/"
    before = api_client.get(url)
    etag = before["ETag"]
    assert api_client.get(url, headers={"If-None-Match": etag}).status_code == 304

    services.entry_withdraw(
        actor=lists.curator,
        entry_id=lists.entry(lists.first, lists.guangdong).pk,
        reason="停止开放",
    )

    after = api_client.get(url, headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert after["ETag"] != etag
    assert after.json()["version"] == before.json()["version"]
    assert [listing["status"] for listing in after.json()["listings"]] == ["withdrawn"]


@pytest.mark.parametrize(
    ("batch", "expected"),
    [
        ("first", ["北京交通数据集", "广州智算中心", "通用大模型"]),  # not the withdrawn one
        ("second", ["北京交通数据集", "通用大模型"]),
        ("both", ["北京交通数据集", "广州智算中心", "通用大模型"]),
        ("none", []),
    ],
)
def test_the_resource_search_filters_by_batch(api_client, lists, batch, expected):
    value = {
        "first": str(lists.first.number),
        "second": str(lists.second.number),
        "both": f"{lists.first.number},{lists.second.number}",
        "none": "99",
    }[batch]
    response = api_client.get("/api/v1/resources/", {"batch": value, "ordering": "name"})
    assert sorted(r["name"] for r in rows(response)) == sorted(expected)


@pytest.mark.parametrize("value", ["abc", "-1", "1.5"])
def test_an_invalid_batch_in_the_resource_search_is_a_400(api_client, lists, value):
    assert_problem(api_client.get("/api/v1/resources/", {"batch": value}), 400, attr="batch")
