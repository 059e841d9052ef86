"""The registry's admin lists: resources filtered by region (nationwide ones apart), and the audit
trail naming its objects and actions in words rather than keys."""

import pytest

from registry import services
from registry.models import Resource
from tests.admin_actions import changelist, filter_choices
from tests.factories import ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db

RESOURCES = "/admin/registry/resource/"
CHANGES = "/admin/core/changerecord/"


def listed(client, query: str = "") -> list[str]:
    return sorted(resource.name for resource in changelist(client, f"{RESOURCES}?{query}"))


@pytest.fixture
def spread(platform_a):
    ResourceFactory(platform=platform_a, name="广东算力", regions=["440000"])
    ResourceFactory(platform=platform_a, name="粤沪数据", regions=["440000", "310000"])
    ResourceFactory(platform=platform_a, name="全国模型", nationwide=True)


def test_the_region_filter_lists_a_provinces_own_resources_and_nationwide_ones_apart(
    admin_client, spread
):
    assert listed(admin_client, "region=440000") == ["广东算力", "粤沪数据"]
    assert listed(admin_client, "region=310000") == ["粤沪数据"]
    assert listed(admin_client, "region=nationwide") == ["全国模型"]
    assert len(listed(admin_client)) == 3


def test_the_region_filter_offers_nationwide_and_the_provinces_some_resource_names(
    admin_client, spread
):
    assert filter_choices(admin_client, RESOURCES, "region") == [
        "All",
        "Nationwide",
        "上海市",
        "广东省",
    ]


def test_the_resource_list_names_types_access_models_and_statuses_by_their_labels(
    admin_client, platform_a
):
    ResourceFactory(platform=platform_a, resource_type="data", access_model="free_quota")

    page = admin_client.get(RESOURCES).content.decode()

    assert "Free quota" in page
    assert ">Data<" in page
    assert ">free_quota<" not in page


def test_the_audit_trail_names_objects_and_actions_in_words_and_filters_by_action(
    admin_client, curator, platform_a
):
    resource = ResourceFactory(platform=platform_a, status="draft", contact="open@example.cn")
    services.resource_activate(actor=curator, resource_id=resource.pk)
    services.member_add(actor=curator, platform=platform_a, user=UserFactory())

    response = admin_client.get(f"{CHANGES}?action__exact=activated")

    assert response.status_code == 200
    [record] = response.context["cl"].result_list
    assert record.subject_id == str(resource.pk)
    page = admin_client.get(CHANGES).content.decode()
    assert "Activated" in page
    assert "Publisher added" in page
    assert "member_added" not in page.replace("action__exact=member_added", "")
    assert str(Resource._meta.verbose_name) in page


def test_an_objects_history_page_shows_its_audit_trail_newest_first(
    admin_client, curator, platform_a
):
    resource = ResourceFactory(platform=platform_a, status="draft", contact="open@example.cn")
    services.resource_activate(actor=curator, resource_id=resource.pk)
    services.resource_update(
        actor=curator, resource_id=resource.pk, data={"summary": "新的说明"}, if_match=None
    )

    response = admin_client.get(f"{RESOURCES}{resource.pk}/history/")

    assert response.status_code == 200
    records = response.context["records"]
    assert [row["record"].action for row in records] == ["updated", "activated"]
    page = response.content.decode()
    assert "Activated" in page
    assert "Changed" in page
    assert "<code>summary</code>" in page
    assert curator.username in page


def test_the_platform_history_page_shows_its_members_being_added(admin_client, curator, platform_a):
    services.member_add(actor=curator, platform=platform_a, user=UserFactory())

    response = admin_client.get(f"/admin/registry/platform/{platform_a.pk}/history/")

    assert response.status_code == 200
    assert "Publisher added" in response.content.decode()


def test_an_object_without_change_records_says_so(admin_client, platform_b):
    response = admin_client.get(f"/admin/registry/platform/{platform_b.pk}/history/")

    assert response.status_code == 200
    assert response.context["records"] == []
    assert "no change records" in response.content.decode()
