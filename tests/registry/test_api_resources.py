"""GET /api/v1/resources/ and /api/v1/resources/{id}/: representation and who sees what."""

import uuid

import pytest

from tests.api_cases import ReadEndpointTests, assert_problem, ids, rows
from tests.factories import ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db

# The field names integrators rely on (DESIGN §4); more may be added, none may go.
CONTRACT_FIELDS = {
    "id",
    "url",
    "platform",
    "resource_type",
    "name",
    "name_en",
    "summary",
    "description",
    "tags",
    "industries",
    "regions",
    "nationwide",
    "access_model",
    "sme_terms",
    "application_url",
    "documentation_url",
    "api_endpoint",
    "attributes",
    "status",
    "version",
    "created_at",
    "updated_at",
}


class TestResourceEndpoint(ReadEndpointTests):
    list_url = "/api/v1/resources/"
    key_field = "id"
    missing_key = str(uuid.uuid4())

    def make(self):
        return ResourceFactory()


def test_a_resource_carries_every_field_integrators_rely_on(api_client, platform_a):
    resource = ResourceFactory(
        platform=platform_a,
        name="昇腾算力券",
        tags=["NPU", "算力券"],
        industries=["I", "C"],
        regions=["440000", "110000"],
        sme_free_quota="100 卡时",
        eligible_medium=False,
        application_url="https://example.cn/apply",
    )
    item = rows(api_client.get("/api/v1/resources/"))[0]
    assert item.keys() >= CONTRACT_FIELDS
    assert item["id"] == str(resource.id)
    assert item["url"] == f"http://testserver/api/v1/resources/{resource.id}/"
    assert item["platform"] == {
        "slug": "platform-a",
        "name": "甲平台科技有限公司",
        "name_en": "Platform A",
        "verified": False,
        "url": "http://testserver/api/v1/platforms/platform-a/",
    }
    assert sorted(item["tags"]) == ["npu", "算力券"]
    assert sorted(item["industries"]) == ["C", "I"]
    assert sorted(item["regions"]) == ["110000", "440000"]
    assert item["sme_terms"] == {
        "free_quota": "100 卡时",
        "discount": "",
        "eligible_sizes": ["micro", "small"],
        "conditions": "",
    }
    assert item["application_url"] == "https://example.cn/apply"
    assert item["documentation_url"] is None  # absent optional URLs are null, never ""
    assert item["attributes"] == resource.attributes
    assert item["version"] == 1


def test_timestamps_are_iso_8601_with_an_offset(api_client):
    ResourceFactory()
    item = rows(api_client.get("/api/v1/resources/"))[0]
    for name in ("created_at", "updated_at"):
        value = item[name]
        assert value[10] == "T"
        assert value.endswith(("Z", "+08:00", "+00:00")), value


def test_the_detail_shows_the_same_representation_as_the_list(api_client):
    resource = ResourceFactory(tags=["gpu"])
    listed = rows(api_client.get("/api/v1/resources/"))[0]
    detail = api_client.get(f"/api/v1/resources/{resource.id}/").json()
    assert detail == listed


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "1", "00000000-0000-0000-0000-00000000000g"])
def test_a_malformed_id_is_a_404_problem_not_a_500(api_client, bad_id):
    assert_problem(api_client.get(f"/api/v1/resources/{bad_id}/"), 404)


# Visibility: status by default, drafts and withdrawn resources ---------------------------------


def test_the_list_shows_only_active_resources_by_default(api_client):
    active = ResourceFactory(status="active")
    ResourceFactory(status="draft")
    ResourceFactory(status="withdrawn")
    assert ids(api_client.get("/api/v1/resources/")) == [str(active.id)]


def test_drafts_are_invisible_to_anonymous_clients_even_with_status_draft(api_client):
    ResourceFactory(status="draft")
    assert ids(api_client.get("/api/v1/resources/", {"status": "draft"})) == []


def test_a_draft_is_a_404_problem_for_anonymous_clients(api_client):
    draft = ResourceFactory(status="draft")
    assert_problem(api_client.get(f"/api/v1/resources/{draft.id}/"), 404)


def test_a_draft_is_a_404_for_a_member_of_another_platform(api_client, platform_b):
    draft = ResourceFactory(status="draft")
    outsider = UserFactory()
    platform_b.members.add(outsider)
    api_client.force_login(outsider)
    assert_problem(api_client.get(f"/api/v1/resources/{draft.id}/"), 404)
    assert ids(api_client.get("/api/v1/resources/", {"status": "draft"})) == []


def test_a_publisher_sees_the_drafts_of_their_own_platform(api_client, platform_a):
    own = ResourceFactory(platform=platform_a, status="draft")
    ResourceFactory(status="draft")  # another platform's
    publisher = UserFactory()
    platform_a.members.add(publisher)
    api_client.force_login(publisher)
    assert api_client.get(f"/api/v1/resources/{own.id}/").status_code == 200
    assert ids(api_client.get("/api/v1/resources/", {"status": "draft"})) == [str(own.id)]


def test_a_curator_sees_every_draft(api_client, curator):
    drafts = {str(ResourceFactory(status="draft").id) for _ in range(2)}
    api_client.force_login(curator)
    assert set(ids(api_client.get("/api/v1/resources/", {"status": "draft"}))) == drafts


def test_drafts_stay_out_of_a_publishers_default_list(api_client, platform_a):
    ResourceFactory(platform=platform_a, status="draft")
    publisher = UserFactory()
    platform_a.members.add(publisher)
    api_client.force_login(publisher)
    assert ids(api_client.get("/api/v1/resources/")) == []


def test_withdrawn_resources_are_listed_only_with_status_withdrawn(api_client):
    withdrawn = ResourceFactory(status="withdrawn")
    active = ResourceFactory(status="active")
    assert ids(api_client.get("/api/v1/resources/")) == [str(active.id)]
    assert ids(api_client.get("/api/v1/resources/", {"status": "withdrawn"})) == [str(withdrawn.id)]


def test_a_withdrawn_resource_stays_readable_by_id(api_client):
    withdrawn = ResourceFactory(status="withdrawn")
    response = api_client.get(f"/api/v1/resources/{withdrawn.id}/")
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"


def test_status_takes_several_values(api_client):
    expected = {
        str(ResourceFactory(status="active").id),
        str(ResourceFactory(status="withdrawn").id),
    }
    ResourceFactory(status="draft")
    assert set(ids(api_client.get("/api/v1/resources/?status=active,withdrawn"))) == expected
    assert set(ids(api_client.get("/api/v1/resources/?status=active&status=withdrawn"))) == expected


def test_an_unknown_status_is_a_400_naming_status(api_client):
    assert_problem(api_client.get("/api/v1/resources/", {"status": "archived"}), 400, attr="status")


def test_list_filters_do_not_narrow_the_detail_lookup(api_client):
    resource = ResourceFactory(resource_type="compute")
    # A detail URL knows no filters: a filter parameter there is refused, not applied.
    response = api_client.get(f"/api/v1/resources/{resource.id}/", {"type": "data"})
    assert_problem(response, 400, attr="type")
