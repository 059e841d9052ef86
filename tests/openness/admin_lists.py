"""What the openness admin's tests share: its addresses, entries submitted through the services
and their statuses read again (the open batch they go to: the ``open_batch`` fixture, in
``conftest``)."""

from typing import Any

from openness import services
from openness.models import Batch, Entry
from tests.factories import ResourceFactory

BATCHES = "/admin/openness/batch/"
ENTRIES = "/admin/openness/entry/"
EVENTS = "/admin/core/event/"


def submit(batch: Batch, count: int, platform: Any, actor: Any = None) -> list[Entry]:
    return [
        services.entry_submit(
            actor=actor, batch_id=batch.pk, resource=ResourceFactory(platform=platform)
        )
        for _ in range(count)
    ]


def statuses(entries: list[Entry]) -> list[str]:
    return [Entry.objects.get(pk=entry.pk).status for entry in entries]
