"""A provincial portal's page, served from another origin, calls the API in Chromium.

The page is served by pytest-httpserver on its own port (another origin than ``live_server``'s).
Its script reads a filtered list, then sends a conditional GET with the list's ETag, which needs a
preflight (``If-None-Match`` is not a simple header) and the exposed ``ETag``. With the portal's
origin allowed, both work; with it not allowed, the browser refuses the script the answer.
"""

from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from tests.browser import chromium_browser  # noqa: F401  (fixture)
from tests.factories import PlatformFactory, ResourceFactory

pytestmark = pytest.mark.browser

PORTAL_PAGE = """<!doctype html>
<meta charset="utf-8">
<title>广东省中小企业服务门户</title>
<link rel="icon" href="data:,">
<script>
const api = new URLSearchParams(location.search).get("api");
const url = `${api}/api/v1/resources/?type=compute&region=440000`;
async function run() {
  const list = await fetch(url, {headers: {"Accept": "application/json"}});
  const body = await list.json();
  const etag = list.headers.get("ETag");
  const again = await fetch(url, {headers: {"Accept": "application/json", "If-None-Match": etag}});
  return {
    status: list.status,
    names: body.results.map((resource) => resource.name),
    etag: etag,
    conditional: again.status,
  };
}
window.result = run().catch((error) => ({error: String(error)}));
</script>
"""


@pytest.fixture
def catalogue(transactional_db: Any, vocabularies: None) -> None:
    platform = PlatformFactory(slug="yunqi", name="云启")
    ResourceFactory(platform=platform, name="广州智算中心 GPU 算力", resource_type="compute")
    ResourceFactory(
        platform=platform, name="北京政务数据", resource_type="data", regions=["110000"]
    )


@pytest.fixture
def portal(httpserver: HTTPServer) -> str:
    httpserver.expect_request("/portal.html").respond_with_data(
        PORTAL_PAGE, content_type="text/html; charset=utf-8"
    )
    return httpserver.url_for("/portal.html").rsplit("/", 1)[0]


def portal_result(browser: Any, portal: str, api: str) -> dict[str, Any]:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{portal}/portal.html?api={api}")
        return dict(page.evaluate("window.result"))
    finally:
        context.close()


def test_a_page_on_an_allowed_origin_reads_a_filtered_list_and_revalidates_it(
    browser, live_server, catalogue, portal, settings
):
    settings.CORS_ALLOWED_ORIGINS = [portal]
    result = portal_result(browser, portal, live_server.url)
    assert result.get("error") is None, result
    assert result["status"] == 200
    assert result["names"] == ["广州智算中心 GPU 算力"]
    assert result["etag"]  # exposed to the script
    assert result["conditional"] == 304  # the preflighted If-None-Match, answered unchanged


def test_a_page_on_an_origin_not_allowed_gets_nothing(
    browser, live_server, catalogue, portal, settings
):
    settings.CORS_ALLOWED_ORIGINS = ["https://portal.gd.example.cn"]
    result = portal_result(browser, portal, live_server.url)
    assert "Failed to fetch" in result.get("error", ""), result
