"""Middleware that keeps every answer under /api/ a problem+json, even in DEBUG."""

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from config.api.errors import problem_response

logger = logging.getLogger("registry.api")


class ApiProblemMiddleware:
    """Turns an exception escaping any view or middleware under /api/ into a bare 500 problem.

    DRF's exception handler answers the exceptions of API views; this catches the rest (a failing
    middleware, a non-DRF view), so Django's technical 500 page never reaches an API client.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith("/api/"):
            return None
        logger.exception(
            "Unhandled error answering %s", request.get_full_path(), exc_info=exception
        )
        return problem_response(request, 500, _("The server failed to answer this request."))
