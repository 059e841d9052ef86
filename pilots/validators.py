"""The shapes of a pilot's and a service platform's JSON fields, checked wherever they are written.

The API validates them item by item with its own serializers (so an error names
``participants.2.credit_code``); these validators are the model's own rule, run by ``full_clean``
in the services and by the admin's forms. ``normalise_*`` turn an accepted value into the stored
shape, every key present.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from registry.validators import validate_credit_code

MAX_ITEMS = 100
MAX_LINKS = 50
MAX_NAME = 200
MAX_URL = 500

PARTICIPANT_KEYS = {"name", "credit_code"}
MILESTONE_KEYS = {"title", "date", "done"}
validate_web_url = URLValidator(schemes=["http", "https"])


def _items(value: Any, limit: int) -> list[Any]:
    if not isinstance(value, list):
        raise ValidationError(_("Give a list."), code="not_a_list")
    if len(value) > limit:
        raise ValidationError(
            _("At most %(limit)d items."), code="max_length", params={"limit": limit}
        )
    return value


def _text(item: dict[str, Any], key: str, position: int) -> str:
    text = item.get(key)
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_NAME:
        raise ValidationError(
            _("Item %(position)d needs a %(key)s of 1 to 200 characters."),
            code="invalid",
            params={"position": position, "key": key},
        )
    return text.strip()


def _object(item: Any, allowed: set[str], position: int) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ValidationError(
            _("Item %(position)d is not an object."), code="invalid", params={"position": position}
        )
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise ValidationError(
            _("Item %(position)d has unknown keys: %(keys)s."),
            code="unknown_field",
            params={"position": position, "keys": ", ".join(unknown)},
        )
    return item


def validate_participants(value: Any) -> None:
    """A list of ``{"name", "credit_code"?}``: the credit code, when given, must be valid."""
    for position, item in enumerate(_items(value, MAX_ITEMS), start=1):
        _text(_object(item, PARTICIPANT_KEYS, position), "name", position)
        code = item.get("credit_code")
        if code not in (None, ""):
            if not isinstance(code, str):
                raise ValidationError(_("A credit code is text."), code="invalid")
            validate_credit_code(code)


def normalise_participants(value: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"name": item["name"].strip(), "credit_code": item.get("credit_code") or None}
        for item in value
    ]


def validate_milestones(value: Any) -> None:
    """A list of ``{"title", "date", "done"?}``, the date as ``YYYY-MM-DD``."""
    for position, item in enumerate(_items(value, MAX_ITEMS), start=1):
        _text(_object(item, MILESTONE_KEYS, position), "title", position)
        try:
            date.fromisoformat(str(item.get("date")))
        except ValueError:
            raise ValidationError(
                _("Item %(position)d needs a date (YYYY-MM-DD)."),
                code="invalid",
                params={"position": position},
            ) from None
        if not isinstance(item.get("done", False), bool):
            raise ValidationError(
                _("Item %(position)d: done is true or false."),
                code="invalid",
                params={"position": position},
            )


def normalise_milestones(value: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "title": item["title"].strip(),
            "date": date.fromisoformat(str(item["date"])).isoformat(),
            "done": bool(item.get("done", False)),
        }
        for item in value
    ]


def validate_evidence_links(value: Any) -> None:
    """A list of http or https URLs."""
    for item in _items(value, MAX_LINKS):
        if not isinstance(item, str) or len(item) > MAX_URL:
            raise ValidationError(_("Each link is a URL of at most 500 characters."))
        validate_web_url(item)


def validate_services(value: Any) -> None:
    """A list of short phrases, each 1 to 200 characters."""
    for item in _items(value, MAX_LINKS):
        if not isinstance(item, str) or not item.strip() or len(item) > MAX_NAME:
            raise ValidationError(_("Each service is a phrase of 1 to 200 characters."))
