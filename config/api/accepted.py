"""Refusing a value outside a fixed list: a message and an error item that say what is accepted.

Every choice-valued query parameter (the filter sets' choice filters, through the form of
``config.api.filtersets.BaseFilterSet``) and every choice-valued body field (``ChoiceField`` of
``config.api.fields``) refuses through ``refusal`` here, so the problem's error item reads

    {"attr": "access_model", "code": "invalid_choice",
     "detail": "“free” is not one of the accepted values: open, free_quota, paid, application.",
     "choices": ["open", "free_quota", "paid", "application"]}

A list longer than ``MAX_LISTED`` values is not spelled out when an API endpoint lists the
vocabulary (``register_vocabulary``): the item gives that endpoint's path as ``choices_url``
instead, and the message names it.

How ``choices`` reaches the error item: DRF and django-filter copy an error from one exception to
the next keeping only its message and its code. So the code itself carries the extra keys: an
``InvalidChoice`` is the string ``"invalid_choice"`` (it compares, hashes and serialises as that)
with the keys to add, which ``config.api.errors`` adds to the error item.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

#: At most this many accepted values are listed; beyond it, the vocabulary's endpoint is named.
MAX_LISTED = 20
#: At most this many refused values are named, each cut to ``MAX_VALUE_CHARS``: a message stays
#: short whatever the request sent.
MAX_NAMED = 5
MAX_VALUE_CHARS = 40

_vocabularies: dict[frozenset[str], str] = {}


def register_vocabulary(codes: Iterable[str], url_name: str) -> None:
    """``url_name`` (reversed without arguments) lists exactly ``codes``: a refusal among them
    points there rather than listing them, when they are more than ``MAX_LISTED``."""
    _vocabularies[frozenset(codes)] = url_name


class InvalidChoice(str):
    """The code ``invalid_choice``, carrying the keys its error item adds (``choices`` or
    ``choices_url``)."""

    extra: dict[str, Any]

    def __new__(cls, value: str = "invalid_choice", extra: dict[str, Any] | None = None) -> Any:
        code = super().__new__(cls, value)
        code.extra = dict(extra or {})
        return code

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.extra))


def refusal(refused: Sequence[str], accepted: Sequence[str]) -> tuple[str, dict[str, str], str]:
    """The message (a template and its parameters, as Django's validation errors keep them) and
    the code refusing the ``refused`` values, none of which is ``accepted``."""
    unique = list(dict.fromkeys(refused))  # each refused value named once, in the order given
    named = [_shortened(value) for value in unique[:MAX_NAMED]]
    values = ", ".join(f"“{value}”" for value in named) or "“”"
    if len(unique) > MAX_NAMED:
        values += ", …"
    count = max(len(unique), 1)
    url_name = _vocabularies.get(frozenset(accepted)) if len(accepted) > MAX_LISTED else None
    if url_name is not None:
        url = reverse(url_name)
        template = ngettext(
            "%(values)s is not one of the accepted values, which %(url)s lists.",
            "%(values)s are not among the accepted values, which %(url)s lists.",
            count,
        )
        return template, {"values": values, "url": url}, InvalidChoice(extra={"choices_url": url})
    template = ngettext(
        "%(values)s is not one of the accepted values: %(accepted)s.",
        "%(values)s are not among the accepted values: %(accepted)s.",
        count,
    )
    listed = ", ".join(accepted) or _("none")
    code = InvalidChoice(extra={"choices": list(accepted)})
    return template, {"values": values, "accepted": listed}, code


def _shortened(value: str) -> str:
    return value if len(value) <= MAX_VALUE_CHARS else value[: MAX_VALUE_CHARS - 1] + "…"


def refusal_message(refused: Sequence[str], accepted: Sequence[str]) -> tuple[str, str]:
    """The message, formatted, and the code refusing ``refused`` (for DRF's errors)."""
    template, params, code = refusal(refused, accepted)
    return template % params, code
