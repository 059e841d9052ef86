"""The orjson renderer writes the bytes DRF's own JSON renderer writes."""

import uuid
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.exceptions import ErrorDetail
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from config.api.renderers import JSONRenderer

SHANGHAI = timezone(timedelta(hours=8))

PAYLOADS = {
    "a page": ReturnDict(
        {
            "next": None,
            "results": ReturnList(
                [{"name": "算力资源“A800”", "tags": ["gpu", "大模型"]}], serializer=None
            ),
        },
        serializer=None,
    ),
    "separators": {"text": "line\u2028paragraph\u2029end"},
    "times": {
        "utc": datetime(2026, 11, 28, 12, 0, tzinfo=UTC),
        "micro": datetime(2026, 11, 28, 12, 0, 0, 123456, tzinfo=SHANGHAI),
        "naive": datetime(2026, 11, 28, 12, 0),
        "date": date(2026, 11, 28),
        "time": time(9, 30),
        "duration": timedelta(minutes=90),
    },
    "values": {
        "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "decimal": Decimal("1.50"),
        "lazy": gettext_lazy("Not found."),
        "error": ErrorDetail("无效的值。", code="invalid"),
        "float": 0.1,
        "numbers": [0, -1, 2**62, 1.0, True, False, None],
        "empty": [{}, [], ""],
    },
    "integer keys": {1: "a", 2: {"3": "b"}},
    "a huge integer": {"n": 2**70},
    "a bare list": ["a", 1],
}


@pytest.mark.parametrize("data", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_the_renderer_writes_what_drfs_json_renderer_writes(data):
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


def test_an_indented_response_is_indented_as_drf_indents_it():
    data = PAYLOADS["values"]
    accepted = "application/json; indent=2"
    expected = renderers.JSONRenderer().render(data, accepted)
    assert JSONRenderer().render(data, accepted) == expected
    assert b"\n  " in expected


def test_nothing_renders_as_no_bytes():
    assert JSONRenderer().render(None) == b""
