"""The diff of two published batches, against an expectation worked out by hand."""

from typing import Any

import pytest

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


class TwoBatches:
    """Batch 1 lists kept ×3, changed, gone and dropped; then ``changed`` is renamed and its
    attributes changed; batch 2 lists kept ×3, changed, dropped and added, and ``dropped`` is
    withdrawn from batch 2 after publication. So, of batch 2 against batch 1: ``added`` is added,
    ``gone`` and ``dropped`` are withdrawn, ``changed`` changed two fields, three are unchanged."""

    def __init__(self) -> None:
        curator = curator_user()
        platform = PlatformFactory(slug="platform-a", name="甲平台科技有限公司")
        self.kept = [active_resource(platform, name=f"保留资源{n}") for n in (1, 2, 3)]
        self.changed = active_resource(platform, name="改前名称")
        self.gone = active_resource(platform, name="未再申报")
        self.dropped = active_resource(platform, name="第二批撤回")
        self.added = active_resource(platform, name="新增资源")
        self.first = published_batch(
            curator, [*self.kept, self.changed, self.gone, self.dropped], title="第一批"
        )
        registry_services.resource_update(
            actor=curator,
            resource_id=self.changed.pk,
            data={"name": "改后名称", "attributes": CHANGED_ATTRIBUTES},
            if_match=None,
        )
        self.second = published_batch(
            curator, [self.added, *self.kept, self.changed, self.dropped], title="第二批"
        )
        services.entry_withdraw(
            actor=curator,
            entry_id=self.second.entries.get(resource=self.dropped).pk,
            reason="停止开放",
        )
        self.open = open_batch(curator, title="第三批")
        submit(self.open, active_resource(platform), curator)
        self.curator = curator

    def citation(self, batch: Any, resource: Any) -> str:
        return batch.entries.get(resource=resource).citation


@pytest.fixture
def batches() -> TwoBatches:
    return TwoBatches()


def brief(resource: Any, citation: str) -> dict[str, Any]:
    return {"resource": str(resource.pk), "name": resource.name, "citation": citation}


def by_resource(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda item: item["resource"])


def test_the_diff_shows_what_was_added_withdrawn_and_changed_field_by_field(api_client, batches):
    first, second = batches.first, batches.second
    response = api_client.get(f"/api/v1/batches/{second.number}/diff/", {"against": first.number})

    assert response.status_code == 200, response.content
    assert response.json() == {
        "batch": second.number,
        "against": first.number,
        "added": [brief(batches.added, f"batch-{second.number}/1")],
        "withdrawn": by_resource(
            [
                brief(batches.gone, f"batch-{first.number}/5"),
                brief(batches.dropped, f"batch-{first.number}/6"),
            ]
        ),
        "changed": [
            {
                "resource": str(batches.changed.pk),
                "name": "改后名称",
                "changes": {
                    "attributes": {
                        "before": VALID_ATTRIBUTES["compute"],
                        "after": CHANGED_ATTRIBUTES,
                    },
                    "name": {"before": "改前名称", "after": "改后名称"},
                },
            }
        ],
        "unchanged": 3,
    }


def test_the_diff_the_other_way_round_swaps_added_and_withdrawn(api_client, batches):
    first, second = batches.first, batches.second
    body = api_client.get(
        f"/api/v1/batches/{first.number}/diff/", {"against": second.number}
    ).json()
    assert body["added"] == by_resource(
        [
            brief(batches.gone, f"batch-{first.number}/5"),
            brief(batches.dropped, f"batch-{first.number}/6"),
        ]
    )
    assert body["withdrawn"] == [brief(batches.added, f"batch-{second.number}/1")]
    assert body["changed"][0]["name"] == "改前名称"
    assert body["changed"][0]["changes"]["name"] == {"before": "改后名称", "after": "改前名称"}
    assert body["unchanged"] == 3


def test_a_batch_against_itself_has_no_differences(api_client, batches):
    number = batches.first.number
    body = api_client.get(f"/api/v1/batches/{number}/diff/", {"against": number}).json()
    assert (body["added"], body["withdrawn"], body["changed"]) == ([], [], [])
    assert body["unchanged"] == 6


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
