"""``GET /api/v1/exports/resources/``: the catalogue in one download, to mirror it and then follow
the change feed.

The resources the reader may see (the public: active ones; a publisher: their own drafts too),
filtered as the resource list is (without ``q``), each as the list represents it: NDJSON, one
resource per line, or CSV, a row each with the scalar fields. ``X-Feed-Cursor`` is the change
feed's cursor taken before the first row is read: ``GET /api/v1/events/?cursor=…`` then gives
every change since, so an integrator who exports once and follows the feed misses nothing (a
change made during the export may show in both, and applying it again changes nothing).

The rows are read ``CHUNK`` at a time by primary key and written as they come: memory stays flat
whatever the size of the catalogue.
"""

from collections.abc import Iterator
from typing import Any

from django.http import StreamingHttpResponse
from django_filters.utils import translate_validation
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request

from config.api.downloads import csv_stream, download_responses, format_parameter
from config.api.pagination import cursor_after
from config.api.permissions import Rule
from config.api.renderers import CSVRenderer, DownloadRenderer, JSONRenderer, NDJSONRenderer
from config.api.schema import filters_of
from config.api.views import RegistryAPIView
from core.models import Event
from registry.api.resource_rows import represent_resources, resource_rows
from registry.filtersets import ResourceFilterSet
from registry.models import Resource

CHUNK = 500
# The list's parameters an export takes: every filter, not the search or the page's shape.
NOT_EXPORTED = frozenset({"q", "facets", "ordering"})
EXPORT_FILTERS = sorted(ResourceFilterSet.parameter_names() - NOT_EXPORTED)
CSV_COLUMNS = [
    "id",
    "url",
    "name",
    "name_en",
    "platform",
    "platform_name",
    "resource_type",
    "access_model",
    "nationwide",
    "regions",
    "industries",
    "tags",
    "summary",
    "application_url",
    "status",
    "version",
    "listed_at",
    "updated_at",
]


def _csv_row(resource: dict[str, Any]) -> list[Any]:
    flat = {
        **resource,
        "platform": resource["platform"]["slug"],
        "platform_name": resource["platform"]["name"],
        "regions": ";".join(resource["regions"]),
        "industries": ";".join(resource["industries"]),
        "tags": ";".join(resource["tags"]),
        "nationwide": "true" if resource["nationwide"] else "false",
    }
    return ["" if flat.get(name) is None else flat[name] for name in CSV_COLUMNS]


RENDERERS: list[type[DownloadRenderer]] = [NDJSONRenderer, CSVRenderer]


class ResourceExportView(RegistryAPIView):
    permission_policy = {"get": Rule.PUBLIC}
    renderer_classes = RENDERERS
    schema_tags = ["resources"]

    def allowed_query_params(self) -> set[str]:
        return super().allowed_query_params() | set(EXPORT_FILTERS)

    @extend_schema(
        operation_id="resources_export",
        summary="Export the catalogue (NDJSON or CSV)",
        description="Every resource you may see, filtered as the resource list is (no `q`), in "
        "one streamed download: NDJSON (one resource per line, as the list shows it) or CSV "
        "(the scalar fields; lists joined with `;`), by `Accept` or `format=ndjson|csv`, NDJSON "
        "when neither says. `X-Feed-Cursor` is the change feed's cursor at the start of the "
        "export: follow `GET /api/v1/events/?cursor=<it>` to see every change since, with no "
        "gap.",
        parameters=[
            format_parameter(RENDERERS),
            OpenApiParameter(
                "X-Feed-Cursor",
                str,
                OpenApiParameter.HEADER,
                response=[200],
                description="The change feed's cursor when the export began: "
                "`GET /api/v1/events/?cursor=<it>` gives every change since.",
            ),
        ],
        responses=download_responses(RENDERERS, "The catalogue, as NDJSON or as CSV."),
        extensions=filters_of("resources_list", EXPORT_FILTERS),  # the list's, documented there
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        visible = Resource.objects.visible_to(request.user)
        filterset = ResourceFilterSet(data=request.query_params, queryset=visible, request=request)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        feed = Event.objects.filter(public=True).order_by("id")
        last = feed.values_list("id", flat=True).last() or 0
        resources = filterset.qs.order_by("id")
        as_csv = request.accepted_renderer.format == CSVRenderer.format
        chunks = self._csv(resources) if as_csv else self._ndjson(resources)
        content_type = "text/csv; charset=utf-8" if as_csv else NDJSONRenderer.media_type
        response = StreamingHttpResponse(chunks, content_type=content_type)
        response["X-Feed-Cursor"] = cursor_after(feed, {"id": last})
        extension = "csv" if as_csv else "ndjson"
        response["Content-Disposition"] = f'attachment; filename="resources.{extension}"'
        return response

    def _pages(self, resources: Any) -> Iterator[list[dict[str, Any]]]:
        after = None
        while True:
            page = resources if after is None else resources.filter(id__gt=after)
            rows = list(resource_rows(page)[:CHUNK])
            if rows:
                yield represent_resources(rows, self.request)
            if len(rows) < CHUNK:
                return
            after = rows[-1]["id"]

    def _ndjson(self, resources: Any) -> Iterator[bytes]:
        renderer = JSONRenderer()
        for page in self._pages(resources):
            yield b"".join(renderer.render(resource) + b"\n" for resource in page)

    def _csv(self, resources: Any) -> Iterator[bytes]:
        rows = (_csv_row(resource) for page in self._pages(resources) for resource in page)
        return csv_stream(CSV_COLUMNS, rows, batch=CHUNK)
