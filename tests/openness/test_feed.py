"""The public change feed: public events only, in id order, by a cursor that never repeats or
skips an event while new ones are written; filtered by type and time; a fixed number of queries."""

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.events import NewEvent, emit
from core.models import Event
from openness import services
from registry import services as registry_services
from tests.api_cases import assert_problem, rows
from tests.factories import VALID_ATTRIBUTES, PlatformFactory
from tests.openness.helpers import active_resource, curator_user, open_batch, submit

pytestmark = pytest.mark.django_db

FEED = "/api/v1/events/"
MARCH = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
APRIL = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


class History:
    """A resource drafted and activated in March; in April a batch opened, reviewed, published,
    then one listed resource changed, one entry withdrawn and one resource withdrawn. A second
    resource stays a draft throughout."""

    def __init__(self) -> None:
        self.curator = curator = curator_user()
        platform = PlatformFactory(slug="platform-a")
        with time_machine.travel(MARCH, tick=True):
            self.draft = registry_services.resource_create(
                actor=curator,
                platform=platform,
                data={
                    "resource_type": "compute",
                    "name": "草稿资源",
                    "access_model": "open",
                    "attributes": VALID_ATTRIBUTES["compute"],
                },
            )
            registry_services.resource_update(
                actor=curator,
                resource_id=self.draft.pk,
                data={"name": "草稿资源改名"},
                if_match=None,
            )
            self.activated = registry_services.resource_create(
                actor=curator,
                platform=platform,
                data={
                    "resource_type": "data",
                    "name": "新开放数据",
                    "summary": "面向中小企业",
                    "contact": "sme@example.cn",
                    "industries": ["C"],
                    "nationwide": True,
                    "access_model": "open",
                    "attributes": VALID_ATTRIBUTES["data"],
                },
            )
            self.activated = registry_services.resource_activate(
                actor=curator, resource_id=self.activated.pk
            )
        with time_machine.travel(APRIL, tick=True):
            self.resources = [active_resource(platform) for _ in range(3)]
            self.batch = open_batch(curator)
            entries = [submit(self.batch, r, curator) for r in [*self.resources, self.activated]]
            for entry in entries:
                services.entry_approve(actor=curator, entry_id=entry.pk)
            services.batch_close(actor=curator, batch_id=self.batch.pk)
            services.batch_publish(actor=curator, batch_id=self.batch.pk)
            registry_services.resource_update(
                actor=curator,
                resource_id=self.resources[0].pk,
                data={"name": "改名"},
                if_match=None,
            )
            services.entry_withdraw(actor=curator, entry_id=entries[1].pk, reason="停止开放")
            registry_services.resource_withdraw(
                actor=curator, resource_id=self.resources[2].pk, reason="资源下线"
            )

    def change(self, name: str) -> None:
        """One more public event (a listed resource renamed)."""
        registry_services.resource_update(
            actor=self.curator, resource_id=self.resources[0].pk, data={"name": name}, if_match=None
        )


@pytest.fixture
def history() -> History:
    return History()


def public_ids() -> list[int]:
    return list(Event.objects.filter(public=True).order_by("id").values_list("id", flat=True))


def follow(
    client: Any, url: str, params: dict[str, Any] | None = None, between: Any = None
) -> list:
    """Every event the feed yields from ``url``, following ``next`` until a page is empty (the
    feed's ``next`` is never null: it is where a reader polls for more); ``between(page)`` runs
    after each page."""
    seen = []
    response = client.get(url, params or {})
    for page in range(100):
        body = response.json()
        assert response.status_code == 200, body
        if not body["results"]:
            return seen
        seen.extend(body["results"])
        if between:
            between(page)
        response = client.get(body["next"])
    raise AssertionError("the feed never ended")


def test_the_feed_shows_exactly_the_public_events_in_id_order(api_client, history):
    events = rows(api_client.get(FEED, {"page_size": 100}))
    assert [event["id"] for event in events] == public_ids()
    assert [event["type"] for event in events] == [
        "resource.activated",
        "batch.published",
        *["entry.listed"] * 4,
        "resource.updated",
        "entry.withdrawn",
        "entry.withdrawn",  # the withdrawn resource's listing …
        "resource.withdrawn",  # … and the resource
    ]


def test_events_that_are_not_public_are_written_but_left_out_of_the_feed(api_client, history):
    private = Event.objects.filter(public=False)
    assert sorted(private.values_list("type", flat=True)) == ["batch.closed", "batch.opened"]
    events = rows(api_client.get(FEED, {"page_size": 100}))
    assert {"batch.opened", "batch.closed"}.isdisjoint(e["type"] for e in events)
    assert rows(api_client.get(FEED, {"type": "batch.opened,batch.closed"})) == []


def test_nothing_about_a_draft_reaches_the_feed(api_client, history):
    assert not Event.objects.filter(subject_id=str(history.draft.pk)).exists()
    events = rows(api_client.get(FEED, {"page_size": 100}))
    assert str(history.draft.pk) not in {e["subject"]["id"] for e in events}
    assert all(e["data"].get("resource") != str(history.draft.pk) for e in events)


def test_every_event_names_its_subject_with_an_absolute_api_url_that_answers(api_client, history):
    events = rows(api_client.get(FEED, {"page_size": 100}))
    for event in events:
        subject = event["subject"]
        assert subject["type"] in ("batch", "entry", "resource")
        assert subject["id"]
        assert subject["url"].startswith("http://testserver/api/v1/"), subject
        assert subject["url"].rstrip("/").endswith(f"/{subject['id']}"), subject
        assert api_client.get(urlsplit(subject["url"]).path).status_code == 200, subject
        assert datetime.fromisoformat(event["occurred_at"]).utcoffset() is not None
    published = next(e for e in events if e["type"] == "batch.published")
    assert published["subject"] == {
        "type": "batch",
        "id": str(history.batch.number),
        "url": f"http://testserver/api/v1/batches/{history.batch.number}/",
    }
    assert published["data"]["listed"] == 4


def test_following_the_cursor_yields_every_event_once_while_new_ones_are_written(
    api_client, history
):
    def write_between_pages(page: int) -> None:
        if page < 4:
            history.change(f"第{page}次改名")

    seen = follow(api_client, FEED, {"page_size": 2}, between=write_between_pages)
    ids = [event["id"] for event in seen]
    assert len(ids) == len(set(ids))
    assert ids == public_ids()
    assert [e["type"] for e in seen].count("resource.updated") == 1 + 4


def test_the_feed_is_in_id_order_even_when_the_clock_went_back(api_client, history):
    with time_machine.travel(APRIL.replace(year=2025)):
        history.change("时钟回拨")
    events = rows(api_client.get(FEED, {"page_size": 100}))
    assert [e["id"] for e in events] == sorted(e["id"] for e in events)
    assert events[-1]["data"]["name"] == "时钟回拨"


def test_a_reader_who_has_caught_up_polls_the_last_next_link_for_what_is_new(api_client, history):
    last = api_client.get(FEED, {"page_size": 100}).json()
    assert last["next"] is not None
    nothing_new = api_client.get(last["next"]).json()
    assert nothing_new["results"] == []
    assert nothing_new["next"] == last["next"]  # poll the same link again

    history.change("后来的变更")

    newer = api_client.get(last["next"]).json()
    assert [(e["type"], e["data"]["name"]) for e in newer["results"]] == [
        ("resource.updated", "后来的变更")
    ]
    assert api_client.get(newer["next"]).json()["results"] == []


@pytest.mark.parametrize(
    ("params", "types"),
    [
        ({"type": "entry.listed"}, ["entry.listed"] * 4),
        (
            {"type": "batch.published,resource.withdrawn"},
            ["batch.published", "resource.withdrawn"],
        ),
        ({"type": ["entry.withdrawn", "resource.activated"]}, [
            "resource.activated", "entry.withdrawn", "entry.withdrawn",
        ]),
        ({"since": "2026-03-15T00:00:00+08:00", "type": "resource.activated"}, []),
        ({"since": "2026-03-01T00:00:00Z", "type": "resource.activated"}, ["resource.activated"]),
        ({"until_is_not_a_filter": "x"}, None),
    ],
    ids=["one type", "two types", "repeated", "since after", "since before", "unknown"],
)  # fmt: skip
def test_the_feed_filters_by_type_and_since(api_client, history, params, types):
    response = api_client.get(FEED, {**params, "page_size": 100})
    if types is None:
        assert_problem(response, 400, attr=next(iter(params)))
    else:
        assert [e["type"] for e in rows(response)] == types


def test_since_keeps_the_events_at_or_after_the_moment(api_client, history):
    april = Event.objects.filter(public=True, occurred_at__gte=APRIL)
    events = rows(api_client.get(FEED, {"since": APRIL.isoformat(), "page_size": 100}))
    assert [e["id"] for e in events] == list(april.order_by("id").values_list("id", flat=True))
    assert "resource.activated" not in [e["type"] for e in events]
    assert len(events) == len(public_ids()) - 1


@pytest.mark.parametrize(
    "params",
    [{"type": "batch.deleted"}, {"since": "yesterday"}, {"since": "99999-01-01T00:00:00Z"},
     {"page_size": "0"}, {"page_size": "101"}, {"cursor": "not-a-cursor"}],
    ids=["type", "since", "since out of range", "page size 0", "page size 101", "cursor"],
)  # fmt: skip
def test_invalid_feed_parameters_are_400s_naming_them(api_client, params):
    assert_problem(api_client.get(FEED, params), 400, attr=next(iter(params)))


def test_the_feed_runs_the_same_queries_at_page_sizes_1_and_100(api_client):
    with transaction.atomic():  # events are written inside a transaction
        emit(
            *(
                NewEvent(
                    "resource.updated",
                    "resource",
                    f"r{n}",
                    {"url": f"/api/v1/resources/r{n}/", "name": f"资源{n}"},
                    public=True,
                )
                for n in range(150)
            )
        )
    counts = {}
    for size in (1, 100):
        with CaptureQueriesContext(connection) as captured:
            response = api_client.get(FEED, {"page_size": size})
        assert len(rows(response)) == size
        counts[size] = len(captured)
    assert counts[1] == counts[100] == 1


def test_an_empty_feed_is_an_empty_page_whose_next_link_waits_for_the_first_event(api_client, db):
    body = api_client.get(FEED).json()
    assert (body["results"], body["previous"]) == ([], None)
    assert body["next"] == "http://testserver/api/v1/events/"
