"""What the registry's pages for people share (``/`` and ``/progress/``): two languages chosen by
``?lang=``, their texts kept as (Chinese, English) pairs, and a Content-Security-Policy that lets a
page load nothing but its same-origin stylesheet and inline images.
"""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

LANGUAGES = ("zh", "en")  # the first is the default
HTML_LANG = {"zh": "zh-Hans", "en": "en"}
PAGE_CSP = "; ".join(
    [
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self' data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)

Texts = Mapping[str, tuple[str, str]]


def page_language(request: HttpRequest) -> str | None:
    """The language ``?lang=`` asks for (the default without it), or None for one not offered."""
    lang = request.GET.get("lang", LANGUAGES[0])
    return lang if lang in LANGUAGES else None


def texts_in(texts: Texts, lang: str) -> dict[str, str]:
    """Each of a page's texts in ``lang``."""
    index = LANGUAGES.index(lang)
    return {key: pair[index] for key, pair in texts.items()}


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], lang: str
) -> HttpResponse:
    """The page, with its language and the policy that keeps it to its own assets."""
    response = render(request, template, context)
    response["Content-Security-Policy"] = PAGE_CSP
    response["Content-Language"] = HTML_LANG[lang]
    return response
