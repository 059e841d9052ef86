"""Two curators publish the same batch at the same moment, each on their own connection: exactly one
succeeds, the other is refused with a 409, and the list and its events exist once.

PostgreSQL only: SQLite serialises writers on the whole file, and a ``transaction=True`` test there
would flush the tables with DELETE, which the triggers refuse for published rows.
"""

import threading
from typing import Any

import pytest
from django.db import connection

from core.errors import DomainError
from core.models import ChangeRecord, Event
from openness import services
from openness.models import Batch, Entry
from tests.factories import PlatformFactory
from tests.openness.helpers import active_resource, curator_user, open_batch, submit

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]

LISTED = 5


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_publications_list_the_batch_once_and_refuse_the_second(vocabularies):
    curator = curator_user()
    platform = PlatformFactory(slug="platform-a")
    batch = open_batch(curator)
    for _ in range(LISTED):
        entry = submit(batch, active_resource(platform), curator)
        services.entry_approve(actor=curator, entry_id=entry.pk)
    services.batch_close(actor=curator, batch_id=batch.pk)

    barrier = threading.Barrier(2)
    outcomes: list[Any] = []
    lock = threading.Lock()

    def publish() -> None:
        try:
            barrier.wait(timeout=10)
            try:
                services.batch_publish(actor=curator, batch_id=batch.pk)
                outcome: Any = "published"
            except DomainError as refused:
                outcome = refused
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()  # each thread has its own connection; close it

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)

    assert len(outcomes) == 2, outcomes
    assert outcomes.count("published") == 1, outcomes
    (refused,) = [outcome for outcome in outcomes if outcome != "published"]
    assert refused.status == 409
    assert refused.problem in ("batch-final", "transition-not-allowed")

    assert Batch.objects.get(pk=batch.pk).status == "published"
    entries = list(Entry.objects.filter(batch=batch).order_by("sequence"))
    assert [(e.status, e.sequence) for e in entries] == [
        ("listed", n) for n in range(1, LISTED + 1)
    ]
    assert Event.objects.filter(type="batch.published").count() == 1
    listed_events = Event.objects.filter(type="entry.listed")
    assert sorted(int(e.subject_id) for e in listed_events) == sorted(e.pk for e in entries)
    assert ChangeRecord.objects.filter(action="published").count() == 1
