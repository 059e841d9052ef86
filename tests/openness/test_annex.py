"""A published batch downloads as the annex of its notice, in CSV or XLSX: Chinese headings in the
notice's order, one row per entry in the list's order, the values as listed."""

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from openness import services
from openness.exports import XLSX_MEDIA_TYPE
from openness.models import Batch
from registry import services as registry_services
from tests.factories import PlatformFactory
from tests.openness.helpers import active_resource, curator_user, open_batch, published_batch

pytestmark = pytest.mark.django_db

HEADINGS = [
    "序号",
    "清单编号",
    "平台名称",
    "统一社会信用代码",
    "资源名称",
    "资源类型",
    "开放方式",
    "适用地区",
    "适用行业",
    "中小企业优惠",
    "资源简介",
    "申请入口",
    "状态",
    "列入日期",
    "撤回原因",
    "资源编号",
]


@pytest.fixture
def curator() -> Any:
    return curator_user()


@pytest.fixture
def batch(curator):
    platform = PlatformFactory(slug="yunqi", name="云启智算科技有限公司")
    compute = active_resource(
        platform,
        name="广州智算中心算力券",
        resource_type="compute",
        access_model="free_quota",
        sme_free_quota="每家企业 100 卡时",
        application_url="https://yunqi.example.cn/apply",
    )
    data = active_resource(
        platform,
        name="全国企业信用数据",
        resource_type="data",
        access_model="open",
        nationwide=True,
    )
    withdrawn = active_resource(platform, name="已撤回的资源", regions=["110000"])
    batch = published_batch(curator, [compute, data, withdrawn])
    entry = batch.entries.get(resource=withdrawn)
    services.entry_withdraw(actor=curator, entry_id=entry.pk, reason="平台停止开放")
    return batch


def annex_url(batch) -> str:
    return f"/api/v1/batches/{batch.number}/annex/"


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # so a spreadsheet program reads it as UTF-8
    return list(csv.reader(io.StringIO(body[1:])))


def xlsx_rows(response) -> list[list[Any]]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_a_published_batch_downloads_as_csv_with_the_notices_headings_and_its_listed_rows(
    api_client, batch
):
    response = api_client.get(annex_url(batch))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="batch-{batch.number}-annex.csv"'
    )
    rows = csv_rows(response)
    assert rows[0] == HEADINGS
    assert [row[:2] for row in rows[1:]] == [
        ["1", f"batch-{batch.number}/1"],
        ["2", f"batch-{batch.number}/2"],
    ]  # the withdrawn entry is left out, as the entries list leaves it out
    compute = dict(zip(HEADINGS, rows[1], strict=True))
    platform = batch.entries.get(sequence=1).platform
    assert compute["平台名称"] == "云启智算科技有限公司"
    assert compute["统一社会信用代码"] == platform.credit_code
    assert compute["资源名称"] == "广州智算中心算力券"
    assert (compute["资源类型"], compute["开放方式"]) == ("算力", "免费额度")
    assert compute["适用地区"] == "广东省"
    assert compute["中小企业优惠"] == "每家企业 100 卡时"
    assert compute["申请入口"] == "https://yunqi.example.cn/apply"
    assert compute["状态"] == "已列入"
    data = dict(zip(HEADINGS, rows[2], strict=True))
    assert (data["资源类型"], data["开放方式"], data["适用地区"]) == ("数据", "开放", "全国")


def test_the_same_annex_downloads_as_xlsx_by_accept_or_by_format(api_client, batch):
    by_accept = api_client.get(annex_url(batch), HTTP_ACCEPT=XLSX_MEDIA_TYPE)
    by_format = api_client.get(annex_url(batch), {"format": "xlsx"})
    for response in (by_accept, by_format):
        assert response.status_code == 200
        assert response["Content-Type"] == XLSX_MEDIA_TYPE
        assert response["Content-Disposition"].endswith('annex.xlsx"')
        rows = xlsx_rows(response)
        assert rows[0] == HEADINGS
        assert [(row[0], row[4]) for row in rows[1:]] == [
            (1, "广州智算中心算力券"),
            (2, "全国企业信用数据"),
        ]


def test_the_annex_shows_what_was_listed_not_what_the_resource_became(api_client, batch):
    entry = batch.entries.get(sequence=1)
    registry_services.resource_update(
        actor=None, resource_id=entry.resource_id, data={"name": "后来改的名字"}, if_match=None
    )
    rows = csv_rows(api_client.get(annex_url(batch)))
    assert rows[1][4] == "广州智算中心算力券"


def test_the_annex_takes_the_entries_filters_withdrawn_ones_with_their_reason(api_client, batch):
    rows = csv_rows(api_client.get(annex_url(batch), {"status": "withdrawn"}))
    assert len(rows) == 2
    withdrawn = dict(zip(HEADINGS, rows[1], strict=True))
    assert (withdrawn["资源名称"], withdrawn["状态"]) == ("已撤回的资源", "已撤回")
    assert withdrawn["撤回原因"] == "平台停止开放"
    assert withdrawn["适用地区"] == "北京市"
    only_data = csv_rows(api_client.get(annex_url(batch), {"type": "data"}))
    assert [row[4] for row in only_data[1:]] == ["全国企业信用数据"]


def test_a_batch_not_yet_published_has_no_annex(api_client, curator_client, curator):
    batch = open_batch(curator)
    response = curator_client.get(annex_url(batch))
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"].endswith("/batch-not-published")


def test_the_annex_refuses_an_unknown_format_a_json_accept_and_an_unknown_parameter(
    api_client, batch
):
    pdf = api_client.get(annex_url(batch), {"format": "pdf"}, HTTP_ACCEPT_LANGUAGE="en")
    assert pdf.status_code == 406
    assert "give one of: csv, xlsx" in pdf.json()["detail"]
    json_only = api_client.get(annex_url(batch), HTTP_ACCEPT="application/json")
    assert json_only.status_code == 406
    assert json_only["Content-Type"] == "application/problem+json"
    unknown = api_client.get(annex_url(batch), {"colour": "red"})
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["attr"] == "colour"


def test_the_annex_costs_the_same_queries_for_two_entries_or_twelve(api_client, curator):
    def queries_for(count: int) -> int:
        platform = PlatformFactory()
        resources = [active_resource(platform) for _ in range(count)]
        batch = published_batch(curator, resources)
        with CaptureQueriesContext(connection) as captured:
            response = api_client.get(annex_url(batch))
            assert len(csv_rows(response)) == count + 1
        return len(captured.captured_queries)

    assert queries_for(2) == queries_for(12)


def test_the_demos_batch_3_once_a_curator_publishes_it_downloads_as_its_listed_entries(
    curator_client,
):
    call_command(
        "seed_demo", today=date(2026, 12, 2), resources=60, no_progress=True, stdout=io.StringIO()
    )
    batch = Batch.objects.get(number=3)
    assert batch.status == "open"  # in its submission window on the demo's today
    assert curator_client.post("/api/v1/batches/3/close/").status_code == 200
    submitted = batch.entries.filter(status="submitted").order_by("pk")
    assert submitted.count() > 1
    for entry in submitted:
        assert curator_client.post(f"/api/v1/entries/{entry.pk}/approve/").status_code == 200
    assert curator_client.post("/api/v1/batches/3/publish/").status_code == 200
    assert batch.entries.filter(status="rejected").exists()  # never listed: not in the annex

    response = curator_client.get("/api/v1/batches/3/annex/", {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_MEDIA_TYPE
    rows = xlsx_rows(response)
    listed = batch.entries.filter(status="listed").order_by("sequence")
    assert rows[0] == HEADINGS
    assert [row[:2] for row in rows[1:]] == [
        [entry.sequence, f"batch-3/{entry.sequence}"] for entry in listed
    ]
    assert [row[4] for row in rows[1:]] == [entry.snapshot["name"] for entry in listed]
