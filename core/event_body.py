"""An event as the registry shows it, the one shape of the change feed, a subscription's pull feed
and a webhook's body::

    {"id": 216, "type": "entry.listed", "occurred_at": "2026-11-28T06:26:49.122730Z",
     "subject": {"type": "entry", "id": "197", "url": "https://…/api/v1/entries/197/"},
     "data": {…, "url": "https://…/api/v1/entries/197/", …}}

Every URL is absolute (``absolute`` turns the stored paths into URLs: the request's host for an
answer, ``SITE_URL`` for a webhook) and the time is written as every other time of the API.
What ``data`` holds for each type is declared in ``core.event_schemas``. A delivered event (a
webhook, a subscription's feed) adds ``delivery`` (``notifications.delivery.delivered_body``).
"""

from collections.abc import Callable
from typing import Any

from rest_framework.fields import DateTimeField

from core.models import Event

_TIME = DateTimeField()


def event_body(event: Event, absolute: Callable[[str], str]) -> dict[str, Any]:
    data = {
        key: absolute(value) if _is_path(key, value) else value for key, value in event.data.items()
    }
    return {
        "id": event.pk,
        "type": event.type,
        "occurred_at": _TIME.to_representation(event.occurred_at),
        "subject": {
            "type": event.subject_type,
            "id": event.subject_id,
            "url": data.get("url"),
        },
        "data": data,
    }


def _is_path(key: str, value: Any) -> bool:
    return key.endswith("url") and isinstance(value, str) and value.startswith("/")
