"""The API's JSON parser: DRF's, refusing what no field of the registry can hold.

Every request body passes through here before any serializer sees it, so this is the one place
that refuses, with a 400 naming where it was found:

- a NUL character or a lone surrogate (``"\\ud800"``) in any string, object keys included:
  PostgreSQL's text and jsonb refuse NUL, a lone surrogate cannot be written as UTF-8 (so not
  even the error message naming it could be rendered), and no registry text needs either;
- a document nested deeper than ``MAX_DEPTH`` (no body of the API goes past a handful of levels;
  a very deep one would otherwise exhaust the decoder's stack);

and answers a body longer than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` with a 413, reading no more of it
than that. (DRF reads the request stream itself, so Django's own check never sees the body.)
"""

import io
import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ErrorDetail, ParseError, ValidationError

MAX_DEPTH = 32
BAD_CHARACTERS = re.compile("[\x00\ud800-\udfff]")


class RequestEntityTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


def too_large() -> RequestEntityTooLarge:
    return RequestEntityTooLarge(
        _("The request body is larger than %(limit)d bytes.")
        % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
    )


def printable(text: str) -> str:
    """``text`` with NUL and lone surrogates written as escapes, so that it can be shown."""
    return text.replace("\x00", "\\u0000").encode("utf-8", "backslashreplace").decode("utf-8")


def has_bad_characters(text: str) -> bool:
    return BAD_CHARACTERS.search(text) is not None


def _join(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def bad_strings(data: Any, max_depth: int = MAX_DEPTH) -> dict[str, list[ErrorDetail]]:
    """Errors by dotted path for each string of ``data`` holding a NUL or a lone surrogate.

    Raises a ``ParseError`` when ``data`` nests deeper than ``max_depth``. Walks without
    recursion, so that it is safe whatever the depth.
    """
    errors: dict[str, list[ErrorDetail]] = {}
    message = _("NUL characters and unpaired surrogates are not allowed.")
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, str):
            if has_bad_characters(value):
                errors.setdefault(path or "non_field_errors", []).append(
                    ErrorDetail(message, code="invalid_character")
                )
            continue
        if not isinstance(value, dict | list):
            continue
        if depth >= max_depth:
            raise ParseError(
                _("JSON parse error - nested more than %(depth)d levels deep.")
                % {"depth": max_depth}
            )
        if isinstance(value, dict):
            for key, item in value.items():
                name = printable(key)
                if has_bad_characters(key):
                    errors.setdefault(_join(path, name), []).append(
                        ErrorDetail(message, code="invalid_character")
                    )
                stack.append((item, _join(path, name), depth + 1))
        else:
            stack.extend((item, _join(path, index), depth + 1) for index, item in enumerate(value))
    return errors


class JSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None:
            raw = stream.read(limit + 1)
            if len(raw) > limit:
                raise too_large()
            stream = io.BytesIO(raw)
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON parse error - nested too deeply.")) from None
        errors = bad_strings(data)
        if errors:
            raise ValidationError(dict(sorted(errors.items())))
        return data
