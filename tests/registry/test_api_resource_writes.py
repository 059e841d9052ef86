"""Writing resources through the API: create, PATCH/PUT with If-Match, delete, activate, withdraw.

Every change bumps ``version`` and the ETag is ``"<version>"``; a write names the version it
changed in If-Match (missing → 428, stale → 412), so of two writers who read the same version
only the first wins and the second is told — the lost update cannot happen.
"""

from typing import Any

import pytest
from rest_framework.test import APIClient

from core.audit import history_of
from core.models import ChangeRecord
from registry.models import Resource
from tests.api_cases import assert_problem, signed_in
from tests.factories import NEW_RESOURCE, VALID_ATTRIBUTES, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/resources/"

COMPLETE = {"summary": "面向中小企业", "contact": "sme@example.cn", "industries": ["I"]}


@pytest.fixture
def active(platform_a) -> Resource:
    return ResourceFactory(platform=platform_a, status="active", name="原名", **COMPLETE)


@pytest.fixture
def draft(platform_a) -> Resource:
    return ResourceFactory(platform=platform_a, status="draft", **COMPLETE)


def detail(resource: Resource) -> str:
    return f"{URL}{resource.pk}/"


def patch(client: APIClient, resource: Resource, body: dict[str, Any], if_match: str = '"1"'):
    return client.patch(detail(resource), body, format="json", headers={"If-Match": if_match})


# Create ------------------------------------------------------------------------------------------


def test_a_publisher_creates_a_draft_at_version_1_with_its_location_and_etag(writer, platform_a):
    response = writer.post(URL, NEW_RESOURCE, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["version"]) == ("draft", 1)
    assert body["platform"]["slug"] == "platform-a"
    assert response["Location"] == f"{URL}{body['id']}/"
    assert response["ETag"].startswith('"1.')
    resource = Resource.objects.get(pk=body["id"])
    assert (resource.platform, resource.status, resource.version) == (platform_a, "draft", 1)
    assert resource.name == "昇腾算力券"


def test_the_location_of_a_new_draft_answers_its_publisher(writer):
    location = writer.post(URL, NEW_RESOURCE, format="json")["Location"]
    response = writer.get(location)
    assert response.status_code == 200
    assert response["ETag"].startswith('"1.')


# If-Match ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("stale", ['"0"', '"2"', 'W/"1"', '"one"', '"1x"'])
@pytest.mark.parametrize("method", ["patch", "put"])
def test_a_write_with_a_stale_if_match_is_a_412_problem_and_changes_nothing(
    writer, active, method, stale
):
    body = {"name": "新名"} if method == "patch" else {**NEW_RESOURCE, "name": "新名"}
    body.pop("platform", None)
    response = getattr(writer, method)(
        detail(active), body, format="json", headers={"If-Match": stale}
    )
    problem = assert_problem(response, 412)
    assert problem["type"] == "/api/problems/precondition-failed"
    active.refresh_from_db()
    assert (active.name, active.version) == ("原名", 1)
    assert not history_of(active).exists()


@pytest.mark.parametrize("if_match", ["*", '"1"', '"7", "1"'])
def test_if_match_star_or_a_list_naming_the_current_version_is_accepted(writer, active, if_match):
    response = patch(writer, active, {"name": "新名"}, if_match=if_match)
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2


def test_the_lost_update_cannot_happen(publisher, platform_a, active):
    """Two writers read version 1; the first writes; the second, still at 1, is refused."""
    colleague = UserFactory(username="colleague")
    platform_a.members.add(colleague)
    first, second = signed_in(publisher), signed_in(colleague)
    etag_first = first.get(detail(active))["ETag"]
    etag_second = second.get(detail(active))["ETag"]
    assert etag_first == etag_second
    assert etag_first.startswith('"1.')

    won = patch(first, active, {"name": "第一位的名字"}, if_match=etag_first)
    assert won.status_code == 200
    assert won["ETag"].startswith('"2.')

    lost = patch(
        second, active, {"name": "第二位的名字", "summary": "也改了"}, if_match=etag_second
    )
    assert_problem(lost, 412)

    active.refresh_from_db()
    assert (active.name, active.summary, active.version) == ("第一位的名字", "面向中小企业", 2)
    assert [record.actor_name for record in history_of(active)] == ["publisher"]

    again = second.get(detail(active))  # the second writer reads again and reapplies
    retried = patch(second, active, {"summary": "也改了"}, if_match=again["ETag"])
    assert retried.status_code == 200
    active.refresh_from_db()
    assert (active.name, active.summary, active.version) == ("第一位的名字", "也改了", 3)


def test_every_change_bumps_the_version_and_the_etag_names_it(writer, active):
    for version, name in enumerate(["二", "三", "四"], start=2):
        response = patch(writer, active, {"name": name}, if_match=f'"{version - 1}"')
        assert response.status_code == 200
        assert response.json()["version"] == version
        assert response["ETag"].startswith(f'"{version}.')
        assert writer.get(detail(active))["ETag"] == response["ETag"]
    active.refresh_from_db()
    assert (active.name, active.version) == ("四", 4)


def test_a_put_replaces_every_writable_field_and_bumps_the_version(writer, active):
    body = {**NEW_RESOURCE, "name": "整体替换", "summary": ""}
    body.pop("platform")
    response = writer.put(detail(active), body, format="json", headers={"If-Match": '"1"'})
    assert response.status_code == 200, response.content
    assert response["ETag"].startswith('"2.')
    active.refresh_from_db()
    assert (active.name, active.summary, active.version) == ("整体替换", "", 2)


def test_a_patch_that_changes_nothing_keeps_the_version(writer, active):
    response = patch(writer, active, {"name": "原名", "tags": []})
    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert response["ETag"].startswith('"1.')
    active.refresh_from_db()
    assert active.version == 1
    assert not history_of(active).exists()


# Delete ------------------------------------------------------------------------------------------


def test_a_draft_can_be_deleted(writer, draft):
    response = writer.delete(detail(draft))
    assert response.status_code == 204
    assert not Resource.objects.filter(pk=draft.pk).exists()
    assert_problem(writer.get(detail(draft)), 404)


@pytest.mark.parametrize("status", ["active", "withdrawn"])
def test_only_drafts_can_be_deleted(writer, platform_a, status):
    resource = ResourceFactory(platform=platform_a, status=status)
    problem = assert_problem(writer.delete(detail(resource)), 409)
    assert problem["type"] == "/api/problems/transition-not-allowed"
    resource.refresh_from_db()
    assert (resource.status, resource.version) == (status, 1)


# Activate ----------------------------------------------------------------------------------------


def test_a_complete_draft_is_activated(writer, draft):
    response = writer.post(f"{detail(draft)}activate/")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["version"]) == ("active", 2)
    assert response["ETag"].startswith('"2.')
    draft.refresh_from_db()
    assert draft.status == "active"


def test_an_incomplete_draft_is_not_activated_and_is_told_what_is_missing(writer, platform_a):
    draft = ResourceFactory(
        platform=platform_a, status="draft", summary="", industries=[], regions=[]
    )
    response = writer.post(f"{detail(draft)}activate/")
    problem = assert_problem(response, 409)
    assert problem["type"] == "/api/problems/incomplete-resource"
    missing = {error["attr"] for error in problem["errors"]}
    assert {"summary", "industries", "regions"} <= missing
    draft.refresh_from_db()
    assert (draft.status, draft.version) == ("draft", 1)


@pytest.mark.parametrize("status", ["active", "withdrawn"])
def test_only_a_draft_can_be_activated(writer, platform_a, status):
    resource = ResourceFactory(platform=platform_a, status=status, **COMPLETE)
    problem = assert_problem(writer.post(f"{detail(resource)}activate/"), 409)
    assert problem["type"] == "/api/problems/transition-not-allowed"


# Withdraw ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}])
def test_withdrawing_needs_a_reason(writer, active, body):
    assert_problem(
        writer.post(f"{detail(active)}withdraw/", body, format="json"), 400, attr="reason"
    )
    active.refresh_from_db()
    assert (active.status, active.version) == ("active", 1)


def test_a_withdrawn_resource_stays_readable_and_refuses_changes(writer, api_client, active):
    response = writer.post(f"{detail(active)}withdraw/", {"reason": "停止开放"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["version"]) == ("withdrawn", 2)
    assert history_of(active).get().reason == "停止开放"

    assert api_client.get(detail(active)).json()["status"] == "withdrawn"
    problem = assert_problem(patch(writer, active, {"name": "复活"}, if_match='"2"'), 409)
    assert problem["type"] == "/api/problems/transition-not-allowed"
    assert_problem(
        writer.post(f"{detail(active)}withdraw/", {"reason": "再撤"}, format="json"), 409
    )
    active.refresh_from_db()
    assert (active.name, active.status, active.version) == ("原名", "withdrawn", 2)


def test_withdrawing_a_draft_is_not_allowed(writer, draft):
    response = writer.post(f"{detail(draft)}withdraw/", {"reason": "不要了"}, format="json")
    assert assert_problem(response, 409)["type"] == "/api/problems/transition-not-allowed"


# Validation on every write -----------------------------------------------------------------------

BAD_CAPACITY = {**VALID_ATTRIBUTES["compute"], "capacity_pflops": "lots"}


def test_attributes_are_validated_on_create(writer):
    body = {**NEW_RESOURCE, "attributes": BAD_CAPACITY}
    assert_problem(writer.post(URL, body, format="json"), 400, attr="attributes.capacity_pflops")
    assert not Resource.objects.exists()


@pytest.mark.parametrize("method", ["patch", "put"])
def test_attributes_are_validated_on_every_change(writer, active, method):
    body = {"attributes": BAD_CAPACITY}
    if method == "put":
        body = {**NEW_RESOURCE, **body}
        body.pop("platform")
    response = getattr(writer, method)(
        detail(active), body, format="json", headers={"If-Match": '"1"'}
    )
    assert_problem(response, 400, attr="attributes.capacity_pflops")
    active.refresh_from_db()
    assert (active.attributes, active.version) == (VALID_ATTRIBUTES["compute"], 1)


@pytest.mark.parametrize(
    ("attributes", "attr"),
    [
        ({**VALID_ATTRIBUTES["compute"], "colour": "blue"}, "attributes"),
        ({"accelerator_kind": "gpu"}, "attributes"),
        (
            {**VALID_ATTRIBUTES["compute"], "accelerator_kind": "abacus"},
            "attributes.accelerator_kind",
        ),
        ([], "attributes"),
    ],
)
def test_attributes_that_break_the_schema_are_a_400_naming_where(writer, active, attributes, attr):
    assert_problem(patch(writer, active, {"attributes": attributes}), 400, attr=attr)


def test_changing_the_type_needs_attributes_valid_for_the_new_type(writer, active):
    response = patch(writer, active, {"resource_type": "data"})
    problem = assert_problem(response, 400)
    assert any(error["attr"].startswith("attributes") for error in problem["errors"])
    active.refresh_from_db()
    assert (active.resource_type, active.version) == ("compute", 1)

    response = patch(
        writer, active, {"resource_type": "data", "attributes": VALID_ATTRIBUTES["data"]}
    )
    assert response.status_code == 200, response.content
    active.refresh_from_db()
    assert (active.resource_type, active.attributes) == ("data", VALID_ATTRIBUTES["data"])


def test_a_nationwide_resource_lists_no_regions(writer, active):
    body = {**NEW_RESOURCE, "nationwide": True, "regions": ["440000"]}
    assert_problem(writer.post(URL, body, format="json"), 400, attr="regions")
    assert_problem(
        patch(writer, active, {"nationwide": True, "regions": ["110000"]}), 400, attr="regions"
    )

    nationwide = ResourceFactory(platform=active.platform, nationwide=True)
    assert_problem(patch(writer, nationwide, {"regions": ["110000"]}), 400, attr="regions")
    assert list(nationwide.regions.all()) == []


def test_going_nationwide_drops_the_regions(writer, active):
    response = patch(writer, active, {"nationwide": True})
    assert response.status_code == 200
    assert (response.json()["nationwide"], response.json()["regions"]) == (True, [])


@pytest.mark.parametrize(
    ("body", "attr"),
    [
        ({"regions": ["999999"]}, "regions.0"),
        ({"industries": ["Z"]}, "industries.0"),
        ({"resource_type": "spaceship"}, "resource_type"),
        ({"access_model": "barter"}, "access_model"),
        ({"name": ""}, "name"),
        ({"application_url": "not a url"}, "application_url"),
        ({"sme_terms": {"eligible_sizes": ["huge"]}}, "sme_terms.eligible_sizes.0"),
    ],
)
def test_invalid_values_are_a_400_naming_the_field(writer, active, body, attr):
    assert_problem(patch(writer, active, body), 400, attr=attr)
    active.refresh_from_db()
    assert active.version == 1


def test_tags_are_stored_in_lower_case(writer):
    body = {**NEW_RESOURCE, "tags": ["GPU", "Ascend  910B", "算力"]}
    response = writer.post(URL, body, format="json")
    assert response.status_code == 201
    assert sorted(response.json()["tags"]) == ["ascend 910b", "gpu", "算力"]
    resource = Resource.objects.get(pk=response.json()["id"])
    assert sorted(resource.tags.values_list("name", flat=True)) == ["ascend 910b", "gpu", "算力"]


def test_tags_differing_only_in_case_are_one_tag(writer, active):
    response = patch(writer, active, {"tags": ["GPU", "gpu", "Gpu"]})
    assert response.status_code == 200
    assert response.json()["tags"] == ["gpu"]


def test_eligible_sizes_are_written_to_the_flags_and_read_back(writer, active):
    response = patch(writer, active, {"sme_terms": {"eligible_sizes": ["micro", "small"]}})
    assert response.status_code == 200, response.content
    assert response.json()["sme_terms"]["eligible_sizes"] == ["micro", "small"]
    active.refresh_from_db()
    assert (active.eligible_micro, active.eligible_small, active.eligible_medium) == (
        True,
        True,
        False,
    )
    again = writer.get(detail(active)).json()
    assert again["sme_terms"]["eligible_sizes"] == ["micro", "small"]


def test_sme_terms_keep_what_a_patch_does_not_name(writer, active):
    patch(writer, active, {"sme_terms": {"free_quota": "100 卡时"}})
    active.refresh_from_db()
    assert active.sme_free_quota == "100 卡时"
    assert active.eligible_sizes == ["micro", "small", "medium"]


def test_a_malformed_body_is_a_400_problem_and_changes_nothing(writer, active):
    response = writer.patch(
        detail(active), "{not json", content_type="application/json", headers={"If-Match": '"1"'}
    )
    assert_problem(response, 400)
    assert ChangeRecord.objects.count() == 0
