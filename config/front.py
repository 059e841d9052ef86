"""The front page, ``/``: what the registry is and where to go from here.

Like ``/progress/``: server-rendered, no script, Chinese by default and English with ``?lang=en``;
its stylesheet is a same-origin static file and its Content-Security-Policy lets it load nothing
else. In development (DEBUG) it also says where the demo accounts' passwords come from.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_safe

from config.pages import LANGUAGES, page_language, render_page, texts_in

# Every piece of text on the page: key → (Chinese, English).
TEXT: dict[str, tuple[str, str]] = {
    "html_lang": ("zh-Hans", "en"),
    "title": ("平台开放目录", "Platform Openness Registry"),
    "plan": (
        "平台经济大中小企业融通发展行动计划（2026—2028年）",
        "Action Plan for the Coordinated Development of Large, Medium and Small Enterprises "
        "in the Platform Economy (2026–2028)",
    ),
    "lede": (
        "本目录是行动计划平台开放清单的权威记录：平台企业登记向中小企业开放的数据、算力、算法与模型、"
        "高端芯片、操作系统和智能终端等资源；审核人员审核后按批次发布开放清单；中小企业检索、筛选和"
        "比较面向自己的资源，并可订阅变化；系统集成方通过 OpenAPI 文档接入全部数据。",
        "The system of record for the plan's platform openness lists: platform companies register "
        "the resources they open to SMEs — data, computing power, algorithms and models, "
        "high-end chips, operating systems and smart terminals; curators review them and publish "
        "numbered batches; SMEs search, filter and compare what is open to them and subscribe to "
        "what changes; integrators reach all of it through the OpenAPI document.",
    ),
    "switch": ("English", "中文"),
    "switch_label": ("Switch to English", "切换到中文"),
    "where": ("从这里开始", "Where to go"),
    "api_root": (
        "API 根目录：指向每个集合和入口的链接",
        "The API root: links to every collection and entry point",
    ),
    "docs": ("Swagger UI：交互式 API 文档", "Swagger UI: the API documentation, to try out"),
    "redoc": ("Redoc：可阅读的 API 参考", "Redoc: the API reference, to read"),
    "schema": ("OpenAPI 3.1 文档（接入方使用）", "The OpenAPI 3.1 document, for integrators"),
    "progress": ("行动计划目标的进展", "Progress toward the plan's targets"),
    "admin": ("管理后台（审核人员）", "The admin, for curators"),
    "development": ("开发环境", "Development"),
    "demo_accounts": (
        "<code>make run</code> 启动时打印了演示账号——审核人员、一个演示平台的发布人员和一家"
        "中小企业——及其随机密码，每次启动都会更换；{command} 可随时生成新密码。"
        "这些账号只在开发环境（DEBUG）中可以登录。",
        "<code>make run</code> printed the demo accounts — a curator, a publisher of a demo "
        "platform and an SME — with random passwords, new on every start; {command} gives them "
        "new ones at any time. They can sign in in development (DEBUG) only.",
    ),
}


@require_safe
def front_page(request: HttpRequest) -> HttpResponse:
    lang = page_language(request)
    if lang is None:
        return HttpResponseBadRequest(
            f"lang must be one of {', '.join(LANGUAGES)}", content_type="text/plain; charset=utf-8"
        )
    t = texts_in(TEXT, lang)
    return render_page(request, "config/front.html", page_context(t, lang), lang)


def page_context(t: dict[str, str], lang: str) -> dict[str, object]:
    progress = reverse("progress") + ("?lang=en" if lang == "en" else "")
    return {
        "t": t,
        "lang": lang,
        "switch_url": reverse("front") + ("?lang=en" if lang == "zh" else ""),
        "links": [
            (reverse("api:root"), t["api_root"]),
            (reverse("swagger-ui"), t["docs"]),
            (reverse("redoc"), t["redoc"]),
            (reverse("schema"), t["schema"]),
            (progress, t["progress"]),
            (reverse("admin:index"), t["admin"]),
        ],
        "debug": settings.DEBUG,
        "demo_accounts": format_html(
            t["demo_accounts"],
            command=format_html("<code>{}</code>", ".venv/bin/python manage.py demo_accounts"),
        ),
    }
