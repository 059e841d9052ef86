"""The review list in the curators' admin: bulk approval, rejection and withdrawal (a reason
asked for on the intermediate page), each refusal reported, the list's filters and labels, and
entries never added, edited or deleted there."""

import pytest

from core.audit import history_of
from core.models import Event
from openness import services
from openness.models import Entry
from registry.choices import ResourceType
from tests.admin_actions import act, changelist, filter_choices, messages_of
from tests.factories import BatchFactory, EntryFactory, ResourceFactory
from tests.openness.admin_lists import ENTRIES, statuses, submit

pytestmark = pytest.mark.django_db


def test_a_curator_approves_entries_in_bulk(admin_client, curator, open_batch, platform_a):
    entries = submit(open_batch, 3, platform_a)

    response = act(admin_client, ENTRIES, "approve_selected", entries[:2])

    assert response.status_code == 302
    assert statuses(entries) == ["approved", "approved", "submitted"]
    approved = Entry.objects.get(pk=entries[0].pk)
    assert approved.decided_by == curator
    assert approved.decided_at is not None
    assert [r.action for r in history_of(approved)] == ["submitted", "approved"]
    assert ("success", "2 entries approved.") in messages_of(admin_client.get(ENTRIES))


def test_bulk_reject_asks_for_a_reason_then_rejects_the_entries_with_it(
    admin_client, curator, open_batch, platform_a
):
    entries = submit(open_batch, 3, platform_a)

    page = act(admin_client, ENTRIES, "reject_selected", entries[:2])

    assert page.status_code == 200
    assert "admin/service_action.html" in [t.name for t in page.templates]
    assert [entry.pk for entry in page.context["objects"]] == [e.pk for e in entries[:2]]
    assert statuses(entries) == ["submitted"] * 3

    reason = "申请链接无法访问，请核实后重新提交。"
    response = act(admin_client, ENTRIES, "reject_selected", entries[:2], post="yes", reason=reason)

    assert response.status_code == 302
    assert statuses(entries) == ["rejected", "rejected", "submitted"]
    for entry in Entry.objects.filter(status="rejected"):
        assert (entry.reason, entry.decided_by) == (reason, curator)
        assert history_of(entry).last().reason == reason
    assert ("success", "2 entries rejected.") in messages_of(admin_client.get(ENTRIES))


@pytest.mark.parametrize("reason", ["", "   "])
def test_bulk_reject_without_a_reason_asks_again_and_rejects_nothing(
    admin_client, open_batch, platform_a, reason
):
    entries = submit(open_batch, 2, platform_a)

    response = act(admin_client, ENTRIES, "reject_selected", entries, post="yes", reason=reason)

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert statuses(entries) == ["submitted", "submitted"]


def test_a_decision_the_workflow_refuses_is_reported_per_entry(
    admin_client, curator, open_batch, platform_a
):
    submitted, approved = submit(open_batch, 2, platform_a)
    services.entry_approve(actor=curator, entry_id=approved.pk)
    services.batch_close(actor=curator, batch_id=open_batch.pk)
    services.entry_reject(actor=curator, entry_id=submitted.pk, reason="重复申报")
    services.batch_publish(actor=curator, batch_id=open_batch.pk)

    act(admin_client, ENTRIES, "approve_selected", [submitted, approved])

    assert statuses([submitted, approved]) == ["rejected", "listed"]
    shown = messages_of(admin_client.get(ENTRIES))
    assert [level for level, _ in shown] == ["error", "error"]
    assert any(text.startswith("batch-1/1: ") for _, text in shown)


def test_listed_entries_are_withdrawn_in_bulk_with_a_reason(
    admin_client, curator, open_batch, platform_a
):
    entries = submit(open_batch, 3, platform_a)
    for entry in entries:
        services.entry_approve(actor=curator, entry_id=entry.pk)
    services.batch_close(actor=curator, batch_id=open_batch.pk)
    services.batch_publish(actor=curator, batch_id=open_batch.pk)

    page = act(admin_client, ENTRIES, "withdraw_selected", entries[:2])
    assert page.status_code == 200
    assert statuses(entries) == ["listed"] * 3
    reason = "平台已停止对外提供该资源。"

    act(admin_client, ENTRIES, "withdraw_selected", entries[:2], post="yes", reason=reason)

    assert statuses(entries) == ["withdrawn", "withdrawn", "listed"]
    withdrawn = Entry.objects.get(pk=entries[0].pk)
    assert (withdrawn.sequence, withdrawn.reason, withdrawn.withdrawn_by) == (1, reason, curator)
    events = Event.objects.filter(type="entry.withdrawn").order_by("id")
    assert [event.data["reason"] for event in events] == [reason, reason]


def test_the_withdraw_page_warns_about_entries_that_are_not_listed(
    admin_client, open_batch, platform_a
):
    entries = submit(open_batch, 2, platform_a)

    page = act(admin_client, ENTRIES, "withdraw_selected", entries)

    assert page.context["skipped"] == entries
    assert "2 selected entries are not in a status that allows this" in page.content.decode()


def test_the_review_list_filters_by_batch_status_type_and_platform_and_searches_names(
    admin_client, open_batch, platform_a, platform_b
):
    ResourceFactory(platform=platform_a)  # not submitted
    services.entry_submit(
        actor=None,
        batch_id=open_batch.pk,
        resource=ResourceFactory(
            platform=platform_a, name="城市交通流量数据集", resource_type="data"
        ),
    )
    submit(open_batch, 2, platform_b)
    other = EntryFactory(batch=BatchFactory(status="open"))

    def listed(query: str) -> list[str]:
        return sorted(
            entry.resource.name for entry in changelist(admin_client, f"{ENTRIES}?{query}")
        )

    assert len(listed("")) == 4
    assert listed(f"batch__id__exact={other.batch.pk}") == [other.resource.name]
    assert listed("resource_type__exact=data") == ["城市交通流量数据集"]
    assert len(listed(f"platform__id__exact={platform_b.pk}")) == 2
    assert len(listed("status__exact=submitted")) == 4
    assert listed("q=交通流量") == ["城市交通流量数据集"]


def test_the_review_list_names_resource_types_by_their_labels_and_filters_by_them(
    admin_client, open_batch, platform_a
):
    services.entry_submit(
        actor=None,
        batch_id=open_batch.pk,
        resource=ResourceFactory(platform=platform_a, resource_type="operating_system"),
    )

    response = admin_client.get(ENTRIES)

    page = response.content.decode()
    assert "Operating systems" in page
    assert ">operating_system<" not in page
    offered = filter_choices(admin_client, ENTRIES, "resource type")
    assert offered == ["All", *(label for _, label in ResourceType.choices)]


def test_entries_are_neither_added_edited_nor_deleted_in_the_admin(
    admin_client, open_batch, platform_a
):
    [entry] = submit(open_batch, 1, platform_a)
    url = f"{ENTRIES}{entry.pk}/change/"

    page = admin_client.get(url)

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert admin_client.get(f"{ENTRIES}add/").status_code == 403
    assert admin_client.post(url, {"status": "approved", "reason": "x"}).status_code == 403
    assert admin_client.get(f"{ENTRIES}{entry.pk}/delete/").status_code == 403
    actions = admin_client.get(ENTRIES).context["action_form"].fields["action"].choices
    assert [name for name, _ in actions if name] == [
        "approve_selected",
        "reject_selected",
        "withdraw_selected",
    ]
    assert statuses([entry]) == ["submitted"]
