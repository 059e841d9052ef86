"""The curators' admin for the openness lists: batch actions (publication confirmed on an
intermediate page), a batch's page and its entries, the events read-only, and who reaches it all
(the review list's decisions: ``test_admin_entries``)."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.audit import history_of
from core.models import Event
from openness import services
from openness.models import Batch, Entry
from tests.admin_actions import act, messages_of
from tests.factories import BatchFactory, EntryFactory, UserFactory
from tests.openness.admin_lists import BATCHES, ENTRIES, EVENTS, submit

pytestmark = pytest.mark.django_db

# Batches ------------------------------------------------------------------------------------------


def test_a_curator_opens_closes_and_publishes_a_batch_with_the_admin_actions(
    admin_client, curator, platform_a
):
    batch = services.batch_create(actor=curator, data={"title": "第一批", "year": 2026})

    response = act(admin_client, BATCHES, "open_selected", [batch])
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "open"

    entries = submit(batch, 3, platform_a)
    for entry in entries:
        services.entry_approve(actor=curator, entry_id=entry.pk)
    act(admin_client, BATCHES, "close_selected", [batch])
    batch.refresh_from_db()
    assert batch.status == "review"

    confirmation = act(admin_client, BATCHES, "publish_selected", [batch])

    assert confirmation.status_code == 200
    assert "admin/service_action.html" in [template.name for template in confirmation.templates]
    [row] = confirmation.context["summary"]["rows"]
    assert row[2:] == [3, 0, "Ready to publish."]  # to list, awaiting review, the verdict
    assert 'value="Yes, publish"' in confirmation.content.decode()
    batch.refresh_from_db()
    assert batch.status == "review"  # nothing happens before the confirmation

    response = act(admin_client, BATCHES, "publish_selected", [batch], post="yes")

    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "published"
    assert batch.published_at is not None
    listed = Entry.objects.filter(batch=batch).order_by("sequence")
    assert [(entry.status, entry.sequence) for entry in listed] == [
        ("listed", 1),
        ("listed", 2),
        ("listed", 3),
    ]
    assert all(entry.snapshot for entry in listed)
    assert Event.objects.filter(type="batch.published", subject_id=str(batch.number)).count() == 1
    assert [record.action for record in history_of(batch)] == [
        "created",
        "open",
        "close",
        "published",
    ]
    assert [record.actor for record in history_of(batch)][1:] == [curator] * 3
    assert ("success", "Batch 1 is published.") in messages_of(admin_client.get(BATCHES))


def test_the_confirmation_page_shows_entries_awaiting_review_and_publication_is_refused(
    admin_client, curator, open_batch, platform_a
):
    first, *_ = submit(open_batch, 3, platform_a)
    services.entry_approve(actor=curator, entry_id=first.pk)
    services.batch_close(actor=curator, batch_id=open_batch.pk)

    confirmation = act(admin_client, BATCHES, "publish_selected", [open_batch])

    [row] = confirmation.context["summary"]["rows"]
    assert row[2:4] == [1, 2]
    assert "approve or reject the waiting entries first" in confirmation.content.decode()
    assert confirmation.context["submit"] == ""
    assert "Yes, publish" not in confirmation.content.decode()

    response = act(admin_client, BATCHES, "publish_selected", [open_batch], post="yes")

    open_batch.refresh_from_db()
    assert open_batch.status == "review"
    assert not Event.objects.filter(type="batch.published").exists()
    level, text = messages_of(admin_client.get(BATCHES))[0]
    assert level == "error"
    assert text.startswith("Batch 1: 2 entries still await review")
    assert response.status_code == 302


def test_an_action_the_workflow_refuses_is_reported_as_an_error_and_changes_nothing(
    admin_client, curator
):
    draft = BatchFactory()

    act(admin_client, BATCHES, "close_selected", [draft])

    draft.refresh_from_db()
    assert draft.status == "draft"
    [(level, text)] = messages_of(admin_client.get(BATCHES))
    assert level == "error"
    assert text.startswith(f"Batch {draft.number}: ")
    assert not history_of(draft).exists()


def test_a_batch_added_and_edited_in_the_admin_is_numbered_and_recorded_by_the_services(
    admin_client, curator
):
    BatchFactory(status="published")
    form = {
        "title": "第二批平台开放清单",
        "title_en": "Batch 2",
        "year": "2026",
        "document_reference": "工信厅企业函〔2026〕197号",
        "submission_opens_at_0": "2026-08-03",
        "submission_opens_at_1": "09:00:00",
        "submission_closes_at_0": "2026-08-31",
        "submission_closes_at_1": "18:00:00",
        "_save": "Save",
    }

    response = admin_client.post(f"{BATCHES}add/", form)

    assert response.status_code == 302, response.context["adminform"].form.errors
    batch = Batch.objects.get(title="第二批平台开放清单")
    assert (batch.number, batch.status) == (2, "draft")

    response = admin_client.post(f"{BATCHES}{batch.pk}/change/", {**form, "title": "第二批"})

    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.title == "第二批"
    assert [(r.action, r.actor) for r in history_of(batch)] == [
        ("created", curator),
        ("updated", curator),
    ]
    assert history_of(batch).last().changes == {
        "title": {"before": "第二批平台开放清单", "after": "第二批"}
    }


def test_a_batch_whose_submission_window_closes_before_it_opens_is_refused_in_the_form(
    admin_client,
):
    response = admin_client.post(
        f"{BATCHES}add/",
        {
            "title": "第一批",
            "year": "2026",
            "submission_opens_at_0": "2026-08-31",
            "submission_opens_at_1": "09:00:00",
            "submission_closes_at_0": "2026-08-03",
            "submission_closes_at_1": "09:00:00",
            "_save": "Save",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Batch.objects.exists()


def test_a_published_batch_is_view_only_in_the_admin_and_a_forged_edit_is_refused(
    admin_client,
):
    batch = BatchFactory(status="published", title="第一批平台开放清单")
    url = f"{BATCHES}{batch.pk}/change/"

    page = admin_client.get(url)

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert 'name="_save"' not in page.content.decode()

    forged = admin_client.post(url, {"title": "改过的标题", "year": "2026", "_save": "Save"})

    assert forged.status_code == 403
    batch.refresh_from_db()
    assert batch.title == "第一批平台开放清单"
    assert not history_of(batch).exists()


def test_batches_are_never_deleted_in_the_admin(admin_client):
    batch = BatchFactory()

    assert admin_client.get(f"{BATCHES}{batch.pk}/delete/").status_code == 403
    response = act(admin_client, BATCHES, "delete_selected", [batch], post="yes")

    assert Batch.objects.filter(pk=batch.pk).exists()
    assert response.status_code in (200, 302)


def test_the_batch_list_shows_the_entry_counts(admin_client, curator, open_batch, platform_a):
    first, second, _ = submit(open_batch, 3, platform_a)
    services.entry_approve(actor=curator, entry_id=first.pk)
    services.entry_reject(actor=curator, entry_id=second.pk, reason="不符合要求")

    response = admin_client.get(BATCHES)

    assert response.status_code == 200
    [row] = response.context["cl"].result_list
    assert (row.entry_total, row.awaiting, row.approved, row.listed, row.withdrawn) == (
        3,
        1,
        1,
        0,
        0,
    )


def published_batch_of(curator: Any, platform: Any, count: int, rejected: int = 0) -> Batch:
    """A published batch listing ``count`` resources of ``platform`` (and ``rejected`` more it
    refused)."""
    batch = services.batch_open(
        actor=curator,
        batch_id=services.batch_create(actor=curator, data={"title": "第一批", "year": 2026}).pk,
    )
    entries = submit(batch, count + rejected, platform)
    for entry in entries[:count]:
        services.entry_approve(actor=curator, entry_id=entry.pk)
    for entry in entries[count:]:
        services.entry_reject(actor=curator, entry_id=entry.pk, reason="不符合要求")
    services.batch_close(actor=curator, batch_id=batch.pk)
    return services.batch_publish(actor=curator, batch_id=batch.pk)


def test_a_batch_page_shows_its_entries_by_citation_with_resource_platform_status_and_review(
    admin_client, curator, platform_a
):
    batch = published_batch_of(curator, platform_a, 3, rejected=1)
    listed = list(batch.entries.filter(status="listed").order_by("sequence"))

    response = admin_client.get(f"{BATCHES}{batch.pk}/change/")

    assert response.status_code == 200
    page = response.content.decode()
    rows = page.split('<table class="batch-entries">')[1].split("</table>")[0]
    assert rows.count("<tr>") == 5  # the header and the four entries
    citations = [f"batch-{batch.number}/{n}" for n in (1, 2, 3)]
    assert [rows.index(citation) for citation in citations] == sorted(
        rows.index(citation) for citation in citations
    )
    assert all(entry.resource.name in rows for entry in batch.entries.all())
    assert platform_a.name in rows
    assert "Listed" in rows
    assert "Rejected" in rows
    assert f"{ENTRIES}{listed[0].pk}/change/" in rows
    assert f"{ENTRIES}?batch__id__exact={batch.pk}&amp;status__exact=rejected" in page
    assert "All 4 entries in the entry list" in page


def test_a_large_batch_page_shows_its_first_entries_and_sends_to_the_entry_list_for_the_rest(
    admin_client, curator, platform_a, monkeypatch
):
    monkeypatch.setattr("openness.admin.batches.BATCH_ENTRIES_SHOWN", 3)
    batch = published_batch_of(curator, platform_a, 5)

    response = admin_client.get(f"{BATCHES}{batch.pk}/change/")

    page = response.content.decode()
    rows = page.split('<table class="batch-entries">')[1].split("</table>")[0]
    assert rows.count("<tr>") == 4
    assert f"batch-{batch.number}/3<" in rows
    assert f"batch-{batch.number}/4<" not in rows
    assert "The first 3 of 5 entries are shown here; the other 2 are in the entry list." in page
    assert f'href="{ENTRIES}?batch__id__exact={batch.pk}"' in page


def test_a_batch_page_costs_the_same_queries_for_ten_entries_as_for_three(
    admin_client, curator, platform_a, django_assert_max_num_queries
):
    small = published_batch_of(curator, platform_a, 3)
    admin_client.get(f"{BATCHES}{small.pk}/change/")  # the session and the caches, warmed
    with CaptureQueriesContext(connection) as few:
        admin_client.get(f"{BATCHES}{small.pk}/change/")
    large = published_batch_of(curator, platform_a, 10)

    with django_assert_max_num_queries(len(few)):
        assert admin_client.get(f"{BATCHES}{large.pk}/change/").status_code == 200


def test_a_new_batch_page_has_no_entries_section(admin_client):
    response = admin_client.get(f"{BATCHES}add/")

    assert response.status_code == 200
    assert "batch-entries" not in response.content.decode()


# Events -------------------------------------------------------------------------------------------


def test_events_are_listed_read_only(admin_client, curator, open_batch):
    event = Event.objects.get(type="batch.opened")

    response = admin_client.get(EVENTS)

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [event]
    page = admin_client.get(f"{EVENTS}{event.pk}/change/")
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert admin_client.get(f"{EVENTS}add/").status_code == 403
    assert admin_client.get(f"{EVENTS}{event.pk}/delete/").status_code == 403


def test_events_name_their_type_and_subject_in_words(admin_client, curator, open_batch):
    page = admin_client.get(EVENTS).content.decode()

    assert "Batch opened" in page
    assert f"batch {open_batch.number}" in page
    assert "batch:" not in page


# Who reaches it -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [BATCHES, f"{BATCHES}add/", ENTRIES, EVENTS])
@pytest.mark.parametrize("who", ["visitor", "sme", "staff", "publisher"])
def test_only_curators_reach_the_openness_admin(client, platform_a, url, who):
    if who != "visitor":
        user = UserFactory(username=who, is_staff=who == "staff")
        if who == "publisher":
            platform_a.members.add(user)
        client.force_login(user)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("action", ["open_selected", "publish_selected", "approve_selected"])
def test_a_non_curator_cannot_run_the_actions(client, action, platform_a):
    batch = BatchFactory(status="review")
    entry = EntryFactory(batch=BatchFactory(status="open"))
    client.force_login(UserFactory(username="someone", is_staff=True))
    url, target = (ENTRIES, entry) if action == "approve_selected" else (BATCHES, batch)

    response = act(client, url, action, [target], post="yes")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert Batch.objects.get(pk=batch.pk).status == "review"
    assert Entry.objects.get(pk=entry.pk).status == "submitted"
