"""``GET /api/v1/stats/``: public, strict about its parameters, serving ``progress.stats``."""

from typing import Any

import pytest

from pilots.models import ServicePlatform
from progress import stats
from tests.factories import UserFactory
from tests.progress.progress_helpers import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache", "clock")]

URL = "/api/v1/stats/"


@pytest.fixture
def launched(platform_a: Any) -> None:
    for number, year in enumerate([2026, 2027, 2027, 2028]):
        ServicePlatform.objects.create(
            slug=f"sp-{number}", name=f"服务平台{number}", operator=platform_a, launched_year=year
        )


def test_anyone_may_read_the_stats_and_they_are_the_stats_of_the_module(api_client, launched):
    response = api_client.get(URL)

    assert response.status_code == 200
    assert response.json() == stats.compute_stats()
    target = response.json()["targets"]["service_platforms"]
    assert (target["count"], target["target"], target["met"]) == (4, 10, False)


def test_a_year_gives_the_picture_at_its_end(api_client, launched):
    body = api_client.get(URL, {"year": 2027}).json()

    assert body["year"] == 2027
    assert body["years"] == [2026, 2027]
    assert body["targets"]["service_platforms"]["count"] == 3
    assert body == stats.compute_stats(year=2027)


def test_what_is_launched_next_year_does_not_count_today_whatever_the_year(
    api_client, launched, clock
):
    clock.move_to(TODAY)

    for query in [{}, {"year": 2028}]:
        body = api_client.get(URL, query).json()
        target = body["targets"]["service_platforms"]
        assert (body["as_of"], body["years"]) == ("2026-12-02", [2026])
        assert (target["count"], target["by_year"]) == (
            1,
            [{"year": 2026, "count": 1, "cumulative": 1}],
        )


def test_each_target_comes_with_the_plan_and_whether_it_is_on_track(api_client, launched, clock):
    clock.move_to(TODAY)

    target = api_client.get(URL).json()["targets"]["service_platforms"]

    assert target["plan"] == [{"year": 2028, "target": 10}]
    assert target["pace"] == [
        {"year": 2026, "expected": 4},
        {"year": 2027, "expected": 7},
        {"year": 2028, "expected": 10},
    ]
    assert (target["count"], target["expected"], target["on_track"]) == (1, 4, False)


@pytest.mark.parametrize("year", ["2025", "2029", "abc", "2026.0", "２０２６"])
def test_a_year_outside_the_plan_is_a_400_problem(api_client, year):
    response = api_client.get(URL, {"year": year})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [error["attr"] for error in response.json()["errors"]] == ["year"]


def test_an_unknown_parameter_is_a_400_problem(api_client):
    response = api_client.get(URL, {"yaer": 2026})

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["attr"], error["code"]) == ("yaer", "unknown_parameter")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("who", ["anonymous", "user", "curator"])
def test_the_stats_cannot_be_written(api_client, curator, method, who):
    if who != "anonymous":
        api_client.force_authenticate(curator if who == "curator" else UserFactory())

    response = getattr(api_client, method)(URL, {}, format="json")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"


def test_clients_revalidate_and_an_unchanged_answer_is_a_304(client, launched):
    first = client.get(URL)
    assert first["Cache-Control"] == "no-cache"
    assert first["ETag"]

    assert client.get(URL, headers={"if-none-match": first["ETag"]}).status_code == 304
    ServicePlatform.objects.filter(slug="sp-0").delete()
    assert client.get(URL, headers={"if-none-match": first["ETag"]}).status_code == 200


def test_the_api_root_links_to_the_stats(api_client):
    assert api_client.get("/api/v1/").json()["stats"] == "http://testserver/api/v1/stats/"
