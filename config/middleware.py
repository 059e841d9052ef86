"""Middleware that keeps every answer under /api/ a problem+json, even in DEBUG."""

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from config.api.errors import problem_response
from config.api.parsers import has_bad_characters, printable

logger = logging.getLogger("registry.api")


def _refusal(request: HttpRequest) -> HttpResponse | None:
    """The answer to a request no view can be trusted with, or None.

    - A body sent ``Transfer-Encoding: chunked`` with no ``Content-Length``: WSGI gives Django no
      length, so Django reads nothing and a write would succeed having changed nothing. 411.
    - A NUL character in the path (the dev server and gunicorn pass ``%00`` through decoded): no
      object's key holds one, and PostgreSQL would refuse the lookup. 404.
    - A NUL character in a query parameter: a 400 naming it. (Lone surrogates cannot arrive by
      either way: Django decodes both with replacement.)
    """
    meta = request.META
    encoding = meta.get("HTTP_TRANSFER_ENCODING", "").strip().lower()
    if encoding and encoding != "identity" and not meta.get("CONTENT_LENGTH"):
        detail = _("Send the request body with a Content-Length; chunked bodies are not read.")
        if not request.path.startswith("/api/"):
            return HttpResponse(detail, status=411, content_type="text/plain; charset=utf-8")
        return problem_response(request, 411, detail)
    if not request.path.startswith("/api/"):
        return None
    if has_bad_characters(request.path):
        return problem_response(request, 404, _("Nothing exists at this address."))
    bad = sorted(
        {
            printable(name)
            for name, values in request.GET.lists()
            if has_bad_characters(name) or any(has_bad_characters(value) for value in values)
        }
    )
    if bad:
        message = _("NUL characters and unpaired surrogates are not allowed.")
        return problem_response(
            request,
            400,
            _("Invalid %(names)s.") % {"names": ", ".join(bad)},
            errors=[{"attr": name, "code": "invalid_character", "detail": message} for name in bad],
        )
    return None


class ApiProblemMiddleware:
    """Turns an exception escaping any view or middleware under /api/ into a bare 500 problem.

    DRF's exception handler answers the exceptions of API views; this catches the rest (a failing
    middleware, a non-DRF view), so Django's technical 500 page never reaches an API client. It
    also refuses, before any view, the requests described in ``_refusal``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return _refusal(request) or self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith("/api/"):
            return None
        logger.exception(
            "Unhandled error answering %s", request.get_full_path(), exc_info=exception
        )
        return problem_response(request, 500, _("The server failed to answer this request."))
