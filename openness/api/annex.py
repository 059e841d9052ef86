"""``GET /api/v1/batches/{number}/annex/``: a published batch as the annex of its notice, CSV or
XLSX (``openness.exports``), chosen by ``Accept`` or ``format=``, filtered as its entries are."""

from typing import Any

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from django_filters.utils import translate_validation
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request

from config.api.downloads import download_responses, format_parameter
from config.api.renderers import CSVRenderer, DownloadRenderer, XLSXRenderer
from core.errors import DomainError
from openness.choices import BatchStatus, EntryStatus
from openness.exports import chunks_of, csv_chunks, file_name, xlsx_file
from openness.filtersets import EntryFilterSet
from openness.models import Batch, Entry

# The entries' filters, as the schema shows them (the batch's entries and its annex take them).
ENTRY_FILTER_PARAMETERS = [
    OpenApiParameter(name, str, many=name != "q", required=False)
    for name in ("q", "type", "platform", "region", "industry", "access_model", "status")
]


RENDERERS: list[type[DownloadRenderer]] = [CSVRenderer, XLSXRenderer]


ANNEXED = (EntryStatus.LISTED, EntryStatus.WITHDRAWN)


class BatchAnnexMixin:
    """The ``annex`` action of the batches' viewset."""

    @extend_schema(
        summary="Download a batch's annex (CSV or XLSX)",
        description="The entries of a published batch as the annex of its notice: one row per "
        "entry in the list's order, with Chinese headings in the notice's order (序号, 清单编号, "
        "平台名称, 统一社会信用代码, 资源名称, 资源类型, 开放方式, 适用地区, 适用行业, …) and the "
        "values as listed. CSV (UTF-8 with a byte-order mark) or XLSX, by `Accept` (`text/csv`, "
        "or the XLSX media type) or `format=csv|xlsx`; CSV when neither says. Filtered as the "
        "batch's entries are, among those it listed (a rejected submission is never in it): "
        "without `status`, withdrawn entries are left out. Streamed: any "
        "size of batch downloads in constant memory. A batch not yet published has no annex "
        "(409 `batch-not-published`).",
        parameters=[
            *ENTRY_FILTER_PARAMETERS,
            format_parameter(RENDERERS),
        ],
        responses=download_responses(RENDERERS, "The annex, as CSV or as XLSX."),
    )
    @action(
        detail=True,
        methods=["get"],
        filterset_class=None,
        pagination_class=None,
        renderer_classes=RENDERERS,
    )
    def annex(self: Any, request: Request, number: str) -> StreamingHttpResponse:
        batch: Batch = self.get_object()
        if batch.status != BatchStatus.PUBLISHED:
            raise DomainError(
                _("Batch %(number)d is not published yet.") % {"number": batch.number},
                problem="batch-not-published",
            )
        # The list's entries only: a rejected submission was never on it (curators see those
        # among the batch's entries, not in its annex).
        entries = Entry.objects.visible_to(request.user).filter(batch=batch, status__in=ANNEXED)
        filterset = EntryFilterSet(data=request.query_params, queryset=entries, request=request)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        if request.accepted_renderer.format == XLSXRenderer.format:
            response = StreamingHttpResponse(
                chunks_of(xlsx_file(batch, filterset.qs)), content_type=XLSXRenderer.media_type
            )
            extension = "xlsx"
        else:
            response = StreamingHttpResponse(
                csv_chunks(filterset.qs), content_type="text/csv; charset=utf-8"
            )
            extension = "csv"
        response["Content-Disposition"] = f'attachment; filename="{file_name(batch, extension)}"'
        return response
