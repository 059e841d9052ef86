"""The documentation pages, held to the registry's own origin.

Swagger UI and Redoc are served from the sidecar's static files, but Redoc's bundle still draws
its "API docs by Redocly" logo from a CDN. A Content-Security-Policy on both pages stops the
browser from fetching anything from elsewhere, so the docs work on a closed network and leak no
visit to a third party.
"""

from typing import Any

from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)
from rest_framework.request import Request
from rest_framework.response import Response

SAME_ORIGIN_ONLY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
    ]
)


class SameOriginDocsMixin:
    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        response["Content-Security-Policy"] = SAME_ORIGIN_ONLY
        return response


class SchemaView(SpectacularAPIView):
    """``/api/schema/``: one document, in English, whatever the request's language (no
    ``Accept-Language``, no ``?lang=``), so the names a client generator derives from it never
    change and it is byte for byte the committed ``docs/openapi.yaml`` (``make schema``)."""

    @extend_schema(exclude=True)  # as drf-spectacular's own view, with SERVE_INCLUDE_SCHEMA off
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with translation.override("en"):
            return self._get_schema_response(request)


class SwaggerView(SameOriginDocsMixin, SpectacularSwaggerView):
    pass


class RedocView(SameOriginDocsMixin, SpectacularRedocView):
    pass
