"""A published batch as the annex of its notice: one row per entry, in the order of the list, with
Chinese headings and the values as listed (the snapshot), as CSV or XLSX.

The rows are read in chunks and written as they come: the CSV is streamed, the XLSX is written
by openpyxl's write-only workbook to a temporary file (its rows are not kept in memory) and then
streamed from it. Memory stays flat whatever the number of entries.
"""

import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone, translation

from config.api.downloads import csv_stream
from openness.choices import EntryStatus
from openness.models import Batch, Entry
from registry.choices import AccessModel, ResourceType
from registry.vocabularies import Term, industries, regions

CSV_MEDIA_TYPE = "text/csv"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 500  # entries read from the database at a time


def _labels(choices: Any) -> dict[str, str]:
    """Each choice's label in Chinese, as the notice gives it."""
    with translation.override("zh-hans"):
        return {str(value): str(label) for value, label in choices.choices}


def _names(terms: list[Term]) -> dict[str, str]:
    return {term["code"]: term["name"] for term in terms}


def _sme_terms(snapshot: dict[str, Any]) -> str:
    terms = snapshot.get("sme_terms") or {}
    parts = [terms.get("free_quota") or "", terms.get("discount") or "", terms.get("conditions")]
    return "；".join(part for part in parts if part)


class Annex:
    """The columns of the annex, in the notice's order: a heading and the value of an entry."""

    def __init__(self) -> None:
        types, access = _labels(ResourceType), _labels(AccessModel)
        statuses = _labels(EntryStatus)
        region_names, industry_names = _names(regions()), _names(industries())

        def region_list(snapshot: dict[str, Any]) -> str:
            if snapshot.get("nationwide"):
                return "全国"
            return "、".join(region_names.get(code, code) for code in snapshot.get("regions", []))

        def industry_list(snapshot: dict[str, Any]) -> str:
            codes = snapshot.get("industries", [])
            return "、".join(industry_names.get(code, code) for code in codes)

        def listed_on(entry: Entry) -> str:
            return timezone.localdate(entry.listed_at).isoformat() if entry.listed_at else ""

        def withdrawal_reason(entry: Entry) -> str:
            return entry.reason if entry.status == EntryStatus.WITHDRAWN else ""

        def snap(entry: Entry) -> dict[str, Any]:
            return entry.snapshot or {}

        self.columns: list[tuple[str, Callable[[Entry], Any]]] = [
            ("序号", lambda entry: entry.sequence),
            ("清单编号", lambda entry: entry.citation),
            ("平台名称", lambda entry: snap(entry).get("platform", {}).get("name", "")),
            ("统一社会信用代码", lambda entry: entry.platform.credit_code),
            ("资源名称", lambda entry: snap(entry).get("name", "")),
            ("资源类型", lambda entry: types.get(snap(entry).get("resource_type", ""), "")),
            ("开放方式", lambda entry: access.get(snap(entry).get("access_model", ""), "")),
            ("适用地区", lambda entry: region_list(snap(entry))),
            ("适用行业", lambda entry: industry_list(snap(entry))),
            ("中小企业优惠", lambda entry: _sme_terms(snap(entry))),
            ("资源简介", lambda entry: snap(entry).get("summary", "")),
            ("申请入口", lambda entry: snap(entry).get("application_url", "")),
            ("状态", lambda entry: statuses.get(entry.status, entry.status)),
            ("列入日期", listed_on),
            (
                "撤回原因",
                lambda entry: entry.reason if entry.status == EntryStatus.WITHDRAWN else "",
            ),
            ("资源编号", lambda entry: str(entry.resource_id)),
        ]

    def headings(self) -> list[str]:
        return [heading for heading, _value in self.columns]

    def rows(self, entries: QuerySet[Entry]) -> Iterator[list[Any]]:
        ordered = entries.select_related("batch", "platform").order_by("sequence", "pk")
        for entry in ordered.iterator(chunk_size=CHUNK):
            yield [value(entry) for _heading, value in self.columns]


def file_name(batch: Batch, extension: str) -> str:
    return f"batch-{batch.number}-annex.{extension}"


def csv_chunks(entries: QuerySet[Entry]) -> Iterator[bytes]:
    """The annex as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese
    right), written as the rows are read."""
    annex = Annex()
    return csv_stream(annex.headings(), annex.rows(entries))


def xlsx_file(batch: Batch, entries: QuerySet[Entry]) -> IO[bytes]:
    """The annex as an XLSX workbook, in a temporary file read from its start."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    annex = Annex()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=f"第{batch.number}批")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    heading_cells = []
    for heading in annex.headings():
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = bold
        heading_cells.append(cell)
    sheet.append(heading_cells)
    for row in annex.rows(entries):
        sheet.append(row)
    spool = tempfile.TemporaryFile()  # noqa: SIM115  (returned open; chunks_of closes it)
    workbook.save(spool)
    spool.seek(0)
    return spool


def chunks_of(file: IO[bytes], size: int = 64 * 1024) -> Iterable[bytes]:
    """A file's bytes, ``size`` at a time, closing it at the end."""
    try:
        while block := file.read(size):
            yield block
    finally:
        file.close()
