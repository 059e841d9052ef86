"""The curators' admin in a real browser (Debian's Chromium, through Playwright) at 1,280 × 800,
with the demo data and some subscriptions, deliveries, tokens and tasks besides: every list the
admin's index links to shows all its columns without scrolling sideways, in Chinese and in
English, and so does a published batch's page with its entries.

Sideways scrolling is measured twice: the page (``document.documentElement.scrollWidth``) and
the list's own box (Django's ``.results``, which scrolls by itself, so the page alone never
shows it). Screenshots are saved under ``test-artifacts/admin/``.

Where Chromium or Playwright is missing the test is skipped with the reason, except under
``CI=true``, where it fails.
"""

from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command

from core.models import Event
from notifications import services as subscriptions
from notifications import tasks
from notifications.choices import DeliveryStatus
from notifications.models import Delivery
from openness.models import Batch
from registry.tokens import token_issue
from tests.browser import chromium_browser, flush_published_history  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

WINDOW = {"width": 1280, "height": 800}
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "admin"
PASSWORD = "a-long-test-password"
# What the measurement reads on a list page: the widths, and the columns' for the message.
MEASURE = """() => {
  const box = document.querySelector('#changelist .results');
  const table = document.querySelector('#result_list');
  const name = cell => [...cell.classList].find(c => c.startsWith('column-')) || cell.className;
  return {
    page: document.documentElement.scrollWidth,
    box: box ? box.clientWidth : 0,
    list: box ? box.scrollWidth : 0,
    rows: table ? table.tBodies[0].rows.length : 0,
    columns: table ? [...table.tHead.rows[0].cells].map(
      cell => [name(cell), Math.round(cell.getBoundingClientRect().width)]) : [],
  };
}"""
# Lists the demo leaves empty (curators add synonym groups when searches need them).
EMPTY_IN_THE_DEMO = {"/admin/registry/synonymgroup/"}


def operations(monkeypatch: Any) -> None:
    """What the demo does not make: an SME's subscriptions (with long queries and URLs) and their
    deliveries in every status, API tokens, and queued tasks."""
    monkeypatch.setattr(
        "notifications.webhooks.addresses.resolve", lambda host, port: ["93.184.215.14"]
    )
    sme = get_user_model().objects.create_user("browser-sme", "sme@example.org", PASSWORD)
    made = [
        subscriptions.subscription_create(owner=sme, data=data)[0]
        for data in (
            {
                "name": "长三角物流中小企业可用的免费额度数据资源",
                "query": "type=data&region=310000,320000,330000&industry=G&access_model=free_quota",
                "webhook_url": "https://hooks.example.com/a/long/path/for/the/registry/webhooks",
            },
            {"name": "广东算力", "query": "type=compute&region=440000", "webhook_url": ""},
        )
    ]
    statuses = [DeliveryStatus.PENDING, DeliveryStatus.SUCCEEDED, DeliveryStatus.DEAD]
    Delivery.objects.bulk_create(
        Delivery(
            subscription=subscription,
            event=event,
            status=statuses[n % 3],
            attempts=n % 8,
            last_status_code=[None, 200, 503][n % 3],
            last_error="The receiver answered 503." if n % 3 == 2 else "",
        )
        for n, event in enumerate(Event.objects.order_by("id")[:30])
        for subscription in made
    )
    for user in get_user_model().objects.order_by("id")[:4]:
        token_issue(user=user, name=f"集成系统 {user.username}")
    for subscription in made:
        tasks.deliver.enqueue(subscription.pk)


@pytest.fixture
def demo(transactional_db: Any, vocabularies: None, monkeypatch: Any) -> Iterator[None]:
    call_command("seed_demo", resources=150, no_progress=True, stdout=StringIO())
    operations(monkeypatch)
    get_user_model().objects.create_superuser("browser-admin", "admin@example.org", PASSWORD)
    cache.clear()  # the live server shares this process's cache
    yield
    cache.clear()
    flush_published_history()


def signed_in(chromium: Any, base: str, language: str) -> Any:
    context = chromium.new_context(
        viewport=WINDOW, extra_http_headers={"Accept-Language": language}
    )
    page = context.new_page()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "browser-admin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    return page


def changelists(page: Any) -> list[str]:
    """The lists the admin's index links to."""
    links = page.eval_on_selector_all(
        "#content-main a[href^='/admin/']", "links => links.map(a => a.getAttribute('href'))"
    )
    return sorted({link for link in links if link.count("/") == 4 and "/add/" not in link})


def test_every_admin_list_and_a_batch_page_fit_a_1280_pixel_window(browser, live_server, demo):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    batch = Batch.objects.filter(status="published").order_by("number").first()
    assert batch is not None
    too_wide, empty = {}, set()
    for language in ("zh-hans", "en"):
        page = signed_in(browser, live_server.url, language)
        try:
            lists = changelists(page)
            assert len(lists) >= 18, lists
            for url in lists:
                response = page.goto(f"{live_server.url}{url}")
                assert response is not None
                assert response.status == 200, url
                seen = page.evaluate(MEASURE)
                if seen["rows"] == 0:
                    empty.add(url)
                if seen["page"] > WINDOW["width"] or seen["list"] > seen["box"]:
                    too_wide[f"{language} {url}"] = seen
                name = url.strip("/").replace("admin/", "").replace("/", "-")
                page.screenshot(path=str(ARTIFACTS / f"{language}-{name}.png"))

            url = f"/admin/openness/batch/{batch.pk}/change/"
            response = page.goto(f"{live_server.url}{url}")
            assert response is not None
            assert response.status == 200
            assert page.locator("table.batch-entries tbody tr").count() > 0
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > WINDOW["width"]:
                too_wide[f"{language} {url}"] = {"page": width}
            page.screenshot(path=str(ARTIFACTS / f"{language}-batch.png"), full_page=True)
        finally:
            page.context.close()

    assert not too_wide, f"wider than {WINDOW['width']} px (drop or shorten a column): {too_wide}"
    assert empty <= EMPTY_IN_THE_DEMO, f"lists with nothing to measure: {empty}"
