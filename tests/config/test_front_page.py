"""The front page, ``/``: what the registry is and links to the docs, the progress page, the API
root and the admin; Chinese by default, English with ``?lang=en``; nothing loaded from elsewhere."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

LINKED = ["/api/v1/", "/api/docs/", "/api/redoc/", "/api/schema/", "/progress/", "/admin/"]


class Links(HTMLParser):
    """Every ``href`` and ``src`` of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in {"href", "src"} and value]


def links(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.urls


def test_the_front_page_is_html_and_links_the_docs_the_progress_page_the_api_and_the_admin(client):
    response = client.get("/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    hrefs = [url.split("?")[0] for url in links(response.content.decode())]
    for url in LINKED:
        assert url in hrefs, url


def test_every_link_of_the_front_page_leads_somewhere(client, curator):
    client.force_login(curator)  # the admin's index answers 200 to a curator
    for url in links(client.get("/").content.decode()):
        if url.startswith("data:"):
            continue
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
            continue
        assert client.get(url).status_code == 200, url


def test_the_front_page_loads_nothing_from_another_host(client):
    response = client.get("/")

    html = response.content.decode()
    assert not re.search(r"https?://", html)
    assert all(url.startswith(("/", "?", "data:")) for url in links(html))
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "style-src 'self'" in response["Content-Security-Policy"]


def test_the_front_page_says_what_the_registry_is_in_chinese_and_with_lang_en_in_english(client):
    chinese = client.get("/")
    english = client.get("/", {"lang": "en"})

    assert chinese["Content-Language"] == "zh-Hans"
    assert '<html lang="zh-Hans">' in chinese.content.decode()
    assert "平台开放目录" in chinese.content.decode()
    assert "中小企业" in chinese.content.decode()
    assert english["Content-Language"] == "en"
    text = english.content.decode()
    assert "Platform Openness Registry" in text
    assert "system of record" in text
    assert 'href="/progress/?lang=en"' in text
    assert 'href="/?lang=en"' in chinese.content.decode()  # the switch to English
    assert 'href="/"' in text  # and back


def test_an_unknown_language_is_refused(client):
    response = client.get("/", {"lang": "fr"})

    assert response.status_code == 400
    assert "zh, en" in response.content.decode()


def test_in_development_it_says_where_the_demo_accounts_come_from(client, settings):
    settings.DEBUG = True
    text = client.get("/", {"lang": "en"}).content.decode()

    assert "manage.py demo_accounts" in text
    assert "<code>make run</code> printed the demo accounts" in text


def test_in_production_it_says_nothing_of_demo_accounts(client, settings):
    settings.DEBUG = False
    for lang in ["zh", "en"]:
        assert "demo_accounts" not in client.get("/", {"lang": lang}).content.decode()


def test_a_post_to_the_front_page_is_not_allowed(client):
    assert client.post("/").status_code == 405
