"""The ``/progress/`` page, rendered on the server: its numbers are the API's, in both languages,
the plan beside each count, and the provinces ranked by their own resources."""

from typing import Any

import pytest

from pilots.models import PilotProject, ServicePlatform
from progress import stats
from tests.factories import make_credit_code
from tests.openness.helpers import active_resource, published_batch
from tests.progress.progress_helpers import TODAY, flat_stats, page_stats

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache", "clock")]


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


@pytest.mark.parametrize("query", ["", "?year=2028&lang=en"])
def test_today_every_number_on_the_page_is_the_apis_and_none_is_in_the_future(
    client, some_progress, clock, query
):
    clock.move_to(TODAY)
    year = query.partition("year=")[2][:4]
    api = flat_stats(client.get("/api/v1/stats/", {"year": year} if year else {}).json())

    _, shown = shown_numbers(client, query)

    assert {name: int(text) for name, text in shown.items()} == {name: api[name] for name in shown}
    assert shown["targets.service_platforms.count"] == "1"  # launched in 2027 and 2028: not yet
    assert shown["targets.pilots.count"] == "2"
    assert not [name for name in shown if ".2027." in name and ".pace." not in name]


def test_the_page_shows_the_plan_beside_the_count(client, some_progress, clock):
    clock.move_to(TODAY)

    html, shown = shown_numbers(client, "?lang=en")
    page = html.content.decode()

    # Each card: the count, the plan's number with its year, the steady pace by today.
    assert (
        shown["targets.service_platforms.count"],
        shown["targets.service_platforms.target"],
    ) == (
        "1",
        "10",
    )
    assert shown["targets.service_platforms.plan.2028.target"] == "10"
    assert shown["targets.service_platforms.expected"] == "4"
    assert "by 2 December 2026" in page
    # The table by year: what each year added beside the plan, the years to come as not yet.
    assert [shown[f"targets.pilots.pace.{y}.expected"] for y in (2026, 2027, 2028)] == [
        "34",
        "67",
        "100",
    ]
    assert "targets.pilots.by_year.2027.count" not in shown
    assert page.count("Not yet") == 4 * 2  # 2027 and 2028 in each of the four cards
    assert page.count(">Behind<") == 4  # one selected pilot of the 31 a steady pace needs


def test_a_year_that_has_not_ended_shows_what_has_happened_and_its_plan(
    client, some_progress, clock
):
    clock.move_to(TODAY)

    chinese = shown_numbers(client, "?year=2028")[0].content.decode()
    english = shown_numbers(client, "?year=2028&lang=en")[0].content.decode()

    assert "2028年计划 · 截至2026年12月2日" in chinese
    assert "2028年尚未结束" in chinese
    assert "The plan for 2028 · as of 2 December 2026" in english
    assert "2028 has not ended: the numbers are what has happened by 2 December 2026" in english
    assert english.count('<tr class="chosen">') == 4  # the row of 2028 in each card
    assert "has not ended" not in shown_numbers(client, "?lang=en")[0].content.decode()


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
    assert "/static/progress/progress.css" in html


def test_the_charts_are_svg_with_titles(client, some_progress):
    html = shown_numbers(client)[0].content.decode()

    assert html.count("<svg") >= 4 + 6  # a bar per target, per resource type, …
    assert 'role="img"' in html
    assert "<title id=" in html


def test_each_target_is_marked_met_on_track_or_behind(client, platform_a, clock):
    clock.move_to(TODAY)
    for number in range(10):
        ServicePlatform.objects.create(
            slug=f"sp-{number}", name=f"平台{number}", operator=platform_a, launched_year=2026
        )
    published_batch(None, [active_resource(platform_a)], title="第一批")

    html = shown_numbers(client)[0].content.decode()

    assert html.count('class="card is-met"') == 1  # ten service platforms
    assert html.count('class="card is-on-track"') == 1  # one list of the one a steady pace needs
    assert html.count('class="card is-behind"') == 2
    assert (html.count(">已达成<"), html.count(">进度正常<"), html.count(">进度落后<")) == (1, 1, 2)


def test_nationwide_resources_are_shown_apart_and_provinces_ranked_by_their_own(client, platform_a):
    nationwide = [
        active_resource(platform_a, nationwide=True, regions=[], industries=["C"]) for _ in range(3)
    ]
    beijing = [active_resource(platform_a, regions=["110000"]) for _ in range(2)]
    guangdong = [active_resource(platform_a, regions=["440000"])]
    published_batch(None, [*nationwide, *guangdong, *beijing], title="第一批")

    response = client.get("/progress/?lang=en")
    html = response.content.decode()
    ranked = [
        (name.rpartition(".")[2], text)
        for name, text in page_stats(html)
        if name.startswith("listed_resources.by_region")
    ]

    assert ranked == [("110000", "2"), ("440000", "1")]  # not 5 and 4, with the nationwide three
    panel = html[html.index("By listed resources") :]
    apart = panel.index('<span class="value" data-stat="listed_resources.nationwide">3</span>')
    assert apart < panel.index("listed_resources.by_region_own.110000")
    assert "Available nationwide" in panel[:apart]
    assert "shown apart, not counted in every province" in html


def test_the_page_takes_the_stats_queries_and_no_more(
    client, some_progress, django_assert_num_queries
):
    with django_assert_num_queries(stats.QUERIES):
        assert client.get("/progress/").status_code == 200


@pytest.mark.parametrize("query", ["?year=2025", "?year=abc", "?lang=fr"])
def test_a_bad_year_or_language_is_a_400(client, query):
    assert client.get(f"/progress/{query}").status_code == 400


def test_the_page_cannot_be_posted_to(client):
    assert client.post("/progress/").status_code == 405
