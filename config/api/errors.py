"""One exception handler that answers every error under /api/ as RFC 9457 problem details.

DRF views reach it through ``REST_FRAMEWORK["EXCEPTION_HANDLER"]``; URLs that no view matches, and
failures outside DRF, reach it through the ``handler404``/``handler500`` of ``config.urls``.
Unexpected exceptions are logged with their traceback and answered as a bare 500: the body never
carries a traceback, whatever ``DEBUG`` says.
"""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import set_rollback

from config.api.accepted import InvalidChoice
from config.api.parsers import too_large
from config.api.problems import PROBLEM_TYPES, ProblemType, problem_type_for_status
from config.api.renderers import JSONRenderer
from core.errors import DomainError

logger = logging.getLogger("registry.api")

PROBLEM_MEDIA_TYPE = "application/problem+json"


class ProblemJSONRenderer(JSONRenderer):
    media_type = PROBLEM_MEDIA_TYPE
    format = "problem+json"


def flatten_errors(detail: Any, prefix: str = "") -> list[dict[str, Any]]:
    """DRF's nested error detail as ``[{attr, code, detail}]`` with dotted attribute paths."""
    if isinstance(detail, dict):
        items: list[dict[str, Any]] = []
        for key, value in detail.items():
            name = "" if key in ("non_field_errors", "__all__") else str(key)
            path = f"{prefix}.{name}" if prefix and name else prefix or name
            items.extend(flatten_errors(value, path))
        return items
    if isinstance(detail, list):
        if all(isinstance(item, exceptions.ErrorDetail | str) for item in detail):
            return [_error(prefix, item) for item in detail]
        items = []
        for index, value in enumerate(detail):
            items.extend(flatten_errors(value, f"{prefix}.{index}" if prefix else str(index)))
        return items
    return [_error(prefix, detail)]


def _error(attr: str, detail: Any) -> dict[str, Any]:
    code = getattr(detail, "code", None) or "invalid"
    item = {"attr": attr or None, "code": str(code), "detail": force_str(detail)}
    if isinstance(code, InvalidChoice):
        item.update(code.extra)  # the accepted values, or where they are listed
    return item


def problem_body(
    *,
    status: int,
    detail: str,
    instance: str,
    problem: ProblemType | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    problem = problem or problem_type_for_status(status)
    body: dict[str, Any] = {
        "type": problem.uri,
        "title": force_str(problem.title),
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors is not None:
        body["errors"] = errors
    return body


def _problem_for_api_exception(exc: exceptions.APIException, instance: str) -> dict[str, Any]:
    status = exc.status_code
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten_errors(exc.detail)
        named = [item["attr"] for item in errors if item["attr"]]
        detail = (
            _("Invalid %(names)s.") % {"names": ", ".join(dict.fromkeys(named))}
            if named
            else "; ".join(item["detail"] for item in errors) or _("Invalid request.")
        )
        return problem_body(
            status=status,
            detail=detail,
            instance=instance,
            problem=PROBLEM_TYPES["validation-error"],
            errors=errors,
        )
    if isinstance(exc, exceptions.ParseError):
        return problem_body(
            status=status,
            detail=force_str(exc.detail),
            instance=instance,
            problem=PROBLEM_TYPES["parse-error"],
        )
    return problem_body(status=status, detail=force_str(exc.detail), instance=instance)


def _domain_problem(exc: DomainError, request: Any, instance: str) -> Response:
    """A rule of the domain refused the change (409, or 412 for a stale If-Match)."""
    problem = PROBLEM_TYPES.get(exc.problem) or PROBLEM_TYPES["conflict"]
    body = problem_body(
        status=exc.status,
        detail=force_str(exc.message),
        instance=instance,
        problem=problem,
        errors=exc.errors,
    )
    set_rollback()
    if request is not None:
        request.accepted_renderer = ProblemJSONRenderer()
        request.accepted_media_type = PROBLEM_MEDIA_TYPE
    return Response(body, status=exc.status, content_type=PROBLEM_MEDIA_TYPE)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    request = context.get("request")
    instance = request.get_full_path() if request is not None else ""

    if isinstance(exc, DomainError):
        return _domain_problem(exc, request, instance)
    if isinstance(exc, IntegrityError):
        # Two writers raced past the serializer's checks to the same unique key: the loser's
        # write conflicts with the winner's. The database's words stay in the log.
        logger.warning("Integrity error answering %s: %s", instance, exc)
        return _domain_problem(
            DomainError(
                _("This conflicts with a change made at the same time; reload and try again.")
            ),
            request,
            instance,
        )
    if isinstance(exc, RequestDataTooBig):
        exc = too_large()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))

    headers: dict[str, str] = {}
    if isinstance(exc, exceptions.APIException):
        body = _problem_for_api_exception(exc, instance)
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
        status = exc.status_code
    else:
        logger.exception("Unhandled error answering %s", instance, exc_info=exc)
        status = 500
        body = problem_body(
            status=status, detail=_("The server failed to answer this request."), instance=instance
        )

    set_rollback()
    if request is not None:
        # Problems are JSON whatever the client asked for (the browsable API included).
        request.accepted_renderer = ProblemJSONRenderer()
        request.accepted_media_type = PROBLEM_MEDIA_TYPE
    return Response(body, status=status, headers=headers, content_type=PROBLEM_MEDIA_TYPE)


def problem_response(
    request: HttpRequest,
    status: int,
    detail: str,
    *,
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    """A problem+json response for code outside DRF (URL resolution, middleware, health checks)."""
    body = problem_body(
        status=status,
        detail=detail,
        instance=request.get_full_path(),
        problem=PROBLEM_TYPES["validation-error"] if errors else None,
        errors=errors,
    )
    return JsonResponse(
        body,
        status=status,
        content_type=PROBLEM_MEDIA_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
