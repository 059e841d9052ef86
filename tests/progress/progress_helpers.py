"""What the progress page's tests share: the moments they count to, the API's numbers under the
page's ``data-stat`` names, and the numbers the page shows."""

from datetime import datetime
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")
#: When every target of the plan has come due: what the tests count to unless they travel.
AFTER_THE_PLAN = datetime(2029, 1, 15, 10, tzinfo=BEIJING)
#: 2 December 2026: part of the plan done, part still to come.
TODAY = datetime(2026, 12, 2, 10, tzinfo=BEIJING)


def flat_stats(value: Any, path: str = "") -> dict[str, int]:
    """Every number of ``/api/v1/stats/`` by a dotted name: a bucket ``{value, …, count}`` is
    ``<list>.<value>``, a year's row ``<list>.<year>.<field>``. For instance
    ``targets.pilots.by_year.2026.count``, ``listed_resources.by_region.440000``,
    ``pilots.by_year.2027.by_status.completed``."""
    flat: dict[str, int] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            flat.update(flat_stats(item, f"{path}.{key}" if path else key))
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and "value" in item and "count" in item:
                flat[f"{path}.{item['value']}"] = item["count"]
            elif isinstance(item, dict) and "year" in item:
                rest = {key: field for key, field in item.items() if key != "year"}
                flat.update(flat_stats(rest, f"{path}.{item['year']}"))
    elif isinstance(value, int) and not isinstance(value, bool):
        flat[path] = value
    return flat


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _DataStats(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self._open: list[tuple[str | None, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self._open.append((dict(attrs).get("data-stat"), []))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if not self._open:
            return
        name, text = self._open.pop()
        if self._open:
            self._open[-1][1].extend(text)
        if name is not None:
            self.found.append((name, "".join(text).strip()))

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1][1].append(data)


def page_stats(html: str) -> list[tuple[str, str]]:
    """``(data-stat, text)`` of every element of the page that carries one."""
    parser = _DataStats()
    parser.feed(html)
    return parser.found
