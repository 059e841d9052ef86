"""The demo openness lists written by ``seed_demo``: two batches published (with withdrawals and
changes between them), the third open for submissions, reviewed as they come; all as they stand on
the demo's today (pinned here with ``--today``); deterministic and written once."""

from collections import Counter
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.test import APIClient

from core.models import ChangeRecord, Event
from core.roles import is_curator
from openness.demo import (
    BATCH_1_SUBMISSIONS,
    BATCH_2_SUBMISSIONS,
    BATCH_3_SUBMISSIONS,
    CURATOR_USERNAME,
    SME_USERNAME,
    at,
)
from openness.models import Batch, Entry
from openness.services import batch_diff
from registry import demo
from registry.demo_timeline import start_of
from registry.models import Platform, Resource

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)  # the demo's reference today: its dates are those the story names


def seed(**options: Any) -> str:
    out = StringIO()
    options = {"today": TODAY, **options}
    call_command("seed_demo", no_progress=True, stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(module_db) -> str:
    """The demo, written once for the module's tests (the options' tests write their own:
    test_seed_batches_options.py)."""
    return module_db(seed)


def batch(number: int) -> Batch:
    return Batch.objects.get(number=number)


def statuses(number: int) -> Counter[str]:
    return Counter(Entry.objects.filter(batch__number=number).values_list("status", flat=True))


def test_it_creates_two_published_batches_and_a_third_open_for_submissions(seeded):
    batches = list(Batch.objects.order_by("number"))

    assert [(b.number, b.status, b.year) for b in batches] == [
        (1, "published", 2026),
        (2, "published", 2026),
        (3, "open", 2026),
    ]
    first, second, third = batches
    assert first.title == "第一批平台开放清单"
    assert first.title_en
    assert first.document_reference == "工信厅企业函〔2026〕58号"
    assert second.document_reference.startswith("工信厅企业函〔2026〕")
    assert first.published_at == at(5, 20, 10)  # the demo clock: the same dates on every run
    assert first.published_at < second.published_at == at(9, 25, 10)
    assert third.published_at is None
    assert third.document_reference == ""
    assert third.submission_opens_at == at(11, 16) < start_of(TODAY)
    assert third.submission_closes_at == at(12, 15, 18) > start_of(TODAY + timedelta(days=1))
    for each in batches:
        assert each.submission_opens_at < each.submission_closes_at
    assert "Batches: 3 created" in seeded


def test_the_published_batches_list_numbered_entries_with_snapshots(seeded):
    for number, submitted in ((1, BATCH_1_SUBMISSIONS), (2, BATCH_2_SUBMISSIONS)):
        counts = statuses(number)
        assert set(counts) == {"listed", "withdrawn", "rejected"}
        assert sum(counts.values()) == submitted
        published = Entry.objects.filter(batch__number=number, status__in=["listed", "withdrawn"])
        assert 55 <= published.count() <= 80
        assert sorted(published.values_list("sequence", flat=True)) == list(
            range(1, published.count() + 1)
        )
        for entry in published.select_related("batch", "resource"):
            assert entry.snapshot["id"] == str(entry.resource_id)
            assert entry.snapshot["version"] == entry.listed_version
            assert entry.snapshot["platform"]["slug"] == entry.platform.slug
            assert entry.listed_at == entry.batch.published_at
            assert entry.citation == f"batch-{number}/{entry.sequence}"
        rejected = Entry.objects.filter(batch__number=number, status="rejected")
        assert all(entry.reason and entry.sequence is None for entry in rejected)


def test_some_entries_were_withdrawn_with_reasons_after_publication(seeded):
    withdrawn = list(Entry.objects.filter(status="withdrawn").select_related("batch"))

    assert {entry.batch.number for entry in withdrawn} == {1, 2}
    assert len(withdrawn) >= 4
    for entry in withdrawn:
        assert entry.reason
        assert entry.withdrawn_by is not None
        assert entry.withdrawn_at > entry.batch.published_at
    # A withdrawn resource took every one of its listings with it, with the same reason.
    gone = Resource.objects.filter(status="withdrawn", entries__isnull=False).distinct()
    assert gone.exists()
    for resource in gone:
        entries = list(resource.entries.exclude(status="rejected"))
        assert {entry.status for entry in entries} == {"withdrawn"}
        assert len({entry.reason for entry in entries}) == 1
    assert any(resource.entries.count() == 2 for resource in gone)  # listed in both batches


def test_batch_2_differs_from_batch_1_by_each_case_of_the_diff(seeded):
    diff = batch_diff(batch=batch(2), against=batch(1))

    assert len(diff["newly_listed"]) >= 20
    assert len(diff["not_listed_again"]) >= 5
    assert {item["withdrawn_from"] for item in diff["withdrawn"]} == {"registry", "list"}
    assert len(diff["listed_again"]["changed"]) >= 5
    assert diff["listed_again"]["unchanged"] >= 30
    for change in diff["listed_again"]["changed"]:
        assert change["changes"]
        assert set(change["changes"]) <= {"summary", "summary_en", "sme_terms"}


def test_some_listed_resources_changed_since_their_listing(seeded):
    listed = Entry.objects.filter(status="listed").select_related("resource")

    changed = [entry for entry in listed if entry.resource.version != entry.listed_version]

    assert {entry.batch.number for entry in changed} == {1, 2}
    for entry in changed:
        assert entry.snapshot["version"] < entry.resource.version


def test_batch_3_has_submissions_some_reviewed_and_most_waiting_for_review(seeded):
    counts = statuses(3)

    assert sum(counts.values()) == BATCH_3_SUBMISSIONS
    assert set(counts) == {"submitted", "approved", "rejected"}
    assert counts["submitted"] > counts["approved"] > counts["rejected"] > 0
    entries = Entry.objects.filter(batch__number=3)
    assert all(entry.reason for entry in entries.filter(status="rejected"))
    assert not entries.exclude(sequence=None).exists()
    assert not entries.filter(snapshot__isnull=False).exists()
    assert entries.values("platform").distinct().count() >= 5
    for entry in entries.exclude(status="submitted"):
        assert entry.submitted_at < entry.decided_at < start_of(TODAY)
    # Some of batch 2 again, and resources never listed before.
    again = entries.filter(resource__entries__batch__number=2).distinct()
    assert 0 < again.count() < entries.count()


def test_a_publisher_can_take_a_resource_through_the_open_batch_to_its_publication(seeded):
    """With the demo's users: a publisher submits one of its platform's resources to batch 3, the
    curator decides every waiting submission, closes the batch and publishes it."""
    users = get_user_model().objects
    resource = (
        Resource.objects.filter(status="active")
        .exclude(entries__batch__number=3)
        .select_related("platform")
        .order_by("pk")
        .first()
    )
    publisher, curator = APIClient(), APIClient()
    publisher.force_authenticate(users.get(username=f"{resource.platform.slug}-publisher"))
    curator.force_authenticate(users.get(username=CURATOR_USERNAME))

    submitted = publisher.post(
        "/api/v1/batches/3/entries/", {"resource": str(resource.pk)}, format="json"
    )
    assert submitted.status_code == 201, submitted.content
    for entry in Entry.objects.filter(batch__number=3, status="submitted"):
        assert curator.post(f"/api/v1/entries/{entry.pk}/approve/").status_code == 200
    assert curator.post("/api/v1/batches/3/close/").json()["status"] == "review"
    published = curator.post("/api/v1/batches/3/publish/")

    assert published.json()["status"] == "published"
    assert Entry.objects.get(batch__number=3, resource=resource).status == "listed"


def test_the_entries_were_submitted_by_their_platforms_publishers_and_decided_by_the_curator(
    seeded,
):
    for entry in Entry.objects.select_related("platform", "submitted_by", "decided_by"):
        assert entry.submitted_by.username == f"{entry.platform.slug}-publisher"
        assert entry.platform.members.filter(pk=entry.submitted_by.pk).exists()
        if entry.status != "submitted":
            assert entry.decided_by.username == CURATOR_USERNAME


def test_the_demo_users_cannot_sign_in_and_have_their_roles(seeded):
    users = get_user_model().objects.all()
    curator = users.get(username=CURATOR_USERNAME)
    sme = users.get(username=SME_USERNAME)

    assert is_curator(curator)
    assert not curator.is_superuser
    assert not is_curator(sme)
    assert not sme.is_staff
    assert not sme.platforms.exists()
    publishers = users.filter(username__endswith="-publisher")
    assert publishers.count() == Platform.objects.count()
    for user in [curator, sme, *publishers]:
        assert not user.has_usable_password()
    for platform in Platform.objects.all():
        assert [u.username for u in platform.members.all()] == [f"{platform.slug}-publisher"]


def test_the_events_exist_once_for_each_publication_and_listing_in_order(seeded):
    published = Event.objects.filter(type="batch.published")
    assert sorted(published.values_list("subject_id", flat=True)) == ["1", "2"]
    listed_ids = Entry.objects.filter(status__in=["listed", "withdrawn"]).values_list(
        "pk", flat=True
    )
    listed_events = Event.objects.filter(type="entry.listed")
    assert sorted(int(pk) for pk in listed_events.values_list("subject_id", flat=True)) == sorted(
        listed_ids
    )
    withdrawn = Entry.objects.filter(status="withdrawn").values_list("pk", flat=True)
    assert sorted(
        int(pk)
        for pk in Event.objects.filter(type="entry.withdrawn").values_list("subject_id", flat=True)
    ) == sorted(withdrawn)
    assert Event.objects.filter(type="resource.updated").exists()
    assert Event.objects.filter(type="resource.withdrawn").exists()
    times = list(Event.objects.order_by("id").values_list("occurred_at", flat=True))
    assert times == sorted(times)
    assert {moment.year for moment in times} == {2026}
    assert times[-1] < start_of(TODAY)


def test_every_step_is_recorded_in_the_change_history(seeded):
    actions = Counter(ChangeRecord.objects.values_list("action", flat=True))

    assert actions["published"] == 2
    assert actions["submitted"] == Entry.objects.count()
    assert actions["rejected"] == Entry.objects.filter(status="rejected").count()
    assert actions["member_added"] == Platform.objects.count()


def test_running_the_seed_again_creates_nothing(seeded):
    def counts() -> tuple[int, ...]:
        return (
            Batch.objects.count(),
            Entry.objects.count(),
            Event.objects.count(),
            ChangeRecord.objects.count(),
            get_user_model().objects.count(),
        )

    before = counts()

    output = seed()

    assert counts() == before
    assert "Batches: none created" in output


def test_the_batches_draw_from_the_first_demo_resources_whatever_the_catalogue_size(seeded):
    candidates = {demo.resource_id(index) for index in range(400)}

    assert set(Entry.objects.values_list("resource_id", flat=True)) <= candidates


def test_the_admin_shows_the_demo_batches_entries_and_events(seeded, client):
    client.force_login(get_user_model().objects.get(username=CURATOR_USERNAME))
    entry = Entry.objects.filter(status="withdrawn").first()
    pages = [
        "/admin/openness/batch/",
        f"/admin/openness/batch/{batch(1).pk}/change/",
        f"/admin/openness/batch/{batch(3).pk}/change/",
        "/admin/openness/entry/",
        "/admin/openness/entry/?status__exact=submitted",
        f"/admin/openness/entry/{entry.pk}/change/",
        "/admin/core/event/",
        f"/admin/core/event/{Event.objects.last().pk}/change/",
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
