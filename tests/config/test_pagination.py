"""Keyset cursor pagination: page sizes, next/previous links, stability, and refused cursors."""

import base64
import json
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from urllib.parse import parse_qs, urlsplit

import pytest

from registry.models import Resource
from tests.api_cases import assert_problem, ids
from tests.factories import PlatformFactory, ResourceFactory, bulk_resources

pytestmark = pytest.mark.django_db

URL = "/api/v1/resources/"
T0 = datetime(2020, 4, 1, tzinfo=UTC)  # well before any row the tests create now


def cursor_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["cursor"][0]


def decode(cursor: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))


def encode(payload: object) -> str:
    raw = json.dumps(payload).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def walk(client, params: dict) -> list[list[str]]:
    """The ids of every page, following `next` links from the first page."""
    pages = []
    response = client.get(URL, params)
    while True:
        pages.append(ids(response))
        link = response.json()["next"]
        if link is None:
            return pages
        response = client.get(link)


@pytest.fixture
def tied_catalogue(db):
    """23 resources whose update times and names come in groups of four equal values."""
    resources = bulk_resources(23, platforms=[PlatformFactory()])
    for index, resource in enumerate(resources):
        Resource.objects.filter(pk=resource.pk).update(
            updated_at=T0 + timedelta(hours=index // 4),
            name=f"资源{index // 4:02d}" + ("质检" if index % 5 == 0 else ""),
            summary="质检" if index % 2 else "",
            listed_at=None if index % 3 else T0 + timedelta(days=index // 6),
        )
    return resources


# Page sizes ------------------------------------------------------------------------------------


def test_the_default_page_has_20_rows(api_client):
    bulk_resources(21, platforms=[PlatformFactory()])
    body = api_client.get(URL).json()
    assert len(body["results"]) == 20
    assert body["next"] is not None
    assert body["previous"] is None


@pytest.mark.parametrize("size", [1, 100])
def test_page_size_from_1_to_100_is_honoured(api_client, size):
    bulk_resources(101, platforms=[PlatformFactory()])
    body = api_client.get(URL, {"page_size": size}).json()
    assert len(body["results"]) == size
    assert body["next"] is not None


def test_the_last_page_has_no_next_link(api_client):
    bulk_resources(3, platforms=[PlatformFactory()])
    body = api_client.get(URL, {"page_size": 3}).json()
    assert len(body["results"]) == 3
    assert body["next"] is None
    assert body["previous"] is None


def test_an_empty_list_is_one_page_with_no_links(api_client):
    assert api_client.get(URL).json() == {"next": None, "previous": None, "results": []}


@pytest.mark.parametrize("size", ["0", "101", "abc", "-1", "1.5", "1e2"])
def test_a_page_size_outside_1_to_100_is_a_400_naming_page_size(api_client, size):
    body = assert_problem(api_client.get(URL, {"page_size": size}), 400, attr="page_size")
    assert "100" in body["errors"][0]["detail"]


def test_page_size_works_on_every_paginated_list(api_client):
    PlatformFactory()
    PlatformFactory()
    assert len(api_client.get("/api/v1/platforms/", {"page_size": 1}).json()["results"]) == 1
    assert_problem(api_client.get("/api/v1/platforms/", {"page_size": 0}), 400, attr="page_size")


# Walking the pages -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ordering", "order_by"),
    [("-updated_at", ["-updated_at", "-id"]), ("name", ["name", "id"])],
)
def test_following_next_visits_every_row_once_in_order_despite_ties(
    api_client, tied_catalogue, ordering, order_by
):
    pages = walk(api_client, {"ordering": ordering, "page_size": 5})
    assert [len(page) for page in pages] == [5, 5, 5, 5, 3]
    expected = [str(pk) for pk in Resource.objects.order_by(*order_by).values_list("pk", flat=True)]
    assert [row for page in pages for row in page] == expected


@pytest.mark.parametrize(
    "params",
    [{"ordering": "-listed_at"}, {"q": "质检", "ordering": "relevance"}, {"q": "资源"}],
    ids=["listed_at", "relevance", "relevance-all-tied"],
)
def test_following_next_on_annotated_orderings_matches_one_big_page(
    api_client, tied_catalogue, params
):
    whole = ids(api_client.get(URL, {**params, "page_size": 100}))
    pages = walk(api_client, {**params, "page_size": 4})
    assert [row for page in pages for row in page] == whole
    assert len(set(whole)) == len(whole) > 4


@pytest.mark.parametrize("ordering", ["-updated_at", "name", "-listed_at"])
def test_previous_goes_back_to_exactly_the_previous_page(api_client, tied_catalogue, ordering):
    responses = [api_client.get(URL, {"ordering": ordering, "page_size": 5})]
    while responses[-1].json()["next"]:
        responses.append(api_client.get(responses[-1].json()["next"]))
    assert responses[0].json()["previous"] is None
    for earlier, later in pairwise(responses):
        back = api_client.get(later.json()["previous"])
        assert ids(back) == ids(earlier)
    first_again = api_client.get(responses[1].json()["previous"]).json()
    assert first_again["previous"] is None
    assert ids(api_client.get(first_again["next"])) == ids(responses[1])


def test_links_keep_the_filters_and_page_size(api_client, tied_catalogue):
    body = api_client.get(URL, {"type": "compute", "ordering": "name", "page_size": 2}).json()
    query = parse_qs(urlsplit(body["next"]).query)
    assert query["type"] == ["compute"]
    assert query["ordering"] == ["name"]
    assert query["page_size"] == ["2"]


# Stability while rows are inserted -------------------------------------------------------------


def test_rows_inserted_at_the_top_shift_nothing_on_the_next_page(api_client, tied_catalogue):
    before = ids(api_client.get(URL, {"page_size": 100}))
    first = api_client.get(URL, {"page_size": 5}).json()
    new = [ResourceFactory() for _ in range(3)]  # the most recently updated: they sort first
    second = ids(api_client.get(first["next"]))
    assert second == before[5:10]
    assert not {str(r.id) for r in new} & set(second)


def test_rows_inserted_before_the_cursor_by_name_shift_nothing(api_client, tied_catalogue):
    before = ids(api_client.get(URL, {"ordering": "name", "page_size": 100}))
    first = api_client.get(URL, {"ordering": "name", "page_size": 6}).json()
    for _ in range(4):
        ResourceFactory(name="资源00")  # ties with the first page's names
        ResourceFactory(name="一")  # sorts before every name
    second = ids(api_client.get(first["next"]))
    assert second == before[6:12]


def test_a_row_deleted_from_an_earlier_page_shifts_nothing(api_client, tied_catalogue):
    before = ids(api_client.get(URL, {"page_size": 100}))
    first = api_client.get(URL, {"page_size": 5}).json()
    Resource.objects.filter(pk=first["results"][0]["id"]).delete()
    assert ids(api_client.get(first["next"])) == before[5:10]


# Refused cursors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "!!!",
        "光标",
        "a" * 5000,
        encode(["not", "a", "dict"]),
        encode("text"),
        encode(42),
        encode({"v": [], "r": 0}),
        encode({"v": "x", "r": 0, "o": "-updated_at,-id"}),
        base64.urlsafe_b64encode(b"\xff\xfe{").decode(),
    ],
)
def test_a_garbage_cursor_is_a_400_naming_cursor(api_client, tied_catalogue, cursor):
    assert_problem(api_client.get(URL, {"cursor": cursor}), 400, attr="cursor")


def test_a_cursor_from_another_ordering_is_a_400_naming_cursor(api_client, tied_catalogue):
    by_name = api_client.get(URL, {"ordering": "name", "page_size": 2}).json()["next"]
    response = api_client.get(URL, {"ordering": "-updated_at", "cursor": cursor_of(by_name)})
    assert_problem(response, 400, attr="cursor")


def test_a_cursor_from_another_endpoint_is_a_400_naming_cursor(api_client, tied_catalogue):
    PlatformFactory()
    platforms = api_client.get("/api/v1/platforms/", {"page_size": 1}).json()["next"]
    assert_problem(api_client.get(URL, {"cursor": cursor_of(platforms)}), 400, attr="cursor")


def tampered(payload: dict, index: int, value: object) -> dict:
    values = list(payload["v"])
    values[index] = value
    return {**payload, "v": values}


@pytest.mark.parametrize("ordering", ["-updated_at", "name", "-listed_at", "relevance"])
@pytest.mark.parametrize(
    "value",
    [
        None,
        "not a value",
        {"a": 1},
        [1, 2],
        10**30,
        -(10**30),
        1.5e300,
        "\x00",
        "x" * 10000,
        "2026-01-01T00:00:00",
        "0001-01-01T00:00:00+14:00",
    ],
    ids=[
        "null",
        "text",
        "object",
        "list",
        "huge",
        "negative",
        "float",
        "nul",
        "long",
        "naive-time",
        "year-1",
    ],
)
def test_a_tampered_cursor_is_a_400_naming_cursor_never_a_500(
    api_client, tied_catalogue, ordering, value
):
    params = {"ordering": ordering, "page_size": 2} | (
        {"q": "质检"} if ordering == "relevance" else {}
    )
    payload = decode(cursor_of(api_client.get(URL, params).json()["next"]))
    # A search's cursor is its position in the ranking ("n"); a list's, the boundary row's values.
    forgeries = (
        [{**payload, "n": value}]
        if "n" in payload
        else [tampered(payload, index, value) for index in range(len(payload["v"]))]
    )
    for index, forged in enumerate(forgeries):
        response = api_client.get(URL, {**params, "cursor": encode(forged)})
        # A value of the right type is a position like any other; anything else is refused.
        assert response.status_code in (200, 400), (index, response.content)
        if response.status_code == 400:
            assert_problem(response, 400, attr="cursor")


def test_a_cursor_with_too_few_or_too_many_values_is_a_400(api_client, tied_catalogue):
    payload = decode(cursor_of(api_client.get(URL, {"page_size": 2}).json()["next"]))
    for values in (payload["v"][:1], [*payload["v"], "extra"]):
        response = api_client.get(URL, {"cursor": encode({**payload, "v": values})})
        assert_problem(response, 400, attr="cursor")


def test_a_page_links_its_neighbours_in_a_link_header_as_in_its_body(api_client):
    for slug in ("link-a", "link-b", "link-c"):
        PlatformFactory(slug=slug)
    first = api_client.get("/api/v1/platforms/", {"page_size": 1})
    assert first["Link"] == f'<{first.json()["next"]}>; rel="next"'
    second = api_client.get(first.json()["next"])
    body = second.json()
    assert second["Link"] == f'<{body["next"]}>; rel="next", <{body["previous"]}>; rel="prev"'


def test_a_single_page_has_no_link_header(api_client):
    assert "Link" not in api_client.get("/api/v1/regions/", {"page_size": 100})
