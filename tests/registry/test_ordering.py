"""The `ordering` of the resource search: relevance, -listed_at, -updated_at, name."""

from datetime import UTC, datetime, timedelta

import pytest

from registry.models import Resource
from tests.api_cases import assert_problem, ids
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/resources/"
T0 = datetime(2026, 4, 1, tzinfo=UTC)


def at(resource: Resource, **fields) -> Resource:
    Resource.objects.filter(pk=resource.pk).update(**fields)
    return resource


def test_the_default_order_is_most_recently_updated_first(api_client):
    first = at(ResourceFactory(), updated_at=T0)
    third = at(ResourceFactory(), updated_at=T0 + timedelta(days=2))
    second = at(ResourceFactory(), updated_at=T0 + timedelta(days=1))
    expected = [str(third.id), str(second.id), str(first.id)]
    assert ids(api_client.get(URL)) == expected
    assert ids(api_client.get(URL, {"ordering": "-updated_at"})) == expected


def test_ordering_by_name_is_alphabetical_with_ties_broken_by_id(api_client):
    b = ResourceFactory(name="b-resource")
    a1 = ResourceFactory(name="a-resource")
    a2 = ResourceFactory(name="a-resource")
    tie = sorted([str(a1.id), str(a2.id)])
    assert ids(api_client.get(URL, {"ordering": "name"})) == [*tie, str(b.id)]


def test_ordering_by_listed_at_puts_the_latest_listed_first_and_never_listed_last(api_client):
    never = ResourceFactory()
    early = at(ResourceFactory(), listed_at=T0)
    late = at(ResourceFactory(), listed_at=T0 + timedelta(days=30))
    assert ids(api_client.get(URL, {"ordering": "-listed_at"})) == [
        str(late.id),
        str(early.id),
        str(never.id),
    ]


def test_ordering_by_relevance_ranks_name_hits_over_summary_over_description(api_client):
    in_description = ResourceFactory(name="资源甲", summary="", description="含有质检能力")
    in_name = ResourceFactory(name="工业质检模型", summary="")
    in_summary = ResourceFactory(name="资源乙", summary="用于质检")
    expected = [str(in_name.id), str(in_summary.id), str(in_description.id)]
    assert ids(api_client.get(URL, {"q": "质检", "ordering": "relevance"})) == expected


def test_a_search_is_ordered_by_relevance_unless_told_otherwise(api_client):
    in_summary = at(ResourceFactory(name="资源乙", summary="用于质检"), updated_at=T0)
    in_name = at(ResourceFactory(name="工业质检模型"), updated_at=T0 - timedelta(days=1))
    assert ids(api_client.get(URL, {"q": "质检"})) == [str(in_name.id), str(in_summary.id)]
    assert ids(api_client.get(URL, {"q": "质检", "ordering": "-updated_at"})) == [
        str(in_summary.id),
        str(in_name.id),
    ]


def test_relevance_adds_up_over_the_terms(api_client):
    name_and_summary = at(ResourceFactory(name="算力券", summary="昇腾"), updated_at=T0)
    name_twice = at(ResourceFactory(name="昇腾算力券"), updated_at=T0 - timedelta(days=1))
    assert ids(api_client.get(URL, {"q": "算力 昇腾"})) == [
        str(name_twice.id),
        str(name_and_summary.id),
    ]


@pytest.mark.parametrize("q", [None, "", "   "])
def test_ordering_by_relevance_without_a_search_is_a_400_naming_ordering(api_client, q):
    params = {"ordering": "relevance"} | ({} if q is None else {"q": q})
    body = assert_problem(api_client.get(URL, params), 400, attr="ordering")
    assert "q" in body["errors"][0]["detail"]


@pytest.mark.parametrize("ordering", ["updated_at", "-name", "created_at", "random"])
def test_an_unknown_ordering_is_a_400_naming_ordering(api_client, ordering):
    assert_problem(api_client.get(URL, {"ordering": ordering}), 400, attr="ordering")
