"""A request body sets only what the client may set, and says so when it tries anything else.

An unknown field is a 400 ``unknown_field`` naming it; a field the server controls is a 400
``read_only``; a field only curators may set is a 403 for anyone else. In every case nothing
changes: a client never believes it set something that was silently dropped.
"""

from typing import Any

import pytest
from rest_framework.test import APIClient

from core.models import ChangeRecord
from registry.models import Platform, Resource
from tests.api_cases import assert_problem
from tests.factories import NEW_RESOURCE, PlatformFactory, ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def resource(platform_a) -> Resource:
    return ResourceFactory(platform=platform_a, name="原名")


def codes(problem: dict[str, Any]) -> dict[str, str]:
    return {error["attr"]: error["code"] for error in problem["errors"]}


def resource_patch(client: APIClient, resource: Resource, body: dict[str, Any]):
    return client.patch(
        f"/api/v1/resources/{resource.pk}/", body, format="json", headers={"If-Match": '"1"'}
    )


# Unknown fields ----------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["colour", "owner", "is_staff", "Name", "platform_id"])
def test_an_unknown_field_on_create_is_a_400_naming_it(writer, field):
    response = writer.post("/api/v1/resources/", {**NEW_RESOURCE, field: "x"}, format="json")
    problem = assert_problem(response, 400, attr=field)
    assert codes(problem)[field] == "unknown_field"
    assert not Resource.objects.exists()


def test_an_unknown_field_on_a_patch_is_a_400_and_the_known_fields_are_not_applied(
    writer, resource
):
    response = resource_patch(writer, resource, {"name": "新名", "colour": "blue"})
    assert codes(assert_problem(response, 400, attr="colour")) == {"colour": "unknown_field"}
    resource.refresh_from_db()
    assert (resource.name, resource.version) == ("原名", 1)


def test_every_unknown_field_is_named_at_once(writer, resource):
    response = resource_patch(writer, resource, {"colour": "blue", "size": 3, "name": "新名"})
    assert codes(assert_problem(response, 400)) == {
        "colour": "unknown_field",
        "size": "unknown_field",
    }


def test_an_unknown_field_inside_sme_terms_is_named_by_its_path(writer, resource):
    response = resource_patch(writer, resource, {"sme_terms": {"eligible_micro": False}})
    problem = assert_problem(response, 400, attr="sme_terms.eligible_micro")
    assert codes(problem)["sme_terms.eligible_micro"] == "unknown_field"
    resource.refresh_from_db()
    assert resource.eligible_micro is True


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("post", "/api/v1/platforms/", {"slug": "p", "name": "平台", "colour": "blue"}),
        ("patch", "/api/v1/platforms/platform-a/", {"colour": "blue"}),
        ("patch", "/api/v1/platforms/platform-a/", {"members": ["curator"]}),
        ("post", "/api/v1/platforms/platform-a/members/", {"username": "sme", "colour": "blue"}),
    ],
)
def test_unknown_fields_are_refused_on_platform_and_member_writes(
    curator_client, platform_a, sme_user, method, url, body
):
    before = ChangeRecord.objects.count(), Platform.objects.count(), platform_a.members.count()
    unknown = next(key for key in body if key in ("colour", "members"))
    response = getattr(curator_client, method)(url, body, format="json")
    assert codes(assert_problem(response, 400, attr=unknown))[unknown] == "unknown_field"
    after = ChangeRecord.objects.count(), Platform.objects.count(), platform_a.members.count()
    assert after == before


def test_an_unknown_field_on_a_withdrawal_is_refused(writer, resource):
    response = writer.post(
        f"/api/v1/resources/{resource.pk}/withdraw/",
        {"reason": "停止开放", "status": "draft"},
        format="json",
    )
    assert_problem(response, 400, attr="status")
    resource.refresh_from_db()
    assert resource.status == "active"


# Server-controlled fields ------------------------------------------------------------------------

SERVER_CONTROLLED = {
    "id": "7b0c1c2e-3f51-4f7e-9a47-6f0f3a0e0d11",
    "version": 99,
    "status": "active",
    "created_at": "2020-01-01T00:00:00+08:00",
    "updated_at": "2020-01-01T00:00:00+08:00",
    "listed_at": "2020-01-01T00:00:00+08:00",
}


@pytest.mark.parametrize(("field", "value"), SERVER_CONTROLLED.items())
def test_a_server_controlled_field_on_create_is_a_400_read_only(writer, field, value):
    response = writer.post("/api/v1/resources/", {**NEW_RESOURCE, field: value}, format="json")
    assert codes(assert_problem(response, 400, attr=field))[field] == "read_only"
    assert not Resource.objects.exists()


@pytest.mark.parametrize(("field", "value"), SERVER_CONTROLLED.items())
def test_a_server_controlled_field_on_a_patch_is_a_400_read_only(writer, resource, field, value):
    response = resource_patch(writer, resource, {field: value})
    assert codes(assert_problem(response, 400, attr=field))[field] == "read_only"
    resource.refresh_from_db()
    assert (resource.status, resource.version) == ("active", 1)


def test_curators_cannot_set_server_controlled_fields_either(curator_client, resource):
    response = resource_patch(curator_client, resource, {"version": 5, "status": "draft"})
    assert codes(assert_problem(response, 400)) == {"version": "read_only", "status": "read_only"}
    resource.refresh_from_db()
    assert (resource.status, resource.version) == ("active", 1)


@pytest.mark.parametrize("field", ["url", "resource_count", "created_at", "updated_at"])
def test_a_server_controlled_platform_field_is_a_400_read_only(curator_client, platform_a, field):
    response = curator_client.patch("/api/v1/platforms/platform-a/", {field: 1}, format="json")
    assert codes(assert_problem(response, 400, attr=field))[field] == "read_only"


@pytest.mark.parametrize("slug", ["platform-b", "platform-a"])
def test_the_platform_of_a_resource_cannot_be_changed(
    writer, curator_client, resource, platform_b, slug
):
    for client in (writer, curator_client):
        response = resource_patch(client, resource, {"platform": slug})
        assert codes(assert_problem(response, 400, attr="platform"))["platform"] == "read_only"
    resource.refresh_from_db()
    assert (resource.platform.slug, resource.version) == ("platform-a", 1)


# Curator-only platform fields --------------------------------------------------------------------

CURATOR_ONLY = {"slug": "renamed", "credit_code": "91520900MA6J6CBN9Q", "verified": True}


@pytest.mark.parametrize(("field", "value"), CURATOR_ONLY.items())
@pytest.mark.parametrize("method", ["patch", "put"])
def test_a_publisher_cannot_set_curator_only_fields_of_their_platform(
    writer, platform_a, method, field, value
):
    before = Platform.objects.filter(pk=platform_a.pk).values().get()
    body = {"name": platform_a.name, "description": "顺便改一下", field: value}
    response = getattr(writer, method)("/api/v1/platforms/platform-a/", body, format="json")
    problem = assert_problem(response, 403)
    assert field in problem["detail"]
    assert Platform.objects.filter(pk=platform_a.pk).values().get() == before
    assert not ChangeRecord.objects.exists()


def test_a_publisher_sending_the_current_slug_is_refused_too(writer, platform_a):
    response = writer.patch("/api/v1/platforms/platform-a/", {"slug": "platform-a"}, format="json")
    assert_problem(response, 403)


@pytest.mark.parametrize(("field", "value"), CURATOR_ONLY.items())
def test_curators_may_set_curator_only_fields(curator_client, platform_a, field, value):
    response = curator_client.patch("/api/v1/platforms/platform-a/", {field: value}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()[field] == value
    platform_a.refresh_from_db()
    assert getattr(platform_a, field) == value
    assert ChangeRecord.objects.get().changes[field]["after"] == value


def test_a_publisher_may_change_the_rest_of_their_profile(writer, platform_a):
    response = writer.patch(
        "/api/v1/platforms/platform-a/",
        {"description": "开放算力", "contact_email": "open@a.example.cn"},
        format="json",
    )
    assert response.status_code == 200, response.content
    platform_a.refresh_from_db()
    assert (platform_a.description, platform_a.contact_email) == ("开放算力", "open@a.example.cn")


def test_a_publisher_replacing_their_profile_keeps_slug_credit_code_and_verified(
    writer, platform_a
):
    Platform.objects.filter(pk=platform_a.pk).update(verified=True)
    credit_code = platform_a.credit_code
    response = writer.put(
        "/api/v1/platforms/platform-a/", {"name": "甲平台（新）", "website": ""}, format="json"
    )
    assert response.status_code == 200, response.content
    platform_a.refresh_from_db()
    assert (platform_a.slug, platform_a.credit_code, platform_a.verified) == (
        "platform-a",
        credit_code,
        True,
    )
    assert (platform_a.name, platform_a.website, platform_a.description) == ("甲平台（新）", "", "")


def test_a_slug_taken_by_another_platform_is_a_400(curator_client, platform_a):
    PlatformFactory(slug="taken")
    response = curator_client.patch(
        "/api/v1/platforms/platform-a/", {"slug": "taken"}, format="json"
    )
    assert_problem(response, 400, attr="slug")
    platform_a.refresh_from_db()
    assert platform_a.slug == "platform-a"
