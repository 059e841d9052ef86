"""Resources read through rows (registry.api.resource_rows) look exactly as ResourceSerializer,
the reference the OpenAPI schema documents, shows them."""

import pytest
from django.http import QueryDict
from django.utils import timezone
from rest_framework.test import APIRequestFactory

from openness.choices import EntryStatus
from registry.api.resource_rows import resource_rows
from registry.api.serializers import ResourceSerializer
from registry.filtersets import ResourceFilterSet
from registry.models import Resource
from tests.factories import PilotProjectFactory, PlatformFactory, ResourceFactory
from tests.openness.helpers import raw_batch, raw_entry, raw_entry_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied():
    """Resources with every kind of related row, and without any."""
    platform = PlatformFactory(slug="yunqi", name="云启", name_en="", verified=True)
    other = PlatformFactory(slug="tianshu")
    rich = ResourceFactory(
        platform=platform,
        tags=["gpu", "算力", "a800"],
        regions=["440000", "110000", "310000"],
        industries=["I", "C"],
        application_url="https://apply.example.com/x",
        documentation_url="",
        api_endpoint="https://api.example.com/v1",
        sme_free_quota="100 卡时",
        sme_discount="七折",
        sme_conditions="仅限首次",
        eligible_medium=False,
        listed_at=timezone.now(),
    )
    nationwide = ResourceFactory(
        platform=other, nationwide=True, regions=[], industries=[], resource_type="data"
    )
    withdrawn = ResourceFactory(platform=other, status="withdrawn", eligible_micro=False)
    ResourceFactory(platform=other, status="draft")  # not public: in neither list
    raw_entry_in("published", rich, EntryStatus.LISTED)
    raw_entry_in("published", rich, EntryStatus.WITHDRAWN)
    raw_entry_in("review", rich, EntryStatus.SUBMITTED)  # not public: not a listing
    second = raw_batch("review")
    raw_entry(second, withdrawn, EntryStatus.LISTED)
    for code, status in (("PILOT-B", "in_progress"), ("PILOT-A", "selected")):
        pilot = PilotProjectFactory(code=code, status=status, lead_platform=platform)
        pilot.resources.add(rich, nationwide)
    return [rich, nationwide, withdrawn]


def reference(request, resources):
    fresh = Resource.objects.with_related().filter(pk__in=[r.pk for r in resources])
    context = {"request": request}
    return {str(r.pk): ResourceSerializer(r, context=context).data for r in fresh}


def test_the_list_shows_each_resource_as_the_serializer_does(api_client, varied):
    response = api_client.get("/api/v1/resources/", {"status": "active,withdrawn"})
    assert response.status_code == 200
    shown = {row["id"]: row for row in response.json()["results"]}
    request = APIRequestFactory().get("/api/v1/resources/")
    expected = reference(request, varied)
    assert set(shown) == set(expected)
    for key, representation in expected.items():
        assert shown[key] == dict(representation), key
        assert list(shown[key]) == list(representation)  # the same keys in the same order


def test_the_detail_shows_the_resource_as_the_serializer_does(api_client, varied):
    rich = varied[0]
    response = api_client.get(f"/api/v1/resources/{rich.pk}/")
    request = APIRequestFactory().get("/")
    assert response.json() == dict(reference(request, [rich])[str(rich.pk)])
    assert len(response.json()["listings"]) == 2
    assert [pilot["code"] for pilot in response.json()["pilots"]] == ["PILOT-A", "PILOT-B"]


def test_the_etag_changes_when_a_listing_is_withdrawn_though_the_version_does_not(
    api_client, varied
):
    rich = varied[0]
    before = api_client.get(f"/api/v1/resources/{rich.pk}/")["ETag"]
    rich.entries.filter(status=EntryStatus.LISTED).update(status=EntryStatus.WITHDRAWN)
    after = api_client.get(f"/api/v1/resources/{rich.pk}/")["ETag"]
    assert before != after
    assert before.split(".")[0] == after.split(".")[0] == f'"{rich.version}'


def test_an_unknown_or_malformed_id_is_a_404_problem(api_client, varied):
    for key in ("00000000-0000-0000-0000-000000000000", "not-a-uuid"):
        response = api_client.get(f"/api/v1/resources/{key}/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "params",
    [{}, {"ordering": "name"}, {"ordering": "-listed_at"}, {"q": "资源"}, {"q": "%"}],
    ids=["default", "name", "listed_at", "relevance", "matching-nothing"],
)
def test_fetched_rows_are_the_rows_django_makes(varied, params):
    data = QueryDict(mutable=True)
    data.update({"status": "active,withdrawn", **params})
    filterset = ResourceFilterSet(data=data, queryset=Resource.objects.all())
    assert filterset.is_valid(), filterset.errors
    rows = resource_rows(filterset.qs)
    made_by_django = list(rows.values(*rows.query.values_select, *rows.query.annotation_select))
    assert list(rows) == made_by_django
    assert len(list(rows)) == (0 if params.get("q") == "%" else 3)
