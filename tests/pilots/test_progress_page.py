"""The ``/progress/`` page, rendered on the server: its numbers are the API's, in both languages."""

from typing import Any

import pytest
from django.core.cache import cache

from pilots.models import PilotProject, ServicePlatform
from tests.factories import make_credit_code
from tests.pilots.progress_helpers import flat_stats, page_stats

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def some_progress(platform_a: Any) -> None:
    for number, year in enumerate([2026, 2027, 2028]):
        ServicePlatform.objects.create(
            slug=f"sp-{number}", name=f"服务平台{number}", operator=platform_a, launched_year=year
        )
    for number, (status, year, region) in enumerate(
        [
            ("proposed", None, "440000"),
            ("selected", 2026, "440000"),
            ("completed", 2026, "110000"),
            ("in_progress", 2027, "320000"),
        ]
    ):
        PilotProject.objects.create(
            code=f"P-{number}",
            name=f"试点{number}",
            lead_sme_name="某中小企业有限公司",
            lead_sme_credit_code=make_credit_code(number),
            region_id=region,
            industry_id="C",
            status=status,
            year_selected=year,
        )


def shown_numbers(client: Any, query: str = "") -> tuple[Any, dict[str, str]]:
    response = client.get(f"/progress/{query}")
    assert response.status_code == 200
    return response, dict(page_stats(response.content.decode()))


@pytest.mark.parametrize("query", ["", "?lang=en", "?year=2026", "?year=2027&lang=en"])
def test_every_number_on_the_page_is_the_apis(client, some_progress, query):
    year = query.partition("year=")[2][:4]
    api = client.get("/api/v1/stats/", {"year": year} if year else {}).json()

    _, shown = shown_numbers(client, query)

    expected = flat_stats(api)
    assert len(shown) > 40
    assert {name: int(text) for name, text in shown.items()} == {
        name: expected[name] for name in shown
    }
    assert shown["targets.service_platforms.count"] == (
        "1" if year == "2026" else "2" if year else "3"
    )


def test_the_page_is_chinese_unless_english_is_asked_for(client, some_progress):
    chinese, _ = shown_numbers(client)
    english, _ = shown_numbers(client, "?lang=en")

    assert '<html lang="zh-Hans">' in chinese.content.decode()
    assert "目标进展" in chinese.content.decode()
    assert '<html lang="en">' in english.content.decode()
    assert "Progress toward the targets" in english.content.decode()
    assert english["Content-Language"] == "en"
    assert 'href="/progress/?lang=en"' in chinese.content.decode()  # the switch
    assert 'href="/progress/?year=2026&amp;lang=en"' in english.content.decode()


def test_the_page_loads_nothing_from_elsewhere_and_says_so(client, some_progress):
    response, _ = shown_numbers(client)
    html = response.content.decode()

    assert "http://" not in html
    assert "https://" not in html
    assert "<script" not in html
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "style-src 'self'" in response["Content-Security-Policy"]
    assert '<meta name="viewport"' in html
    assert "/static/pilots/progress.css" in html


def test_the_charts_are_svg_with_titles(client, some_progress):
    html = shown_numbers(client)[0].content.decode()

    assert html.count("<svg") >= 4 + 6  # a bar per target, per resource type, …
    assert 'role="img"' in html
    assert "<title id=" in html


def test_met_targets_are_marked(client, platform_a):
    for number in range(10):
        ServicePlatform.objects.create(
            slug=f"sp-{number}", name=f"平台{number}", operator=platform_a, launched_year=2026
        )

    html = shown_numbers(client)[0].content.decode()

    assert html.count("is-met") == 1
    assert html.count("未达成") == 3


@pytest.mark.parametrize("query", ["?year=2025", "?year=abc", "?lang=fr"])
def test_a_bad_year_or_language_is_a_400(client, query):
    assert client.get(f"/progress/{query}").status_code == 400


def test_the_page_cannot_be_posted_to(client):
    assert client.post("/progress/").status_code == 405
