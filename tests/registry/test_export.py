"""The catalogue in one download: NDJSON or CSV, the resources the reader may see, as the list
represents them, with the change feed's cursor to follow afterwards."""

import csv
import io
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry import services
from registry.api.views import exports
from registry.models import Resource
from tests.factories import PlatformFactory, ResourceFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/exports/resources/"


def lines(response) -> list[dict[str, Any]]:
    body = b"".join(response.streaming_content).decode()
    return [json.loads(line) for line in body.splitlines()]


@pytest.fixture
def catalogue(platform_a):
    return [
        ResourceFactory(platform=platform_a, name="算力券", resource_type="compute"),
        ResourceFactory(platform=platform_a, name="企业数据", resource_type="data"),
        ResourceFactory(platform=platform_a, name="草稿", status="draft"),
    ]


def test_the_export_is_ndjson_of_every_active_resource_as_the_list_shows_it(api_client, catalogue):
    response = api_client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson"
    exported = lines(response)
    assert sorted(item["name"] for item in exported) == ["企业数据", "算力券"]  # no draft
    listed = api_client.get("/api/v1/resources/").json()["results"]
    assert sorted(exported, key=lambda item: item["id"]) == sorted(listed, key=lambda i: i["id"])


def test_the_export_takes_the_lists_filters_and_csv(api_client, catalogue):
    response = api_client.get(URL, {"type": "data", "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body[1:])))
    assert [(row["name"], row["resource_type"], row["platform"]) for row in rows] == [
        ("企业数据", "data", "platform-a")
    ]
    assert rows[0]["regions"] == "440000"


def test_a_publisher_exports_their_own_drafts_too(writer, catalogue):
    drafts = lines(writer.get(URL, {"status": "draft"}))
    assert [item["name"] for item in drafts] == ["草稿"]


def test_the_feed_cursor_of_the_export_resumes_after_the_last_change_before_it(
    api_client, catalogue
):
    response = api_client.get(URL)
    cursor = response["X-Feed-Cursor"]
    assert api_client.get("/api/v1/events/", {"cursor": cursor}).json()["results"] == []
    services.resource_update(
        actor=None, resource_id=catalogue[0].pk, data={"name": "改名"}, if_match=None
    )
    since = api_client.get("/api/v1/events/", {"cursor": cursor}).json()["results"]
    assert [event["type"] for event in since] == ["resource.updated"]


def test_the_export_reads_in_chunks_each_costing_the_same_few_queries(
    api_client, platform_a, monkeypatch
):
    monkeypatch.setattr(exports, "CHUNK", 2)

    def queries(count: int) -> int:
        while Resource.objects.filter(status="active").count() < count:
            ResourceFactory(platform=platform_a)
        with CaptureQueriesContext(connection) as captured:
            assert len(lines(api_client.get(URL))) == count
        return len(captured.captured_queries)

    one, two, three = queries(1), queries(3), queries(5)  # one, two and three chunks
    per_chunk = two - one
    assert three - two == per_chunk  # no query per resource
    assert per_chunk <= 8


def test_the_export_refuses_q_an_unknown_format_and_json(api_client):
    assert api_client.get(URL, {"q": "算力"}).status_code == 400
    assert api_client.get(URL, {"format": "xml"}).status_code == 406
    assert api_client.get(URL, HTTP_ACCEPT="application/json").status_code == 406


def test_the_api_root_links_the_export(api_client):
    assert api_client.get("/api/v1/").json()["resource_export"].endswith(URL)


def test_a_platform_of_its_own_is_exported_with_its_resources(api_client):
    platform = PlatformFactory(slug="solo", name="独立平台")
    ResourceFactory(platform=platform)
    exported = lines(api_client.get(URL, {"platform": "solo"}))
    assert [item["platform"]["name"] for item in exported] == ["独立平台"]
