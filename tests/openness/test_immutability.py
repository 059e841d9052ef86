"""Published history is final: through the API (409), in the models (save and delete refuse) and
in the database itself (triggers on PostgreSQL and SQLite refuse raw updates and deletes). Only
a listed entry's withdrawal gets through, on every level."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from core.models import ChangeRecord, Event
from openness import services
from openness.models import Batch, Entry
from tests.api_cases import assert_problem
from tests.factories import PlatformFactory
from tests.openness.helpers import (
    active_resource,
    batch_in,
    curator_user,
    published_batch,
    publisher_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator() -> Any:
    return curator_user()


@pytest.fixture
def platform() -> Any:
    return PlatformFactory(slug="platform-a")


@pytest.fixture
def batch(curator, platform) -> Batch:
    """Published: two listed entries and a rejected one."""
    return published_batch(
        curator,
        [active_resource(platform), active_resource(platform)],
        rejected=[active_resource(platform)],
    )


@pytest.fixture
def listed(batch) -> Entry:
    return batch.entries.get(sequence=1)


@pytest.fixture
def withdrawn(curator, batch) -> Entry:
    entry = batch.entries.get(sequence=2)
    return services.entry_withdraw(actor=curator, entry_id=entry.pk, reason="停止开放")


def state() -> dict[str, Any]:
    return {
        "batches": list(Batch.objects.order_by("pk").values()),
        "entries": list(Entry.objects.order_by("pk").values()),
        "events": Event.objects.count(),
        "change records": ChangeRecord.objects.count(),
    }


# Through the API -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("patch", "", {"title": "改过的标题"}),
        ("patch", "", {}),
        ("post", "open/", None),
        ("post", "close/", None),
        ("post", "publish/", None),
    ],
    ids=["patch", "empty patch", "open", "close", "publish"],
)
def test_every_write_to_a_published_batch_is_a_409_and_changes_nothing(
    api_client, curator, batch, method, path, body
):
    api_client.force_login(curator)
    before = state()
    send = getattr(api_client, method)
    response = send(f"/api/v1/batches/{batch.number}/{path}", body, format="json")
    problem = assert_problem(response, 409)
    assert problem["type"] == "/api/problems/batch-final"
    assert state() == before


def test_nothing_can_be_submitted_to_a_published_batch(api_client, platform, batch):
    api_client.force_login(publisher_of(platform, "publisher_a"))
    before = state()
    response = api_client.post(
        f"/api/v1/batches/{batch.number}/entries/",
        {"resource": str(active_resource(platform).pk)},
        format="json",
    )
    assert_problem(response, 409)
    assert state() == before


@pytest.mark.parametrize(
    ("action", "body"),
    [("approve", None), ("reject", {"reason": "改判"}), ("retract", None)],
)
@pytest.mark.parametrize("which", ["listed", "withdrawn", "rejected"])
def test_the_review_actions_on_entries_of_a_published_batch_are_409(
    api_client, curator, batch, withdrawn, which, action, body
):
    entry = {
        "listed": batch.entries.get(sequence=1),
        "withdrawn": withdrawn,
        "rejected": batch.entries.get(status="rejected"),
    }[which]
    api_client.force_login(curator)
    before = state()
    response = api_client.post(f"/api/v1/entries/{entry.pk}/{action}/", body, format="json")
    assert_problem(response, 409)
    assert state() == before


def test_a_withdrawn_entry_cannot_be_withdrawn_again_through_the_api(
    api_client, curator, withdrawn
):
    api_client.force_login(curator)
    before = state()
    response = api_client.post(
        f"/api/v1/entries/{withdrawn.pk}/withdraw/", {"reason": "再撤一次"}, format="json"
    )
    assert_problem(response, 409)
    assert state() == before


def test_a_listed_entry_can_still_be_withdrawn_through_the_api(api_client, curator, listed):
    api_client.force_login(curator)
    response = api_client.post(
        f"/api/v1/entries/{listed.pk}/withdraw/", {"reason": "停止开放"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "withdrawn"
    assert response.json()["sequence"] == 1


# In the models ---------------------------------------------------------------------------------


def test_saving_a_published_batch_is_refused(batch):
    batch = Batch.objects.get(pk=batch.pk)
    batch.title = "改过的标题"
    with pytest.raises(ValidationError):
        batch.save()
    assert Batch.objects.get(pk=batch.pk).title != "改过的标题"


def test_deleting_a_published_batch_is_refused_by_the_model(curator):
    batch = batch_in("published", curator)
    with pytest.raises(ValidationError):
        batch.delete()
    assert Batch.objects.filter(pk=batch.pk).exists()


def refused_by_the_model(entry: Entry, change: dict[str, Any]) -> None:
    """Saves ``entry`` as read afresh with ``change`` made, and checks that the model refused it
    and that nothing changed."""
    before = state()
    entry = Entry.objects.get(pk=entry.pk)
    for name, value in change.items():
        setattr(entry, name, value)
    with pytest.raises(ValidationError):
        entry.save()
    assert state() == before


@pytest.mark.parametrize(
    "change",
    [
        {"reason": "改写"},
        {"sequence": 99},
        {"status": "approved"},
        {"snapshot": {"name": "篡改"}},
    ],
    ids=["reason", "sequence", "status", "snapshot"],
)
def test_saving_a_listed_entry_with_any_change_but_withdrawal_is_refused(listed, change):
    refused_by_the_model(listed, change)


@pytest.mark.parametrize(
    "change", [{"reason": "改写"}, {"status": "listed"}], ids=["reason", "relisted"]
)
def test_saving_a_withdrawn_entry_is_refused(withdrawn, change):
    refused_by_the_model(withdrawn, change)


def test_deleting_a_listed_entry_is_refused_by_the_model(listed):
    with pytest.raises(ValidationError):
        Entry.objects.get(pk=listed.pk).delete()
    assert Entry.objects.filter(pk=listed.pk).exists()


def test_the_model_lets_a_listed_entry_be_withdrawn(listed):
    entry = Entry.objects.get(pk=listed.pk)
    entry.status = "withdrawn"
    entry.reason = "停止开放"
    entry.withdrawn_at = timezone.now()
    entry.save()
    assert Entry.objects.get(pk=listed.pk).status == "withdrawn"


# In the database -------------------------------------------------------------------------------


def refused_by_the_database(write: Any) -> IntegrityError:
    """Runs ``write`` in its own savepoint, checks that the database refused it and that nothing
    changed, and returns the IntegrityError the trigger raised."""
    before = state()
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        write()
    assert not isinstance(refused.value, ProtectedError), "refused by Django, not the database"
    assert "is published" in str(refused.value)  # the trigger's own message
    assert state() == before
    return refused.value


@pytest.mark.parametrize(
    "change",
    [{"title": "改过的标题"}, {"status": "review"}, {"published_at": None}],
    ids=["title", "status", "published_at"],
)
def test_a_raw_update_of_a_published_batch_is_refused_by_the_database(batch, change):
    refused_by_the_database(lambda: Batch.objects.filter(pk=batch.pk).update(**change))


def test_a_batch_saved_without_reading_it_first_is_refused_by_the_database(batch):
    """The model's guard only knows rows it has read; the trigger knows them all."""
    stranger = Batch(pk=batch.pk, number=batch.number, title="冒名顶替", year=2020)
    refused_by_the_database(stranger.save)


def test_a_raw_delete_of_a_published_batch_is_refused_by_the_database(curator):
    batch = batch_in("published", curator)  # no entries, so no foreign key protects it
    refused_by_the_database(lambda: Batch.objects.filter(pk=batch.pk).delete())


@pytest.mark.parametrize(
    "change",
    [
        {"reason": "改写"},
        {"status": "approved"},
        {"sequence": 99},
        {"status": "withdrawn", "sequence": 99},
        {"status": "withdrawn", "snapshot": {"name": "篡改"}},
        {"status": "withdrawn", "listed_version": 99},
        {"status": "withdrawn", "listed_at": None},
    ],
    ids=[
        "reason",
        "status",
        "sequence",
        "withdrawn with another number",
        "withdrawn with another snapshot",
        "withdrawn with another version",
        "withdrawn unlisted",
    ],
)
def test_a_raw_update_of_a_listed_entry_is_refused_by_the_database(listed, change):
    refused_by_the_database(lambda: Entry.objects.filter(pk=listed.pk).update(**change))


@pytest.mark.parametrize(
    "change",
    [{"reason": "改写"}, {"status": "listed"}, {"withdrawn_at": None}],
    ids=["reason", "relisted", "withdrawal time"],
)
def test_a_raw_update_of_a_withdrawn_entry_is_refused_by_the_database(withdrawn, change):
    refused_by_the_database(lambda: Entry.objects.filter(pk=withdrawn.pk).update(**change))


@pytest.mark.parametrize("which", ["listed", "withdrawn"])
def test_a_raw_delete_of_a_published_entry_is_refused_by_the_database(listed, withdrawn, which):
    entry = {"listed": listed, "withdrawn": withdrawn}[which]
    refused_by_the_database(lambda: Entry.objects.filter(pk=entry.pk).delete())


def test_the_database_lets_a_listed_entry_be_withdrawn_with_a_reason(listed):
    now = timezone.now()
    with transaction.atomic():
        Entry.objects.filter(pk=listed.pk).update(
            status="withdrawn", reason="停止开放", withdrawn_at=now
        )
    entry = Entry.objects.get(pk=listed.pk)
    assert (entry.status, entry.reason, entry.sequence) == ("withdrawn", "停止开放", 1)


def test_the_triggers_exist_on_this_database():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'openness_%%' AND NOT tgisinternal"
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        names = {row[0] for row in cursor.fetchall()}
    assert {name for name in names if name.startswith("openness_")}


def test_unpublished_batches_and_their_entries_stay_editable_below_the_api(curator, platform):
    batch = batch_in("review", curator)
    with transaction.atomic():
        Batch.objects.filter(pk=batch.pk).update(title="复核中改名")
    assert Batch.objects.get(pk=batch.pk).title == "复核中改名"


def late_entry(batch: Batch, resource: Any) -> Entry:
    return Entry(
        batch=batch,
        resource=resource,
        platform=resource.platform,
        status="listed",
        sequence=3,
        resource_type=resource.resource_type,
        access_model=resource.access_model,
        submitted_at=timezone.now(),
    )


def test_adding_an_entry_to_a_published_batch_is_refused_by_the_model(batch, platform):
    before = state()
    with pytest.raises(ValidationError):
        late_entry(batch, active_resource(platform)).save()
    assert state() == before


def test_a_raw_insert_into_a_published_batch_is_refused_by_the_database(batch, platform):
    resource = active_resource(platform)
    refused_by_the_database(lambda: Entry.objects.bulk_create([late_entry(batch, resource)]))
