"""The public progress page, ``/progress/``: the numbers of ``/api/v1/stats/`` for people.

Server-rendered, no script: Chinese by default, English with ``?lang=en``; ``?year=2026`` shows
the picture at the end of that year (or today, while it has not ended), as the API does. Beside
each count stands the plan: its number for 2028, a steady pace toward it year by year, and whether
the count keeps up. The charts are inline SVG drawn here
(``progress.charts``); the stylesheet is a same-origin static file, and the page's
Content-Security-Policy lets it load nothing else.
"""

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_safe

from config.pages import LANGUAGES, page_language, render_page, texts_in
from progress import charts
from progress.stats import COUNTED, YEARS, progress_stats

RANKED = 10  # provinces shown before "the others"
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Every piece of text on the page: key → (Chinese, English).
TEXT: dict[str, tuple[str, str]] = {
    "html_lang": ("zh-Hans", "en"),
    "title": ("平台开放进展", "Platform openness: progress"),
    "plan": (
        "平台经济大中小企业融通发展行动计划（2026—2028年）",
        "Action Plan for the Coordinated Development of Large, Medium and Small Enterprises "
        "in the Platform Economy (2026–2028)",
    ),
    "lede": (
        "平台企业向中小企业开放数据、算力、算法与模型、高端芯片、操作系统和智能终端等资源。"
        "本页展示行动计划各项目标的完成情况，以及已列入清单的资源和试点项目的分布。",
        "Platform companies open data, computing power, algorithms and models, high-end chips, "
        "operating systems and smart terminals to SMEs. This page shows how far the plan's "
        "targets have been reached, and where the listed resources and the pilot projects are.",
    ),
    "as_of_day": ("截至{date}", "As of {date}"),
    "as_of_year": ("截至{year}年底", "As of the end of {year}"),
    "as_of_partial": ("{year}年计划 · 截至{date}", "The plan for {year} · as of {date}"),
    "partial_note": (
        "{year}年尚未结束：各项数字为截至{date}已经发生的情况，“计划”一栏给出{year}年底应达到的进度。",
        "{year} has not ended: the numbers are what has happened by {date}, and the Plan column "
        "shows where the plan stands at the end of {year}.",
    ),
    "now": ("当前", "Now"),
    "year_short": ("{year}年底", "End of {year}"),
    "view": ("查看", "View"),
    "switch": ("English", "中文"),
    "switch_label": ("Switch to English", "切换到中文"),
    "targets": ("目标进展", "Progress toward the targets"),
    "targets_note": (
        "只统计已经发生的情况。按年份分段：每段为当年新增；虚线为 2028 年目标，实线为按均匀进度"
        "截至{date}应达到的数量。行动计划只规定 2028 年底的数字，此前各年的“计划”为均匀进度。",
        "Only what has happened counts. Each segment is what a year added; the dashed line marks "
        "the target for 2028, the solid one where a steady pace toward it stands on {date}. The "
        "Action Plan sets only the numbers for the end of 2028; for the years before, the Plan "
        "column shows a steady pace toward them.",
    ),
    "met": ("已达成", "Met"),
    "on_track": ("进度正常", "On track"),
    "behind": ("进度落后", "Behind"),
    "of_target": ("目标", "target"),
    "plan_line": (
        "计划：{year}年底达到 {target}；按均匀进度，截至{date}应有 {expected}。",
        "Plan: {target} by the end of {year}; at a steady pace, {expected} by {date}.",
    ),
    "year": ("年份", "Year"),
    "added": ("当年新增", "Added"),
    "cumulative": ("累计", "Total"),
    "planned": ("计划", "Plan"),
    "not_yet": ("尚未到来", "Not yet"),
    "other_years": ("其他年份", "Other years"),
    "per_year_caption": ("{name}：按年份", "{name}: by year"),
    "progress_alt": (
        "{name}：{count}，目标 {target}（{percent}%）",
        "{name}: {count} of a target of {target} ({percent}%)",
    ),
    "resources": ("已列入清单的资源", "Resources on the published lists"),
    "resources_total": (
        "已发布批次中列入清单的资源共 {total} 项，其中全国范围可用 {nationwide} 项。",
        "{total} resources are listed in published batches, {nationwide} of them available "
        "nationwide.",
    ),
    "by_type": ("按资源类型", "By type of resource"),
    "regions": ("各省份排名", "Provinces ranked"),
    "regions_note": (
        "各省份按本省份的资源排名：全国范围可用的资源单列，不计入各省；试点项目只计已入选及以后"
        "阶段的项目。",
        "Provinces are ranked by their own resources: those available nationwide are shown "
        "apart, not counted in every province; pilots count once selected.",
    ),
    "nationwide": ("全国范围可用", "Available nationwide"),
    "by_resources": ("按清单资源数", "By listed resources"),
    "by_pilots": ("按试点项目数", "By pilot projects"),
    "others": ("其余 {n} 个省份", "The other {n} provinces"),
    "none": ("暂无数据", "Nothing yet"),
    "pilots": ("试点项目", "Pilot projects"),
    "pilots_note": (
        "按入选年份和当前状态统计；共有 {total} 个试点项目，其中 {counted} 个已入选。",
        "By year selected and current status; {total} pilot projects, {counted} of them "
        "selected or later.",
    ),
    "by_status": ("按状态", "By status"),
    "by_year": ("按入选年份", "By year selected"),
    "selected_in": ("{year}年入选", "Selected in {year}"),
    "total": ("合计", "Total"),
    "rank": ("排名", "Rank"),
    "province": ("省份", "Province"),
    "count": ("数量", "Count"),
    "type": ("类型", "Type"),
    "source": (
        "数据来自公开接口 {api}，与本页数字一致；统计口径见项目文档 docs/progress.md。",
        "The numbers come from the public API {api}; docs/progress.md explains how they are "
        "counted.",
    ),
}


def _name(item: dict[str, Any], lang: str) -> str:
    return item["name_en"] or item["name"] if lang == "en" else item["name"]


def _link(lang: str, year: int | None) -> str:
    params: dict[str, Any] = {}
    if year:
        params["year"] = year
    if lang != LANGUAGES[0]:
        params["lang"] = lang
    query = urlencode(params)
    return reverse("progress") + (f"?{query}" if query else "")


@require_safe
def progress(request: HttpRequest) -> HttpResponse:
    lang = page_language(request)
    raw_year = request.GET.get("year", "")
    year = int(raw_year) if raw_year in {str(y) for y in YEARS} else None
    if lang is None or (raw_year and year is None):
        return HttpResponseBadRequest(
            f"lang must be one of {', '.join(LANGUAGES)}; year one of {', '.join(map(str, YEARS))}",
            content_type="text/plain; charset=utf-8",
        )
    stats = progress_stats(year=year)
    response = render_page(request, "progress/progress.html", page_context(stats, lang, year), lang)
    response["Cache-Control"] = "no-cache"
    return response


def page_context(stats: dict[str, Any], lang: str, year: int | None) -> dict[str, Any]:
    t = texts_in(TEXT, lang)
    api = reverse("api:stats") + (f"?year={year}" if year else "")
    day = date.fromisoformat(stats["as_of"])
    shown_day = _date(day, lang)
    partial = year is not None and day < date(year, 12, 31)
    if year is None:
        as_of = t["as_of_day"].format(date=shown_day)
    elif partial:
        as_of = t["as_of_partial"].format(year=year, date=shown_day)
    else:
        as_of = t["as_of_year"].format(year=year)
    return {
        "t": t,
        "lang": lang,
        "year": year,
        "as_of": as_of,
        "partial_note": t["partial_note"].format(year=year, date=shown_day) if partial else "",
        "targets_note": t["targets_note"].format(date=shown_day),
        "years": [
            {"label": t["now"], "url": _link(lang, None), "current": year is None},
            *(
                {
                    "label": t["year_short"].format(year=y),
                    "url": _link(lang, y),
                    "current": year == y,
                }
                for y in YEARS
            ),
        ],
        "switch_url": _link("en" if lang == "zh" else "zh", year),
        "api_url": api,
        "source": format_html(
            t["source"], api=format_html('<a href="{}"><code>{}</code></a>', api, api)
        ),
        "targets": [
            _target(key, target, t, lang, shown_day, year)
            for key, target in stats["targets"].items()
        ],
        "resources": _resources(stats["listed_resources"], t, lang),
        "regions": {
            "resources": _ranked(
                stats["listed_resources"]["by_region_own"],
                t,
                lang,
                apart={
                    "label": t["nationwide"],
                    "count": stats["listed_resources"]["nationwide"],
                    "stat": "listed_resources.nationwide",
                },
            ),
            "pilots": _ranked(stats["pilots"]["by_region"], t, lang),
        },
        "pilots": _pilots(stats["pilots"], t, lang),
    }


def _date(day: date, lang: str) -> str:
    if lang == "en":
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


def _target(
    key: str, target: dict[str, Any], t: dict[str, str], lang: str, day: str, year: int | None
) -> dict[str, Any]:
    name = _name(target, lang)
    parts = [(f"y{row['year']}", str(row["year"]), row["count"]) for row in target["by_year"]]
    other = target["count"] - sum(row["count"] for row in target["by_year"])
    if other > 0:
        parts.append(("other", t["other_years"], other))
    achieved = {row["year"]: row for row in target["by_year"]}
    final = target["plan"][-1]
    if target["met"]:
        state, badge = "is-met", t["met"]
    elif target["on_track"]:
        state, badge = "is-on-track", t["on_track"]
    else:
        state, badge = "is-behind", t["behind"]
    return {
        **target,
        "key": key,
        "label": name,
        "state": state,
        "badge": badge,
        "bar": charts.progress_bar(parts, target["count"], target["target"], target["expected"]),
        "alt": t["progress_alt"].format(
            name=name, count=target["count"], target=target["target"], percent=target["percent"]
        ),
        "plan_line": format_html(
            t["plan_line"],
            year=final["year"],
            target=_stat(f"targets.{key}.plan.{final['year']}.target", final["target"]),
            expected=_stat(f"targets.{key}.expected", target["expected"]),
            date=day,
        ),
        "caption": t["per_year_caption"].format(name=name),
        "rows": [
            {
                "year": row["year"],
                "achieved": achieved.get(row["year"]),
                "expected": row["expected"],
                "chosen": row["year"] == year,
            }
            for row in target["pace"]
        ],
    }


def _rows(
    buckets: list[dict[str, Any]], lang: str, maximum: int | None = None
) -> list[dict[str, Any]]:
    if maximum is None:
        maximum = max((bucket["count"] for bucket in buckets), default=0)
    return [
        {
            "value": bucket["value"],
            "label": _name(bucket, lang),
            "count": bucket["count"],
            "width": charts.bar_width(bucket["count"], maximum),
            "rank": rank,
        }
        for rank, bucket in enumerate(buckets, start=1)
    ]


def _resources(listed: dict[str, Any], t: dict[str, str], lang: str) -> dict[str, Any]:
    return {
        "summary": format_html(
            t["resources_total"],
            total=_stat("listed_resources.total", listed["total"]),
            nationwide=_stat("listed_resources.nationwide", listed["nationwide"]),
        ),
        "by_type": _rows(listed["by_type"], lang),
    }


def _stat(key: str, value: int) -> str:
    """A number the browser test compares with the API: ``data-stat`` names it there."""
    return format_html('<strong data-stat="{}">{}</strong>', key, value)


def _ranked(
    buckets: list[dict[str, Any]],
    t: dict[str, str],
    lang: str,
    apart: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The ranking of ``buckets``, the first ``RANKED`` shown; ``apart`` is a row shown above it,
    not ranked (the nationwide resources), on the same scale."""
    maximum = max([bucket["count"] for bucket in buckets] + [apart["count"] if apart else 0])
    rows = _rows(buckets, lang, maximum)
    rest = rows[RANKED:]
    if apart is not None:
        apart = {**apart, "width": charts.bar_width(apart["count"], maximum)}
    return {
        "apart": apart,
        "top": rows[:RANKED],
        "rest": rest,
        "rest_label": t["others"].format(n=len(rest)),
    }


def _pilots(pilots: dict[str, Any], t: dict[str, str], lang: str) -> dict[str, Any]:
    scale = max((row["total"] for row in pilots["by_year"]), default=0)
    statuses = [
        {"value": bucket["value"], "label": _name(bucket, lang)}
        for bucket in pilots["by_status"]
        if bucket["value"] in COUNTED
    ]
    years = []
    for row in pilots["by_year"]:
        parts = [(b["value"], _name(b, lang), b["count"]) for b in row["by_status"]]
        label = t["selected_in"].format(year=row["year"])
        years.append(
            {
                "year": row["year"],
                "label": label,
                "total": row["total"],
                "cells": row["by_status"],
                "segments": charts.stacked(parts, scale),
                "alt": f"{label}: "
                + ", ".join(f"{name} {count}" for _, name, count in parts)
                + f" ({t['total']} {row['total']})",
            }
        )
    return {
        "total": pilots["total"],
        "counted": pilots["counted"],
        "note": format_html(
            t["pilots_note"],
            total=_stat("pilots.total", pilots["total"]),
            counted=_stat("pilots.counted", pilots["counted"]),
        ),
        "by_status": [
            {**bucket, "label": _name(bucket, lang), "counted": bucket["value"] in COUNTED}
            for bucket in pilots["by_status"]
        ],
        "statuses": statuses,
        "years": years,
    }
