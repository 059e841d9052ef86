"""A refused value says what is accepted (``config.api.accepted``): every choice filter of every
filter set, every list endpoint's choice filters, and the body fields.

The filter sets, the list endpoints and the serializers are found by walking the code and the URLs,
so a new one is covered without a new line here.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from django_filters import ChoiceFilter, MultipleChoiceFilter
from django_filters.utils import translate_validation
from rest_framework import serializers

import config.urls  # noqa: F401  (imports every view, so every filter set and serializer)
from config.api import fields
from config.api.accepted import MAX_LISTED
from config.api.errors import flatten_errors
from config.api.filtersets import BaseFilterSet
from tests.api_cases import assert_problem
from tests.factories import PlatformFactory, UserFactory
from tests.notifications.helpers import subscription_of
from tests.openness.helpers import curator_user, open_batch

pytestmark = pytest.mark.django_db

REFUSED = "not-a-choice%"  # the % too: it must not break the message's formatting

CHOICE_FILTERS = (ChoiceFilter, MultipleChoiceFilter)


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _accepted(filter_: Any) -> list[str]:
    return [str(key) for key, _label in filter_.field.choices if key not in ("", None)]


def choice_filters(kinds: tuple[type, ...] = CHOICE_FILTERS) -> list[Any]:
    return [
        pytest.param(filterset, name, id=f"{filterset.__name__}.{name}")
        for filterset in sorted(set(_subclasses(BaseFilterSet)), key=lambda cls: cls.__name__)
        for name, filter_ in filterset.base_filters.items()
        if isinstance(filter_, kinds)
    ]


def _list_urls() -> Iterator[tuple[str, type]]:
    """Each list endpoint with a filter set: its URL name and its filter set."""

    def walk(patterns: list[Any], namespace: str) -> Iterator[tuple[str, type]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                view = getattr(pattern.callback, "cls", None)
                actions = getattr(pattern.callback, "actions", None) or {}
                filterset = getattr(view, "filterset_class", None)
                if filterset is not None and actions.get("get") == "list":
                    yield f"{namespace}{pattern.name}", filterset

    return walk(get_resolver().url_patterns, "")


def list_choice_filters() -> list[Any]:
    return [
        pytest.param(url_name, name, filterset, id=f"{url_name}?{name}")
        for url_name, filterset in sorted(set(_list_urls()))
        for name, filter_ in filterset.base_filters.items()
        if isinstance(filter_, CHOICE_FILTERS)
    ]


def assert_lists_the_accepted(item: dict[str, Any], accepted: list[str]) -> None:
    assert item["code"] == "invalid_choice", item
    assert "“not-a-choice%”" in item["detail"]
    if len(accepted) <= MAX_LISTED:
        assert item["choices"] == accepted
        assert ", ".join(accepted) in item["detail"]
    else:
        assert "choices" not in item
        assert item["choices_url"].startswith("/api/v1/")
        assert item["choices_url"] in item["detail"]


def test_the_walk_finds_the_choice_filters_of_every_filter_set():
    found = {param.id for param in choice_filters()}
    assert {"ResourceFilterSet.access_model", "ResourceFilterSet.status"} <= found
    assert {"EntryFilterSet.status", "PilotProjectFilterSet.lead", "EventFilterSet.type"} <= found
    assert {
        "api:resource-list?access_model",
        "api:pilot-list?status",
        "api:scenario-list?maturity",
    } <= {param.id for param in list_choice_filters()}


@pytest.mark.parametrize(("filterset", "name"), choice_filters())
def test_every_choice_filter_refuses_a_value_with_the_accepted_ones(filterset, name):
    accepted = _accepted(filterset.base_filters[name])
    form = filterset(data={name: REFUSED}).form
    assert not form.is_valid()
    [item] = flatten_errors(translate_validation(form.errors).detail)
    assert item["attr"] == name
    assert_lists_the_accepted(item, accepted)


@pytest.mark.parametrize(("filterset", "name"), choice_filters((MultipleChoiceFilter,)))
def test_a_multi_valued_choice_filter_refuses_only_the_values_not_accepted(filterset, name):
    accepted = _accepted(filterset.base_filters[name])
    form = filterset(data={name: f"{accepted[0]},{REFUSED},other"}).form
    with translation.override("en"):
        assert not form.is_valid()
        [item] = flatten_errors(translate_validation(form.errors).detail)
    assert item["detail"].startswith("“not-a-choice%”, “other” are not among the accepted values")
    assert f"“{accepted[0]}”" not in item["detail"]


@pytest.mark.parametrize(("url_name", "name", "filterset"), list_choice_filters())
def test_every_list_endpoint_answers_a_refused_choice_with_the_accepted_ones(
    api_client, url_name, name, filterset
):
    api_client.force_login(curator_user())
    response = api_client.get(reverse(url_name), {name: REFUSED}, HTTP_ACCEPT_LANGUAGE="en")
    body = assert_problem(response, 400, attr=name)
    [item] = [item for item in body["errors"] if item["attr"] == name]
    assert_lists_the_accepted(item, _accepted(filterset.base_filters[name]))


def test_a_batchs_entries_refuse_a_status_with_the_accepted_ones(api_client):
    curator = curator_user()
    batch = open_batch(curator)
    api_client.force_login(curator)
    response = api_client.get(
        f"/api/v1/batches/{batch.number}/entries/", {"status": REFUSED}, HTTP_ACCEPT_LANGUAGE="en"
    )
    [item] = assert_problem(response, 400, attr="status")["errors"]
    assert_lists_the_accepted(item, ["submitted", "approved", "rejected", "listed", "withdrawn"])


def test_a_subscriptions_deliveries_refuse_a_status_with_the_accepted_ones(api_client):
    owner = UserFactory(username="sme")
    subscription, _ = subscription_of(owner)
    api_client.force_login(owner)
    response = api_client.get(
        f"/api/v1/subscriptions/{subscription.pk}/deliveries/",
        {"status": REFUSED},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    [item] = assert_problem(response, 400, attr="status")["errors"]
    assert_lists_the_accepted(item, ["pending", "sending", "succeeded", "dead", "pull"])


def test_a_subscriptions_query_refuses_a_choice_with_the_accepted_ones(api_client):
    api_client.force_login(UserFactory(username="sme"))
    response = api_client.post(
        "/api/v1/subscriptions/",
        {"name": "关注", "query": f"access_model={REFUSED}&region={REFUSED}"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = assert_problem(response, 400)
    items = {item["attr"]: item for item in body["errors"]}
    assert {item["code"] for item in items.values()} == {"invalid_query"}
    assert items["query.access_model"]["choices"] == ["open", "free_quota", "paid", "application"]
    assert items["query.region"]["choices_url"] == "/api/v1/regions/"


def test_a_body_field_refuses_a_choice_with_the_accepted_ones(api_client):
    platform = PlatformFactory(slug="platform-a")
    publisher = UserFactory(username="publisher")
    platform.members.add(publisher)
    api_client.force_login(publisher)
    response = api_client.post(
        "/api/v1/resources/",
        {
            "platform": "platform-a",
            "resource_type": "data",
            "name": "工业数据集",
            "access_model": REFUSED,
            "regions": ["440000", REFUSED],
            "sme_terms": {"eligible_sizes": [REFUSED]},
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    items = {item["attr"]: item for item in assert_problem(response, 400)["errors"]}
    assert items["access_model"] == {
        "attr": "access_model",
        "code": "invalid_choice",
        "detail": "“not-a-choice%” is not one of the accepted values: "
        "open, free_quota, paid, application.",
        "choices": ["open", "free_quota", "paid", "application"],
    }
    assert_lists_the_accepted(items["sme_terms.eligible_sizes.0"], ["micro", "small", "medium"])
    assert items["regions.1"]["choices_url"] == "/api/v1/regions/"


def _serializer_classes() -> list[type]:
    apps = ("config.", "registry.", "openness.", "pilots.", "progress.")
    return sorted(
        {
            cls
            # a BaseSerializer without fields (an event's body) validates nothing
            for cls in _subclasses(serializers.Serializer)
            if cls.__module__.startswith(apps)
            and not issubclass(cls, serializers.ListSerializer)
            # the abstract bases (a model serializer needs its Meta)
            and not (issubclass(cls, serializers.ModelSerializer) and not hasattr(cls, "Meta"))
        },
        key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
    )


def _plain_choice_fields(serializer: Any, path: str = "") -> Iterator[str]:
    """The writable fields that are DRF's own choice fields (a read-only one validates nothing)."""
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        here = f"{path}{name}"
        for each in (field, getattr(field, "child", None)):
            if isinstance(each, serializers.ChoiceField) and not isinstance(
                each, fields.ChoiceField
            ):
                yield here
            if isinstance(each, serializers.Serializer):
                yield from _plain_choice_fields(each, f"{here}.")


def test_every_writable_choice_field_of_every_serializer_lists_the_accepted_values():
    """DRF's own ``ChoiceField`` answers only "is not a valid choice": every serializer uses the
    one of ``config.api.fields`` (model serializers build it from ``RegistryModelSerializer``)."""
    classes = _serializer_classes()
    assert len(classes) > 30  # the walk found the API's serializers
    plain = [
        f"{cls.__module__}.{cls.__qualname__}.{path}"
        for cls in classes
        for path in _plain_choice_fields(cls(context={}))
    ]
    assert plain == []


def test_a_refusal_names_few_refused_values_each_once_and_short(api_client):
    many = ",".join(["x"] * 500 + [f"v{i}" for i in range(10)] + ["y" * 300])
    response = api_client.get(
        "/api/v1/resources/", {"access_model": many}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["detail"].startswith("“x”, “v0”, “v1”, “v2”, “v3”, …")
    assert len(error["detail"]) < 200
    assert error["choices"] == ["open", "free_quota", "paid", "application"]
