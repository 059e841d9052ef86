"""The ``/progress/`` page in a real browser: Debian's Chromium, driven by Playwright (no browser
download), against the app served by ``live_server`` with the demo data.

The page must load with no failed request, no response of 400 or more and no console error, and
every number it shows (``data-stat``) must be the API's. Screenshots are saved under
``test-artifacts/`` (``progress.png``, ``progress-en.png``, ``progress-phone.png``).

Where Chromium (``/usr/bin/chromium``) or Playwright is missing the test is skipped with the
reason, except under ``CI=true``, where it fails: CI must prove the page works. ``.ci/run``
installs Chromium (README, "Working on it").
"""

from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command

from tests.browser import chromium_browser, flush_published_history  # noqa: F401  (fixture)
from tests.progress.progress_helpers import flat_stats

pytestmark = pytest.mark.browser

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo(transactional_db: Any, vocabularies: None) -> Iterator[None]:
    call_command(
        "seed_demo", resources=150, today="2026-12-02", no_progress=True, stdout=StringIO()
    )
    cache.clear()  # the live server shares this process's cache
    yield
    cache.clear()
    flush_published_history()


class Watched:
    """A page, and everything that went wrong while it loaded."""

    def __init__(self, context: Any) -> None:
        self.page = context.new_page()
        self.problems: list[str] = []
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))

    def _failed(self, request: Any) -> None:
        self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.problems.append(f"{response.status} for {response.url}")

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def load(self, url: str) -> dict[str, str]:
        """Loads ``url``; returns the text of every ``data-stat`` element by name."""
        response = self.page.goto(url, wait_until="load")
        assert response is not None, url
        assert response.status == 200, url
        pairs = self.page.eval_on_selector_all(
            "[data-stat]", "els => els.map(el => [el.dataset.stat, el.textContent.trim()])"
        )
        return dict(pairs)


def api_numbers(context: Any, base: str, query: str) -> dict[str, int]:
    response = context.request.get(f"{base}/api/v1/stats/{query}")
    assert response.status == 200
    return flat_stats(response.json())


def assert_same_numbers(shown: dict[str, str], api: dict[str, int]) -> None:
    assert len(shown) > 50
    unknown = sorted(set(shown) - set(api))
    assert not unknown, f"the page shows numbers the API does not have: {unknown}"
    differ = {name: (text, api[name]) for name, text in shown.items() if text != str(api[name])}
    assert not differ, f"page and API disagree (page, API): {differ}"


def test_the_progress_page_loads_cleanly_and_shows_the_apis_numbers(browser, live_server, demo):
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    try:
        watched = Watched(context)
        for query, shot in [("", "progress.png"), ("?lang=en", "progress-en.png")]:
            shown = watched.load(f"{base}/progress/{query}")
            assert_same_numbers(shown, api_numbers(context, base, ""))
            watched.page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
        for year in (2026, 2027, 2028):
            shown = watched.load(f"{base}/progress/?year={year}")
            assert_same_numbers(shown, api_numbers(context, base, f"?year={year}"))
        assert watched.page.locator("html").get_attribute("lang") == "zh-Hans"
        # Each card says what the API says: met, else on track or behind the plan's pace.
        for query in ("", "?year=2028"):
            watched.load(f"{base}/progress/{query}")
            targets = context.request.get(f"{base}/api/v1/stats/{query}").json()["targets"]
            for key, target in targets.items():
                state = "is-met" if target["met"] else "is-on-track" if target["on_track"] else ""
                card = watched.page.locator(f"article[aria-labelledby='target-{key}']")
                assert card.get_attribute("class") == f"card {state or 'is-behind'}", key
        assert not watched.problems, watched.problems
    finally:
        context.close()


def test_the_progress_page_fits_a_phone(browser, live_server, demo):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    try:
        watched = Watched(context)
        watched.load(f"{live_server.url}/progress/")
        overflow = watched.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        watched.page.screenshot(path=str(ARTIFACTS / "progress-phone.png"), full_page=True)
        assert overflow <= 0, f"the page is {overflow}px wider than a phone's screen"
        assert not watched.problems, watched.problems
    finally:
        context.close()
