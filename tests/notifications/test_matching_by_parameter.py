"""Subscriptions are matched parameter by parameter (``notifications.parameter_searches``): each
(parameter, values, status) of a chunk's queries is evaluated once by ``ResourceFilterSet``, and a
query finds what every one of its parameters finds. Here that is held to the whole query evaluated
at once by the same filter set, and shared parameters are shown to be evaluated once.
"""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import QueryDict
from rest_framework.exceptions import ValidationError as RequestValidationError

from notifications.parameter_searches import Searches as _Searches
from registry import services as registry_services
from registry.filtersets import ResourceFilterSet
from registry.models import Resource
from tests.openness.helpers import active_resource, published_batch

QUERIES = [
    "",
    "type=compute",
    "type=compute&region=440000",
    "region=440000,110000&type=data,compute",
    "region=310000&type=compute&type=terminal",
    "q=GPU 算力",
    "q=gpu&platform=platform-a",
    "tag=数据&access_model=open,paid",
    "industry=C&enterprise_size=micro",
    "batch=1&type=data",
    "status=withdrawn",
    "status=withdrawn&type=data",
    "status=active,withdrawn&tag=数据",
    "status=draft",
    "status=&type=compute",
    "unknown=1&type=compute",
    "ordering=name&type=data",
    "platform=no-such-platform&type=compute",  # refused: nothing, not "type=compute"
    "type=nonsense&region=440000",
    "updated_since=garbage",
]


def whole_search(query: str, ids: list[str], *, withdrawn: bool = False) -> set[str]:
    """The query evaluated in one go, the way matching worked before it was split up."""
    data = QueryDict(query, mutable=True)
    if withdrawn and not data.get("status"):
        data["status"] = "active,withdrawn"
    filterset = ResourceFilterSet(data=data, queryset=Resource.objects.filter(pk__in=ids))
    try:
        return {str(pk) for pk in filterset.matching().values_list("pk", flat=True)}
    except (ValidationError, RequestValidationError):
        return set()


@pytest.fixture
def catalogue(curator: Any, platform_a: Any, platform_b: Any) -> list[str]:
    a, b = platform_a, platform_b
    made = [
        active_resource(a, name="GPU 算力池", tags=["gpu", "算力"], access_model="paid"),
        active_resource(
            a,
            name="城市交通数据集",
            resource_type="data",
            regions=["110000", "440000"],
            industries=["I", "C"],
            tags=["数据"],
            access_model="open",
        ),
        active_resource(b, name="鸿蒙终端适配", resource_type="terminal", nationwide=True),
        active_resource(b, name="开放算力券", regions=["310000"], eligible_micro=False),
        active_resource(a, name="已撤回的数据", resource_type="data", tags=["数据"]),
        active_resource(b, name="草稿资源", status="draft"),
    ]
    published_batch(curator, made[1:3])
    registry_services.resource_withdraw(actor=curator, resource_id=made[4].pk, reason="停止")
    return [str(resource.pk) for resource in made]


@pytest.mark.django_db
@pytest.mark.parametrize("withdrawn", [False, True], ids=["plain", "withdrawal"])
@pytest.mark.parametrize("query", QUERIES)
def test_a_query_evaluated_parameter_by_parameter_finds_what_the_whole_query_finds(
    catalogue: list[str], query: str, withdrawn: bool
):
    found = _Searches(catalogue).find(query, withdrawn=withdrawn)

    assert found == whole_search(query, catalogue, withdrawn=withdrawn)


@pytest.mark.django_db
def test_queries_prepared_together_find_what_each_whole_query_finds(catalogue: list[str]):
    searches = _Searches(catalogue)
    searches.prepare((query, withdrawn) for query in QUERIES for withdrawn in (False, True))

    for query in QUERIES:
        for withdrawn in (False, True):
            assert searches.find(query, withdrawn=withdrawn) == whole_search(
                query, catalogue, withdrawn=withdrawn
            ), (query, withdrawn)


@pytest.mark.django_db
def test_preparing_evaluates_many_parameters_in_one_statement_on_postgresql(
    catalogue: list[str], django_assert_max_num_queries: Any
):
    searches = _Searches(catalogue)
    types = ["compute", "data", "terminal", "model", "chip", "os"]
    queries = [f"type={t}&region={r}" for t in types for r in ("440000", "110000", "310000")]
    parameters = len(types) + 3
    statements = 1 if connection.vendor == "postgresql" else parameters

    with django_assert_max_num_queries(statements + 3):  # + the filters' own checks
        searches.prepare((query, False) for query in queries)
    with django_assert_max_num_queries(0):
        found = {query: searches.find(query) for query in queries}

    assert found == {query: whole_search(query, catalogue) for query in queries}


@pytest.mark.django_db
def test_a_parameter_shared_by_several_queries_is_evaluated_once(
    catalogue: list[str], django_assert_num_queries: Any
):
    searches = _Searches(catalogue)

    with django_assert_num_queries(3):  # type=compute, region=440000, region=310000
        first = searches.find("type=compute&region=440000")
        second = searches.find("region=310000&type=compute")
        again = searches.find("type=compute&region=440000")

    assert first == again == whole_search("type=compute&region=440000", catalogue)
    assert second == whole_search("region=310000&type=compute", catalogue)


@pytest.mark.django_db
def test_no_resources_means_no_query_at_all(django_assert_num_queries: Any):
    with django_assert_num_queries(0):
        assert _Searches([]).find("type=compute") == set()
