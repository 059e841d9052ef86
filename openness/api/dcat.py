"""``GET /api/v1/exports/dcat/``: the catalogue as DCAT-AP 3.0 (``openness.dcat``), in Turtle or
JSON-LD, for open-data harvesters; public, streamed."""

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request

from config.api.downloads import download_responses, format_parameter
from config.api.permissions import Rule
from config.api.renderers import DownloadRenderer, JSONLDRenderer, TurtleRenderer
from config.api.views import RegistryAPIView
from openness.dcat.stream import JSONLDWriter, TurtleWriter, Writer, dcat_chunks

RENDERERS: list[type[DownloadRenderer]] = [TurtleRenderer, JSONLDRenderer]
DESCRIBED = "The catalogue, as Turtle or as JSON-LD."


class DcatExportView(RegistryAPIView):
    permission_policy = {"get": Rule.PUBLIC}
    renderer_classes = RENDERERS
    schema_tags = ["openness lists"]

    @extend_schema(
        operation_id="dcat_export",
        summary="Export the catalogue as DCAT-AP 3.0 (Turtle or JSON-LD)",
        description="What the public may see, as DCAT-AP 3.0 for open-data harvesters (CKAN's "
        "ckanext-dcat, udata, data.europa.eu): the registry a `dcat:Catalog`; each published "
        "batch a `dcat:Catalog` inside it, with `dct:issued` and a `dcat:CatalogRecord` per "
        "listed entry whose `dct:identifier` is its citation (`batch-2/117`); active data "
        "resources as `dcat:Dataset`, algorithms and models served by an API as "
        "`dcat:DataService` with `dcat:endpointURL`, the rest as `dcat:Resource`; platforms as "
        "`foaf:Agent` identified by their unified social credit code; regions (GB/T 2260), "
        "industries (GB/T 4754-2017) and resource types as `skos:Concept`s whose "
        "`skos:notation` is the code. Texts in Chinese (`@zh-Hans`) and, where there is one, "
        "English (`@en`). IRIs are the objects' API URLs. Turtle or JSON-LD by `Accept` "
        "(`text/turtle`, `application/ld+json`) or `format=ttl|jsonld`; Turtle when neither "
        "says. Streamed: any size of catalogue downloads in constant memory (docs/dcat.md).",
        parameters=[format_parameter(RENDERERS)],
        responses={
            **download_responses([TurtleRenderer], DESCRIBED),
            # JSON-LD is JSON (a ``+json`` media type): its body is an object, not a string.
            (200, JSONLDRenderer.media_type): OpenApiResponse(
                OpenApiTypes.OBJECT, description=DESCRIBED
            ),
        },
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        as_jsonld = request.accepted_renderer.format == JSONLDRenderer.format
        writer: Writer = JSONLDWriter() if as_jsonld else TurtleWriter()
        # JSON-LD is UTF-8 by definition (it takes no charset); Turtle is too, said for clients.
        media_type = JSONLDRenderer.media_type if as_jsonld else "text/turtle; charset=utf-8"
        response = StreamingHttpResponse(dcat_chunks(writer), content_type=media_type)
        extension = "jsonld" if as_jsonld else "ttl"
        response["Content-Disposition"] = f'inline; filename="catalogue.{extension}"'
        return response
