"""The audit trail: every write, through the API or the admin, leaves a ChangeRecord naming its
actor, action, version and each changed field before and after; the history endpoints list them.
"""

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from core.audit import history_of
from core.models import ChangeRecord
from registry.models import Platform, Resource
from tests.api_cases import assert_problem, rows
from tests.factories import (
    VALID_ATTRIBUTES,
    ResourceFactory,
    UserFactory,
    make_credit_code,
)

pytestmark = pytest.mark.django_db

COMPLETE = {"summary": "面向中小企业", "contact": "sme@example.cn", "industries": ["I"]}


def trail(subject: Any) -> list[tuple[str, int | None, str]]:
    return [(r.action, r.version, r.actor_name) for r in history_of(subject)]


# Every write path of the API ---------------------------------------------------------------------


def test_a_resources_life_through_the_api_is_recorded_step_by_step(writer, curator_client):
    created = writer.post(
        "/api/v1/resources/",
        {
            "platform": "platform-a",
            "resource_type": "compute",
            "name": "昇腾算力券",
            "access_model": "free_quota",
            "attributes": VALID_ATTRIBUTES["compute"],
            "industries": ["I"],
            "regions": ["440000"],
            "contact": "sme@example.cn",
        },
        format="json",
    )
    assert created.status_code == 201
    url = created["Location"]
    resource = Resource.objects.get(pk=created.json()["id"])

    steps = [
        writer.patch(url, {"summary": "面向中小企业"}, format="json", headers={"If-Match": '"1"'}),
        writer.post(f"{url}activate/"),
        curator_client.patch(
            url, {"name": "昇腾算力券（二期）"}, format="json", headers={"If-Match": '"3"'}
        ),
        curator_client.post(f"{url}withdraw/", {"reason": "二期结束"}, format="json"),
    ]
    assert [step.status_code for step in steps] == [200, 200, 200, 200]

    assert trail(resource) == [
        ("created", 1, "publisher"),
        ("updated", 2, "publisher"),
        ("activated", 3, "publisher"),
        ("updated", 4, "curator"),
        ("withdrawn", 5, "curator"),
    ]
    records = list(history_of(resource))
    assert {record.actor.username for record in records} == {"publisher", "curator"}
    created_record, summary, activated, renamed, withdrawn = records
    assert created_record.changes["name"] == {"before": None, "after": "昇腾算力券"}
    assert created_record.changes["status"] == {"before": None, "after": "draft"}
    assert created_record.changes["industries"] == {"before": None, "after": ["I"]}
    assert summary.changes == {"summary": {"before": "", "after": "面向中小企业"}}
    assert activated.changes == {"status": {"before": "draft", "after": "active"}}
    assert renamed.changes == {"name": {"before": "昇腾算力券", "after": "昇腾算力券（二期）"}}
    assert withdrawn.changes == {"status": {"before": "active", "after": "withdrawn"}}
    assert withdrawn.reason == "二期结束"


def test_deleting_a_draft_through_the_api_is_recorded(writer, platform_a):
    draft = ResourceFactory(platform=platform_a, status="draft", name="草稿")
    assert writer.delete(f"/api/v1/resources/{draft.pk}/").status_code == 204
    record = ChangeRecord.objects.get(subject_id=str(draft.pk))
    assert (record.action, record.version, record.actor_name) == ("deleted", 1, "publisher")
    assert record.changes["name"] == {"before": "草稿", "after": None}


def test_a_refused_write_records_nothing(writer, platform_a):
    active = ResourceFactory(platform=platform_a)
    url = f"/api/v1/resources/{active.pk}/"
    writer.patch(url, {"name": "x"}, format="json")  # 428
    writer.patch(url, {"name": "x"}, format="json", headers={"If-Match": '"5"'})  # 412
    writer.patch(url, {"colour": "x"}, format="json", headers={"If-Match": '"1"'})  # 400
    writer.delete(url)  # 409
    assert not ChangeRecord.objects.exists()


def test_platform_creation_and_profile_changes_are_recorded(curator_client, writer):
    created = curator_client.post(
        "/api/v1/platforms/",
        {
            "slug": "platform-new",
            "name": "新平台科技有限公司",
            "credit_code": make_credit_code(4242),
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    platform = Platform.objects.get(slug="platform-new")
    assert trail(platform) == [("created", None, "curator")]
    assert history_of(platform).get().changes["slug"] == {"before": None, "after": "platform-new"}

    response = writer.patch(
        "/api/v1/platforms/platform-a/", {"description": "开放算力"}, format="json"
    )
    assert response.status_code == 200
    platform_a = Platform.objects.get(slug="platform-a")
    record = history_of(platform_a).get()
    assert (record.action, record.actor_name) == ("updated", "publisher")
    assert record.changes == {"description": {"before": "", "after": "开放算力"}}


def test_members_added_and_removed_through_the_api_are_recorded(curator_client, platform_a):
    UserFactory(username="zhang")
    url = "/api/v1/platforms/platform-a/members/"
    body = {"existing": True, "username": "zhang"}
    assert curator_client.post(url, body, format="json").status_code == 201
    assert curator_client.delete(f"{url}zhang/").status_code == 204
    assert trail(platform_a) == [
        ("member_added", None, "curator"),
        ("member_removed", None, "curator"),
    ]
    added, removed = history_of(platform_a)
    assert added.changes == {"members": {"before": [], "after": ["zhang"]}}
    assert removed.changes == {"members": {"before": ["zhang"], "after": []}}


def test_a_record_outlives_its_actors_account(writer, publisher, platform_a):
    active = ResourceFactory(platform=platform_a)
    writer.patch(
        f"/api/v1/resources/{active.pk}/",
        {"name": "新名"},
        format="json",
        headers={"If-Match": '"1"'},
    )
    get_user_model().objects.filter(pk=publisher.pk).delete()
    record = history_of(active).get()
    assert (record.actor, record.actor_name) == (None, "publisher")


# The history endpoints ---------------------------------------------------------------------------


def test_the_history_of_a_resource_lists_its_versions_in_order(writer, api_client, platform_a):
    active = ResourceFactory(platform=platform_a, name="一", tags=["gpu"], **COMPLETE)
    url = f"/api/v1/resources/{active.pk}/"
    for version, body in enumerate(
        [{"name": "二"}, {"tags": ["GPU", "NPU"], "summary": "新摘要"}, {"name": "三"}], start=1
    ):
        response = writer.patch(url, body, format="json", headers={"If-Match": f'"{version}"'})
        assert response.status_code == 200

    history = rows(api_client.get(f"{url}history/"))
    assert [(item["action"], item["version"], item["actor"]) for item in history] == [
        ("updated", 2, "publisher"),
        ("updated", 3, "publisher"),
        ("updated", 4, "publisher"),
    ]
    assert history[0]["changes"] == {"name": {"before": "一", "after": "二"}}
    assert history[1]["changes"] == {
        "summary": {"before": "面向中小企业", "after": "新摘要"},
        "tags": {"before": ["gpu"], "after": ["gpu", "npu"]},
    }
    assert history[2]["changes"] == {"name": {"before": "二", "after": "三"}}
    assert {"id", "at", "reason"} <= set(history[0])


def test_the_history_of_a_public_resource_is_public(api_client, platform_a):
    withdrawn = ResourceFactory(platform=platform_a, status="withdrawn")
    assert rows(api_client.get(f"/api/v1/resources/{withdrawn.pk}/history/")) == []


@pytest.mark.parametrize("who", ["anonymous", "sme", "publisher_b"])
def test_the_history_of_a_draft_is_404_to_those_who_cannot_see_it(
    who, writer, platform_a, platform_b, sme_user
):
    draft = ResourceFactory(platform=platform_a, status="draft")
    url = f"/api/v1/resources/{draft.pk}/history/"
    writer.patch(
        url.replace("history/", ""), {"name": "新名"}, format="json", headers={"If-Match": '"1"'}
    )
    client = APIClient()
    if who == "sme":
        client.force_login(sme_user)
    elif who == "publisher_b":
        other = UserFactory(username="publisher_b")
        platform_b.members.add(other)
        client.force_login(other)
    assert_problem(client.get(url), 404)
    assert len(rows(writer.get(url))) == 1


def test_the_history_of_a_platform_is_public(curator_client, api_client, platform_a):
    curator_client.patch("/api/v1/platforms/platform-a/", {"verified": True}, format="json")
    history = rows(api_client.get("/api/v1/platforms/platform-a/history/"))
    assert [(item["action"], item["actor"]) for item in history] == [("updated", "curator")]
    assert history[0]["changes"] == {"verified": {"before": False, "after": True}}


# The admin ---------------------------------------------------------------------------------------


def admin_post_data(response: Any) -> dict[str, Any]:
    """What the browser would send back for an unchanged admin change form."""
    form = response.context["adminform"].form
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"  # an unchecked box sends nothing
        elif value is None:
            data[name] = ""
        else:
            data[name] = value
    return data


@pytest.fixture
def admin_client(client, curator):
    client.force_login(curator)
    return client


def test_a_curator_changing_a_resource_in_the_admin_bumps_its_version_and_is_recorded(
    admin_client, curator, platform_a
):
    resource = ResourceFactory(
        platform=platform_a, name="原名", tags=["gpu"], industries=["I", "C"], summary="摘要"
    )
    url = f"/admin/registry/resource/{resource.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    data = {**admin_post_data(page), "name": "后台改名", "_save": "Save"}

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    resource.refresh_from_db()
    assert (resource.name, resource.version) == ("后台改名", 2)
    assert sorted(resource.industries.values_list("code", flat=True)) == ["C", "I"]
    assert list(resource.tags.values_list("name", flat=True)) == ["gpu"]
    assert resource.attributes == VALID_ATTRIBUTES["compute"]
    record = history_of(resource).get()
    assert (record.action, record.version, record.actor) == ("updated", 2, curator)
    assert record.changes == {"name": {"before": "原名", "after": "后台改名"}}


def test_saving_an_unchanged_admin_form_keeps_the_version(admin_client, platform_a):
    resource = ResourceFactory(platform=platform_a, tags=["gpu"])
    url = f"/admin/registry/resource/{resource.pk}/change/"
    response = admin_client.post(url, {**admin_post_data(admin_client.get(url)), "_save": "Save"})
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.version == 1
    assert not history_of(resource).exists()


def test_an_admin_edit_the_workflow_refuses_is_reported_as_refused_not_as_saved(
    admin_client, platform_a
):
    withdrawn = ResourceFactory(platform=platform_a, status="withdrawn", name="原名")
    url = f"/admin/registry/resource/{withdrawn.pk}/change/"
    data = {**admin_post_data(admin_client.get(url)), "name": "后台改名", "_save": "Save"}

    response = admin_client.post(url, data, follow=True)

    withdrawn.refresh_from_db()
    assert (withdrawn.name, withdrawn.version) == ("原名", 1)
    assert not history_of(withdrawn).exists()
    assert response.context["adminform"].form.non_field_errors()
    assert not [
        message for message in response.context["messages"] if message.level_tag == "success"
    ]


def test_activating_drafts_with_the_admin_action_is_recorded(admin_client, curator, platform_a):
    draft = ResourceFactory(platform=platform_a, status="draft", **COMPLETE)
    response = admin_client.post(
        "/admin/registry/resource/",
        {"action": "activate_selected", "_selected_action": [str(draft.pk)]},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.version) == ("active", 2)
    assert trail(draft) == [("activated", 2, "curator")]


def test_members_added_and_removed_in_the_admin_are_recorded(admin_client, curator, platform_a):
    old, new = UserFactory(username="old"), UserFactory(username="new")
    platform_a.members.add(old)
    url = f"/admin/registry/platform/{platform_a.pk}/change/"
    data = {**admin_post_data(admin_client.get(url)), "members": [new.pk], "_save": "Save"}

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(platform_a.members.values_list("username", flat=True)) == ["new"]
    records = list(history_of(platform_a))
    assert sorted((r.action, r.actor) for r in records) == [
        ("member_added", curator),
        ("member_removed", curator),
    ]
    changes = {r.action: r.changes["members"] for r in records}
    assert changes["member_added"]["after"].count("new") == 1
    assert "old" not in changes["member_removed"]["after"]


def test_a_platform_profile_changed_in_the_admin_is_recorded(admin_client, curator, platform_a):
    url = f"/admin/registry/platform/{platform_a.pk}/change/"
    data = {**admin_post_data(admin_client.get(url)), "verified": "on", "_save": "Save"}
    assert admin_client.post(url, data).status_code == 302
    record = history_of(platform_a).get()
    assert (record.action, record.actor) == ("updated", curator)
    assert record.changes == {"verified": {"before": False, "after": True}}


# Who opens the admin -----------------------------------------------------------------------------


def test_a_curator_who_is_neither_staff_nor_superuser_opens_the_admin(admin_client, curator):
    assert not curator.is_staff
    assert not curator.is_superuser
    assert admin_client.get("/admin/").status_code == 200
    assert admin_client.get("/admin/registry/resource/").status_code == 200


@pytest.mark.parametrize("is_staff", [False, True])
def test_a_user_who_is_not_a_curator_is_sent_to_the_admin_login(client, is_staff):
    client.force_login(UserFactory(username="someone", is_staff=is_staff))
    for url in ("/admin/", "/admin/registry/resource/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_a_visitor_is_sent_to_the_admin_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"


def test_only_curators_can_sign_in_to_the_admin(client, curator):
    UserFactory(username="someone", is_staff=True)
    password = "correct horse battery staple"
    refused = client.post("/admin/login/", {"username": "someone", "password": password})
    assert refused.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client.session
    signed = client.post("/admin/login/", {"username": "curator", "password": password})
    assert signed.status_code == 302
    assert client.get("/admin/").status_code == 200
