"""Batches and entries through the API, by role: one table of (method, url, body, role, expected
status) for every openness endpoint, then what each role sees in the lists and the counts.

Each row runs against the same world (batch 1 and 2 published, 3 open, 4 in review, 5 a draft;
platform A and B each with resources in them), rolled back after every row, so rows never see
each other's writes. Whenever a row is refused (any 4xx) the database must be exactly as it was
before the request; whenever a write is accepted, something must have changed.

Roles as in ``tests/registry/test_permissions_matrix.py``: ``anonymous``, ``sme`` (signed in,
publishes for no platform), ``publisher_a`` / ``publisher_b`` and ``curator``. Batches a role may
not see answer 404; actions only curators may take answer 403 to everyone else signed in (before
any object is looked up); anonymous writes are 401.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from core.models import ChangeRecord, Event
from openness import services
from openness.models import Batch, Entry
from registry.models import Resource
from tests import api_cases
from tests.api_cases import (
    a_and_curators,
    a_and_curators_hidden,
    assert_answered_as_the_table_says,
    assert_problem,
    assert_table_covers_every_role,
    curators_only,
    everyone,
    rows,
    seen_by_a,
    send_as,
    users_by_role,
)
from tests.factories import PlatformFactory
from tests.openness.helpers import (
    active_resource,
    batch_in,
    open_batch,
    published_batch,
    submit,
)

pytestmark = pytest.mark.django_db

BATCHES = "/api/v1/batches/"
PUBLISHED = "/api/v1/batches/{published}/"
PUBLISHED_1 = "/api/v1/batches/{published_1}/"
OPEN = "/api/v1/batches/{open}/"
REVIEW = "/api/v1/batches/{review}/"
DRAFT = "/api/v1/batches/{draft}/"
LISTED = "/api/v1/entries/{listed_a}/"
WITHDRAWN = "/api/v1/entries/{withdrawn_a}/"
REJECTED = "/api/v1/entries/{rejected_a}/"
SUBMITTED = "/api/v1/entries/{submitted_a}/"
IN_REVIEW = "/api/v1/entries/{in_review_a}/"

Row = tuple[str, str, Any, str, int]


def expect(method: str, url: str, body: Any = None, **statuses: int) -> list[Row]:
    """The five rows of one endpoint, method and body, one per role (``api_cases.expect``'s,
    with the body)."""
    return [
        (m, u, body, role, status)
        for m, u, role, status in api_cases.expect(method, url, **statuses)
    ]


def seen_by_curators(status: int) -> dict[str, int]:
    """Reads of what only curators see (draft and review batches): 404 to everyone else."""
    return {"anonymous": 404, "sme": 404, "publisher_a": 404, "publisher_b": 404, "curator": status}


def seen_by_publishers(status: int) -> dict[str, int]:
    """Reads of open batches: publishers and curators."""
    return {
        "anonymous": 404,
        "sme": 404,
        "publisher_a": status,
        "publisher_b": status,
        "curator": status,
    }


NEW_BATCH = {
    "title": "第六批平台开放清单",
    "year": 2027,
    "document_reference": "工信厅企业函〔2027〕1号",
}
RENAME = {"title": "改过的标题"}
REASON = {"reason": "不符合开放条件"}
FRESH_A = {"resource": "{fresh_a}"}
FRESH_B = {"resource": "{fresh_b}"}
DRAFT_A = {"resource": "{draft_a}"}

# (method, url, body, role, expected status) -----------------------------------------------------
TABLE = [
    # Batches: the list answers everyone (what it holds depends on the role; see below).
    *expect("GET", BATCHES, **everyone(200)),
    *expect("POST", BATCHES, NEW_BATCH, **curators_only(201)),
    # A batch by number: published to all, open to publishers, draft and review to curators.
    *expect("GET", PUBLISHED, **everyone(200)),
    *expect("GET", OPEN, **seen_by_publishers(200)),
    *expect("GET", REVIEW, **seen_by_curators(200)),
    *expect("GET", DRAFT, **seen_by_curators(200)),
    *expect("PATCH", DRAFT, RENAME, **curators_only(200)),
    *expect("PATCH", OPEN, RENAME, **curators_only(200)),
    *expect("PATCH", REVIEW, RENAME, **curators_only(200)),
    *expect("PATCH", PUBLISHED, RENAME, **curators_only(409)),
    # Batches are never replaced or deleted, whoever asks.
    *expect("PUT", DRAFT, NEW_BATCH, **everyone(405)),
    *expect("DELETE", DRAFT, **everyone(405)),
    *expect("DELETE", PUBLISHED, **everyone(405)),
    # The workflow: curators only; a move the table does not allow is a 409.
    *expect("POST", DRAFT + "open/", **curators_only(200)),
    *expect("POST", OPEN + "close/", **curators_only(200)),
    *expect("POST", REVIEW + "publish/", **curators_only(200)),
    *expect("POST", OPEN + "open/", **curators_only(409)),
    *expect("POST", DRAFT + "publish/", **curators_only(409)),
    *expect("POST", PUBLISHED + "close/", **curators_only(409)),
    # A batch's entries: read as the batch is; submissions by the resource's own publishers.
    *expect("GET", PUBLISHED + "entries/", **everyone(200)),
    *expect("GET", OPEN + "entries/", **seen_by_publishers(200)),
    *expect("GET", DRAFT + "entries/", **seen_by_curators(200)),
    *expect("POST", OPEN + "entries/", FRESH_A, **a_and_curators(201)),
    *expect(
        "POST", OPEN + "entries/", FRESH_B,
        anonymous=401, sme=403, publisher_a=403, publisher_b=201, curator=201,
    ),
    *expect(  # A's draft: not visible to B (400: no such resource), not active for A (409)
        "POST", OPEN + "entries/", DRAFT_A,
        anonymous=401, sme=403, publisher_a=409, publisher_b=400, curator=409,
    ),
    *expect("POST", PUBLISHED + "entries/", FRESH_A, **a_and_curators(409)),
    *expect(
        "POST", REVIEW + "entries/", FRESH_A,
        anonymous=401, sme=403, publisher_a=404, publisher_b=404, curator=409,
    ),
    *expect(
        "POST", DRAFT + "entries/", FRESH_A,
        anonymous=401, sme=403, publisher_a=404, publisher_b=404, curator=409,
    ),
    # The diff: published batches, for everyone.
    *expect("GET", PUBLISHED + "diff/?against={published_1}", **everyone(200)),
    *expect(
        "GET", OPEN + "diff/?against={published_1}",
        anonymous=404, sme=404, publisher_a=409, publisher_b=409, curator=409,
    ),
    *expect(
        "GET", PUBLISHED + "diff/?against={review}",
        anonymous=404, sme=404, publisher_a=404, publisher_b=404, curator=409,
    ),
    # Entries by id: listed and withdrawn ones are public, submissions their platform's.
    *expect("GET", LISTED, **everyone(200)),
    *expect("GET", WITHDRAWN, **everyone(200)),
    *expect("GET", REJECTED, **seen_by_a(200)),
    *expect("GET", SUBMITTED, **seen_by_a(200)),
    *expect("GET", IN_REVIEW, **seen_by_a(200)),  # A follows its entry through review
    # Review: curators only.
    *expect("POST", SUBMITTED + "approve/", **curators_only(200)),
    *expect("POST", SUBMITTED + "reject/", REASON, **curators_only(200)),
    *expect("POST", IN_REVIEW + "reject/", REASON, **curators_only(200)),
    *expect("POST", LISTED + "approve/", **curators_only(409)),
    *expect("POST", REJECTED + "approve/", **curators_only(409)),  # its batch is published
    # Withdrawal: curators or the entry's own publishers, listed entries only.
    *expect("POST", LISTED + "withdraw/", REASON, **a_and_curators(200)),
    *expect("POST", WITHDRAWN + "withdraw/", REASON, **a_and_curators(409)),
    *expect("POST", SUBMITTED + "withdraw/", REASON, **a_and_curators_hidden(409)),
    # Retraction: the entry's own publishers (and curators) while the batch is open.
    *expect("POST", SUBMITTED + "retract/", **a_and_curators_hidden(204)),
    *expect("POST", IN_REVIEW + "retract/", **a_and_curators_hidden(409)),
    *expect("POST", LISTED + "retract/", **a_and_curators(409)),
    # The change feed: public.
    *expect("GET", "/api/v1/events/", **everyone(200)),
]  # fmt: skip


WORLD_STATUSES = {
    "published_1": "published",
    "published": "published",
    "open": "open",
    "review": "review",
    "draft": "draft",
    "listed_a": "listed",
    "withdrawn_a": "withdrawn",
    "rejected_a": "rejected",
    "submitted_a": "submitted",
    "in_review_a": "approved",
    "entries": 9,
}


@dataclass
class World:
    numbers: dict[str, int]
    entries: dict[str, int]
    resources: dict[str, Resource]
    users: dict[str, Any]

    def fill(self, template: str) -> str:
        return template.format(
            **self.numbers,
            **self.entries,
            **{name: resource.pk for name, resource in self.resources.items()},
        )

    def statuses(self) -> dict[str, Any]:
        """The status of each batch and entry of the world, and how many entries there are."""
        batches = dict(Batch.objects.values_list("number", "status"))
        entries = dict(Entry.objects.values_list("pk", "status"))
        return {
            **{name: batches[number] for name, number in self.numbers.items()},
            **{name: entries.get(pk) for name, pk in self.entries.items()},
            "entries": len(entries),
        }

    def body(self, body: Any) -> Any:
        if body is None:
            return None
        return {
            key: self.fill(value) if isinstance(value, str) else value
            for key, value in body.items()
        }


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """Built once for the module inside an outer transaction; each test runs in a savepoint of it
    (pytest-django's per-test transaction), so every row still starts from the same world, and
    the world is rolled back when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def build_world() -> World:
    platform_a = PlatformFactory(slug="platform-a", name="甲平台科技有限公司")
    platform_b = PlatformFactory(slug="platform-b", name="乙平台科技有限公司")
    users = users_by_role(platform_a, platform_b)
    publisher_a, publisher_b, curator = users["publisher_a"], users["publisher_b"], users["curator"]

    listed_a = active_resource(platform_a, resource_type="compute")
    withdrawn_a = active_resource(platform_a, resource_type="data")
    listed_b = active_resource(platform_b, resource_type="data")
    rejected_a = active_resource(platform_a)
    published_1 = published_batch(
        curator, [listed_a, withdrawn_a, listed_b], rejected=[rejected_a], title="第一批"
    )
    published = published_batch(curator, [listed_a, listed_b], title="第二批")
    entry = published_1.entries.get(resource=withdrawn_a)
    services.entry_withdraw(actor=curator, entry_id=entry.pk, reason="停止开放")

    opened = open_batch(curator, title="第三批")
    submitted_a = submit(opened, active_resource(platform_a), publisher_a)
    submit(opened, active_resource(platform_b), publisher_b)
    review = open_batch(curator, title="第四批")
    in_review_a = submit(review, active_resource(platform_a), publisher_a)
    services.entry_approve(actor=curator, entry_id=in_review_a.pk)
    services.batch_close(actor=curator, batch_id=review.pk)
    draft = batch_in("draft", curator)

    return World(
        numbers={
            "published_1": published_1.number,
            "published": published.number,
            "open": opened.number,
            "review": review.number,
            "draft": draft.number,
        },
        entries={
            "listed_a": published.entries.get(resource=listed_a).pk,
            "withdrawn_a": entry.pk,
            "rejected_a": published_1.entries.get(resource=rejected_a).pk,
            "submitted_a": submitted_a.pk,
            "in_review_a": in_review_a.pk,
        },
        resources={
            "fresh_a": active_resource(platform_a),
            "fresh_b": active_resource(platform_b),
            "draft_a": active_resource(platform_a, status="draft"),
        },
        users=users,
    )


def database() -> dict[str, Any]:
    """Everything a refused request must leave as it was."""
    return {
        "batches": list(Batch.objects.order_by("pk").values()),
        "entries": list(Entry.objects.order_by("pk").values()),
        "events": list(Event.objects.order_by("pk").values_list("pk", flat=True)),
        "change records": ChangeRecord.objects.count(),
        "resources": list(Resource.objects.order_by("pk").values("pk", "version", "listed_at")),
    }


def client_for(world: World, role: str) -> APIClient:
    client = APIClient()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


def row_id(row: Row) -> str:
    method, url, body, role, expected = row
    sent = f" {next(iter(body.values()))}" if body and "resource" in body else ""
    return f"{method} {url}{sent} as {role} -> {expected}"


@pytest.mark.parametrize(
    ("method", "url", "body", "role", "expected"), TABLE, ids=map(row_id, TABLE)
)
def test_each_role_gets_exactly_the_status_the_table_says(world, method, url, body, role, expected):
    assert world.statuses() == WORLD_STATUSES, "an earlier row's write leaked into this one"
    before = database()
    sent = None if body is None else world.body(body)
    response = send_as(world.users[role], method, world.fill(url), sent)
    assert_answered_as_the_table_says(response, method, expected, before, after=database)


def test_the_table_covers_every_role_for_every_endpoint_and_every_route_of_the_openness_api():
    assert_table_covers_every_role(TABLE)
    routes = {
        (method, url.replace("{published_1}", "{published}").split("?")[0].split("/", 5)[-1])
        for method, url, _, _, _ in TABLE
    }
    for route in [
        ("GET", ""),
        ("POST", ""),
        ("PATCH", ""),
        ("POST", "open/"),
        ("POST", "close/"),
        ("POST", "publish/"),
        ("GET", "entries/"),
        ("POST", "entries/"),
        ("GET", "diff/"),
        ("POST", "approve/"),
        ("POST", "reject/"),
        ("POST", "withdraw/"),
        ("POST", "retract/"),
    ]:
        assert route in routes, route


# What each role sees ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("anonymous", ["published_1", "published"]),
        ("sme", ["published_1", "published"]),
        ("publisher_a", ["published_1", "published", "open"]),
        ("publisher_b", ["published_1", "published", "open"]),
        ("curator", ["published_1", "published", "open", "review", "draft"]),
    ],
)
def test_the_batch_list_shows_each_role_exactly_the_batches_it_may_see(world, role, visible):
    response = client_for(world, role).get(BATCHES)
    assert [batch["number"] for batch in rows(response)] == [world.numbers[n] for n in visible]


def test_the_batch_list_filters_by_status_and_year(world):
    client = client_for(world, "curator")
    published = rows(client.get(BATCHES, {"status": "published"}))
    assert [b["number"] for b in published] == [
        world.numbers["published_1"],
        world.numbers["published"],
    ]
    assert rows(client.get(BATCHES, {"status": "draft,review"})) == rows(
        client.get(BATCHES, {"status": ["draft", "review"]})
    )
    assert len(rows(client.get(BATCHES, {"year": 2026}))) == 5
    assert rows(client.get(BATCHES, {"year": 2027})) == []
    assert_problem(client.get(BATCHES, {"colour": "blue"}), 400, attr="colour")


@pytest.mark.parametrize(
    ("role", "by_status"),
    [
        ("anonymous", {"listed": 2, "withdrawn": 1}),
        ("publisher_b", {"listed": 2, "withdrawn": 1}),
        ("publisher_a", {"listed": 2, "withdrawn": 1, "rejected": 1}),  # its own rejection
        ("curator", {"listed": 2, "withdrawn": 1, "rejected": 1}),
    ],
)
def test_a_batch_detail_counts_the_entries_the_role_may_see_by_status_and_type(
    world, role, by_status
):
    response = client_for(world, role).get(world.fill(PUBLISHED_1))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "published"
    assert body["counts"] == {"by_status": by_status, "by_type": {"compute": 1, "data": 1}}
    assert body["entries_url"] == f"http://testserver/api/v1/batches/{body['number']}/entries/"


def test_an_open_batch_counts_a_publishers_own_submissions_and_a_curator_all_of_them(world):
    for role, expected in [("publisher_a", 1), ("publisher_b", 1), ("curator", 2)]:
        body = client_for(world, role).get(world.fill(OPEN)).json()
        assert body["counts"] == {"by_status": {"submitted": expected}, "by_type": {}}, role


def test_batches_are_numbered_one_after_another_and_start_as_drafts(world):
    client = client_for(world, "curator")
    numbers = []
    for index in range(3):
        response = client.post(BATCHES, {**NEW_BATCH, "title": f"批次{index}"}, format="json")
        assert response.status_code == 201, response.content
        assert response.json()["status"] == "draft"
        assert response.json()["published_at"] is None
        numbers.append(response.json()["number"])
    last = max(world.numbers.values())
    assert numbers == [last + 1, last + 2, last + 3]


@pytest.mark.parametrize("field", ["number", "status", "published_at", "counts", "colour"])
def test_creating_a_batch_refuses_server_controlled_and_unknown_fields(world, field):
    before = database()
    response = client_for(world, "curator").post(BATCHES, {**NEW_BATCH, field: 9}, format="json")
    assert_problem(response, 400, attr=field)
    assert database() == before


def test_a_batch_submission_window_must_close_after_it_opens(world):
    response = client_for(world, "curator").patch(
        world.fill(DRAFT),
        {
            "submission_opens_at": "2026-05-01T00:00:00+08:00",
            "submission_closes_at": "2026-04-01T00:00:00+08:00",
        },
        format="json",
    )
    assert_problem(response, 400, attr="submission_closes_at")


def test_the_workflow_through_the_api_ends_in_a_published_list(world):
    """Two publishers submit to the open batch, the curator rejects one with a reason, approves
    the others, closes and publishes: the entries are listed with numbers and citations."""
    curator = client_for(world, "curator")
    publisher_b = client_for(world, "publisher_b")
    opened = world.fill(OPEN)
    entries = rows(curator.get(opened + "entries/"))
    submitted_b = publisher_b.post(
        opened + "entries/", {"resource": str(world.resources["fresh_b"].pk)}, format="json"
    )
    assert submitted_b.status_code == 201
    assert submitted_b.json()["status"] == "submitted"
    assert submitted_b.json()["citation"] == ""

    rejected = curator.post(f"/api/v1/entries/{entries[0]['id']}/reject/", {}, format="json")
    assert_problem(rejected, 400, attr="reason")
    rejected = curator.post(f"/api/v1/entries/{entries[0]['id']}/reject/", REASON, format="json")
    assert (rejected.json()["status"], rejected.json()["reason"]) == ("rejected", REASON["reason"])
    for entry in [entries[1], submitted_b.json()]:
        approved = curator.post(f"/api/v1/entries/{entry['id']}/approve/")
        assert approved.json()["status"] == "approved"
    assert curator.post(opened + "close/").json()["status"] == "review"
    published = curator.post(opened + "publish/")
    assert published.json()["status"] == "published"
    assert published.json()["published_at"] is not None

    number = world.numbers["open"]
    listed = rows(client_for(world, "anonymous").get(opened + "entries/"))
    assert [(e["sequence"], e["citation"], e["status"]) for e in listed] == [
        (1, f"batch-{number}/1", "listed"),
        (2, f"batch-{number}/2", "listed"),
    ]
    assert all(entry["snapshot"]["version"] == 1 for entry in listed)


def test_a_refused_move_names_the_status_and_the_action_in_words_not_codes(world):
    curator = client_for(world, "curator")
    publish = world.fill(OPEN) + "publish/"

    in_english = assert_problem(curator.post(publish, HTTP_ACCEPT_LANGUAGE="en"), 409)

    assert in_english["type"].endswith("/transition-not-allowed")
    assert in_english["detail"] == (
        "A batch that is “Open for submissions” does not allow “publish”."
    )


def test_a_publisher_follows_its_entry_through_review_but_not_the_batch_itself(world):
    publisher_a = client_for(world, "publisher_a")
    entry = publisher_a.get(world.fill(IN_REVIEW))

    assert entry.status_code == 200
    assert entry.json()["status"] == "approved"
    assert publisher_a.get(f"/api/v1/batches/{world.numbers['review']}/").status_code == 404


def test_a_submission_window_outside_the_years_2000_to_2100_is_a_400_naming_the_field(world):
    created = client_for(world, "curator").post(
        BATCHES,
        {"title": "第六批", "year": 2027, "submission_closes_at": "1606-06-05T02:45:39-09:04"},
        format="json",
    )

    assert_problem(created, 400, attr="submission_closes_at")
