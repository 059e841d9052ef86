"""The diff of two published batches, against an expectation worked out by hand."""

from datetime import datetime
from typing import Any

import pytest

from core.models import ChangeRecord, Event
from openness import services
from registry import services as registry_services
from tests.api_cases import assert_problem
from tests.factories import VALID_ATTRIBUTES, PlatformFactory
from tests.openness.helpers import (
    active_resource,
    curator_user,
    open_batch,
    published_batch,
    submit,
)

pytestmark = pytest.mark.django_db

CHANGED_ATTRIBUTES = {
    **VALID_ATTRIBUTES["compute"],
    "accelerator_model": "H20",
    "capacity_pflops": 40,
}

RESOURCE_KEYS = {"resource", "name", "citation"}
CHANGED_KEYS = RESOURCE_KEYS | {"against_citation", "changes"}
WITHDRAWN_KEYS = RESOURCE_KEYS | {"withdrawn_from", "withdrawn_citation", "withdrawn_at", "reason"}


class TwoBatches:
    """Each case of the diff of batch 2 against batch 1, once (``openness.diff``):

    ========== ============================== ============================== =====================
    resource   batch 1                        batch 2                        batch 2 against 1
    ========== ============================== ============================== =====================
    kept ×3    1–3                            2–4                            listed again, same
    changed    4                              5 (renamed, attributes)        listed again, changed
    gone       5                              —                              not listed again
    dropped    6                              6, withdrawn                   withdrawn (list)
    retired    7, withdrawn with the resource —                              withdrawn (registry)
    delisted   8, withdrawn                   —                              withdrawn (list)
    relisted   9, withdrawn                   7                              listed again, same
    added      —                              1                              newly listed
    fleeting   —                              8, withdrawn                   none
    ========== ============================== ============================== =====================
    """

    def __init__(self) -> None:
        curator = curator_user()
        platform = PlatformFactory(slug="platform-a", name="甲平台科技有限公司")
        self.kept = [active_resource(platform, name=f"保留资源{n}") for n in (1, 2, 3)]
        self.changed = active_resource(platform, name="改前名称")
        self.gone = active_resource(platform, name="未再申报")
        self.dropped = active_resource(platform, name="第二批撤回")
        self.retired = active_resource(platform, name="平台下线资源")
        self.delisted = active_resource(platform, name="第一批撤回")
        self.relisted = active_resource(platform, name="撤回后再列入")
        self.added = active_resource(platform, name="新增资源")
        self.fleeting = active_resource(platform, name="新增后撤回")
        first_listed = [*self.kept, self.changed, self.gone, self.dropped, self.retired]
        self.first = published_batch(
            curator, [*first_listed, self.delisted, self.relisted], title="第一批"
        )
        for resource in (self.delisted, self.relisted):
            self.withdraw_entry(curator, self.first, resource, "材料过期")
        registry_services.resource_update(
            actor=curator,
            resource_id=self.changed.pk,
            data={"name": "改后名称", "attributes": CHANGED_ATTRIBUTES},
            if_match=None,
        )
        self.second = published_batch(
            curator,
            [self.added, *self.kept, self.changed, self.dropped, self.relisted, self.fleeting],
            title="第二批",
        )
        for resource in (self.dropped, self.fleeting):
            self.withdraw_entry(curator, self.second, resource, "停止开放")
        registry_services.resource_withdraw(
            actor=curator, resource_id=self.retired.pk, reason="平台下线"
        )
        self.open = open_batch(curator, title="第三批")
        submit(self.open, active_resource(platform), curator)
        self.curator = curator

    @staticmethod
    def withdraw_entry(curator: Any, batch: Any, resource: Any, reason: str) -> None:
        entry = batch.entries.get(resource=resource)
        services.entry_withdraw(actor=curator, entry_id=entry.pk, reason=reason)

    def entry(self, batch: Any, resource: Any) -> Any:
        return batch.entries.get(resource=resource)

    def cite(self, batch: Any, resource: Any) -> str:
        return self.entry(batch, resource).citation

    def brief(self, batch: Any, resource: Any, name: str | None = None) -> dict[str, Any]:
        return {
            "resource": str(resource.pk),
            "name": name or resource.name,
            "citation": self.cite(batch, resource),
        }

    def from_list(self, batch: Any, resource: Any, withdrawn: Any) -> dict[str, Any]:
        """A resource of ``batch`` whose entry in ``withdrawn`` was withdrawn from that list."""
        entry = self.entry(withdrawn, resource)
        return {
            **self.brief(batch, resource),
            "withdrawn_from": "list",
            "withdrawn_citation": entry.citation,
            "withdrawn_at": entry.withdrawn_at,
            "reason": entry.reason,
        }


@pytest.fixture
def batches() -> TwoBatches:
    return TwoBatches()


def diff_of(client: Any, batch: Any, against: Any) -> dict[str, Any]:
    response = client.get(f"/api/v1/batches/{batch.number}/diff/", {"against": against.number})
    assert response.status_code == 200, response.content
    body = response.json()
    for item in body["withdrawn"]:
        if item["withdrawn_at"] is not None:
            item["withdrawn_at"] = datetime.fromisoformat(item["withdrawn_at"])
    return body


def test_the_diff_names_each_case_of_batch_2_against_batch_1(api_client, batches):
    first, second = batches.first, batches.second
    body = diff_of(api_client, second, first)
    retirement = ChangeRecord.objects.get(subject_id=str(batches.retired.pk), action="withdrawn")

    assert (body["batch"], body["against"]) == (second.number, first.number)
    assert body["newly_listed"] == [batches.brief(second, batches.added)]
    assert body["listed_again"] == {
        "changed": [
            {
                **batches.brief(second, batches.changed, "改后名称"),
                "against_citation": batches.cite(first, batches.changed),
                "changes": {
                    "attributes": {
                        "before": VALID_ATTRIBUTES["compute"],
                        "after": CHANGED_ATTRIBUTES,
                    },
                    "name": {"before": "改前名称", "after": "改后名称"},
                },
            }
        ],
        "unchanged": 4,  # the three kept, and the one relisted after its withdrawal from batch 1
    }
    assert body["not_listed_again"] == [batches.brief(first, batches.gone)]
    assert body["withdrawn"] == [
        batches.from_list(first, batches.dropped, second),
        {
            **batches.brief(first, batches.retired),
            "withdrawn_from": "registry",
            "withdrawn_citation": None,
            "withdrawn_at": retirement.at,
            "reason": "平台下线",
        },
        batches.from_list(first, batches.delisted, first),
    ]


def test_a_resource_of_the_other_batch_still_active_and_listed_is_not_listed_again(
    api_client, batches
):
    body = diff_of(api_client, batches.second, batches.first)
    [item] = body["not_listed_again"]
    assert item["resource"] == str(batches.gone.pk)
    assert str(batches.gone.pk) not in {item["resource"] for item in body["withdrawn"]}


def test_a_resource_withdrawn_from_the_registry_is_withdrawn_with_when_and_why(api_client, batches):
    body = diff_of(api_client, batches.second, batches.first)
    [item] = [item for item in body["withdrawn"] if item["resource"] == str(batches.retired.pk)]
    assert (item["withdrawn_from"], item["reason"]) == ("registry", "平台下线")
    assert item["withdrawn_at"] is not None


def test_a_resource_whose_entry_in_this_batch_was_withdrawn_is_withdrawn_from_the_list(
    api_client, batches
):
    body = diff_of(api_client, batches.second, batches.first)
    [item] = [item for item in body["withdrawn"] if item["resource"] == str(batches.dropped.pk)]
    assert item["withdrawn_from"] == "list"
    assert item["withdrawn_citation"] == batches.cite(batches.second, batches.dropped)
    assert item["reason"] == "停止开放"


def test_a_resource_withdrawn_from_the_other_batch_and_not_listed_again_is_withdrawn(
    api_client, batches
):
    """The situation of batch 3 against batch 2 in the demo: an entry of batch 2 withdrawn, its
    resource still active and not submitted to batch 3."""
    body = diff_of(api_client, batches.second, batches.first)
    [item] = [item for item in body["withdrawn"] if item["resource"] == str(batches.delisted.pk)]
    assert item["withdrawn_from"] == "list"
    assert item["withdrawn_citation"] == batches.cite(batches.first, batches.delisted)
    assert item["reason"] == "材料过期"


def test_a_resource_newly_listed_and_withdrawn_since_is_in_no_case(api_client, batches):
    body = diff_of(api_client, batches.second, batches.first)
    named = {
        item["resource"]
        for case in ("newly_listed", "not_listed_again", "withdrawn")
        for item in body[case]
    } | {item["resource"] for item in body["listed_again"]["changed"]}
    assert str(batches.fleeting.pk) not in named


def test_the_diff_the_other_way_round(api_client, batches):
    first, second = batches.first, batches.second
    body = diff_of(api_client, first, second)

    assert body["newly_listed"] == [batches.brief(first, batches.gone)]
    [changed] = body["listed_again"]["changed"]
    assert changed["name"] == "改前名称"
    assert changed["changes"]["name"] == {"before": "改后名称", "after": "改前名称"}
    assert (changed["citation"], changed["against_citation"]) == (
        batches.cite(first, batches.changed),
        batches.cite(second, batches.changed),
    )
    assert body["listed_again"]["unchanged"] == 4  # the three kept, and dropped (from batch 2)
    assert body["not_listed_again"] == [batches.brief(second, batches.added)]
    assert body["withdrawn"] == [
        batches.from_list(second, batches.relisted, first),
        batches.from_list(second, batches.fleeting, second),
    ]


def test_a_batch_against_itself_lists_everything_again_unchanged(api_client, batches):
    body = diff_of(api_client, batches.first, batches.first)
    assert (body["newly_listed"], body["not_listed_again"]) == ([], [])
    assert body["listed_again"] == {"changed": [], "unchanged": 6}
    assert [item["resource"] for item in body["withdrawn"]] == [
        str(resource.pk) for resource in (batches.retired, batches.delisted, batches.relisted)
    ]


def test_the_diffs_body_has_the_cases_and_the_deprecated_first_keys(api_client, batches):
    body = api_client.get(
        f"/api/v1/batches/{batches.second.number}/diff/", {"against": batches.first.number}
    ).json()

    assert set(body) == {
        "batch",
        "against",
        "newly_listed",
        "listed_again",
        "not_listed_again",
        "withdrawn",
        "added",
        "changed",
        "unchanged",
    }
    assert set(body["listed_again"]) == {"changed", "unchanged"}
    for case in ("newly_listed", "not_listed_again"):
        assert all(set(item) == RESOURCE_KEYS for item in body[case])
    assert all(set(item) == CHANGED_KEYS for item in body["listed_again"]["changed"])
    assert all(set(item) == WITHDRAWN_KEYS for item in body["withdrawn"])
    # The first version's keys, kept as deprecated aliases; its ``withdrawn`` (every resource not
    # listed again, withdrawn or not) is the corrected one.
    assert body["added"] == body["newly_listed"]
    assert body["changed"] == body["listed_again"]["changed"]
    assert body["unchanged"] == body["listed_again"]["unchanged"]


def test_the_deprecated_keys_are_marked_so_in_the_schema(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    properties = schema["components"]["schemas"]["BatchDiff"]["properties"]
    assert {name for name, spec in properties.items() if spec.get("deprecated")} == {
        "added",
        "changed",
        "unchanged",
    }


def test_publishing_a_batch_tells_the_feed_its_cases_against_the_last_one(batches):
    """``batch.published`` names the cases of the diff against the batch published before it,
    counted as they stood at publication, and links the diff; the first batch has none."""
    published = {
        event.subject_id: event.data for event in Event.objects.filter(type="batch.published")
    }
    first, second = published[str(batches.first.number)], published[str(batches.second.number)]

    assert (first["against"], first["diff"], first["diff_url"]) == (None, None, None)
    assert second["against"] == batches.first.number
    # At publication dropped, fleeting and retired were not withdrawn yet.
    assert second["diff"] == {
        "newly_listed": 2,  # added, fleeting
        "listed_again": 6,  # kept ×3, changed, dropped, relisted
        "not_listed_again": 2,  # gone, retired
        "withdrawn": 1,  # delisted
    }
    assert second["diff_url"] == (
        f"/api/v1/batches/{batches.second.number}/diff/?against={batches.first.number}"
    )


def test_a_diff_against_an_unpublished_batch_is_a_409(api_client, batches):
    api_client.force_login(batches.curator)
    for number, against in [
        (batches.second.number, batches.open.number),
        (batches.open.number, batches.first.number),
    ]:
        response = api_client.get(f"/api/v1/batches/{number}/diff/", {"against": against})
        problem = assert_problem(response, 409)
        assert problem["type"] == "/api/problems/batch-not-published"


def test_a_diff_against_a_batch_the_reader_cannot_see_is_a_404(api_client, batches):
    response = api_client.get(
        f"/api/v1/batches/{batches.second.number}/diff/", {"against": batches.open.number}
    )
    assert_problem(response, 404)
    response = api_client.get(f"/api/v1/batches/{batches.second.number}/diff/", {"against": 99})
    assert_problem(response, 404)


@pytest.mark.parametrize(
    "params",
    [{}, {"against": ""}, {"against": "abc"}, {"against": "-1"}, {"against": "1.5"},
     {"against": "١"}, {"against": "1" * 12}],
    ids=["missing", "empty", "letters", "negative", "decimal", "arabic digit", "too long"],
)  # fmt: skip
def test_a_missing_or_invalid_against_is_a_400_naming_it(api_client, batches, params):
    response = api_client.get(f"/api/v1/batches/{batches.second.number}/diff/", params)
    assert_problem(response, 400, attr="against")


def test_the_diff_refuses_unknown_parameters(api_client, batches):
    response = api_client.get(
        f"/api/v1/batches/{batches.second.number}/diff/",
        {"against": batches.first.number, "colour": "blue"},
    )
    assert_problem(response, 400, attr="colour")
