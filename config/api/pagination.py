"""Keyset ("cursor") pagination for every list of the API.

A page is the rows that come after the last row of the previous page in the queryset's ordering,
compared on all ordering fields at once. Unlike offsets, a page never repeats or skips a row when
rows are inserted before it, and the database walks an index instead of counting what it skips.
No page runs a COUNT.

The ordering is the queryset's own ``order_by()``; its fields must be model fields or annotations
whose last one is unique (the filter sets append the primary key). The cursor is an opaque
URL-safe token carrying the values of the boundary row, the direction and an ordering signature,
so a cursor is refused (400) when it does not fit the request's ordering.
"""

import base64
import binascii
import json
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from config.api.parsers import has_bad_characters

Ordering = list[tuple[str, bool]]  # (field or annotation name, descending)


def _ordering_of(queryset: QuerySet[Any]) -> Ordering:
    fields = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    ordering: Ordering = []
    for field in fields:
        name = str(field)
        ordering.append((name.lstrip("-"), name.startswith("-")))
    pk_name = queryset.model._meta.pk.name
    if not ordering or ordering[-1][0] not in (pk_name, "pk"):
        ordering.append((pk_name, ordering[-1][1] if ordering else False))
    return ordering


def _to_json(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class KeysetPagination(BasePagination):
    page_size = 20
    max_page_size = 100
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Must be a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def _signature(self, ordering: Ordering) -> str:
        return ",".join(("-" if desc else "") + name for name, desc in ordering)

    def _python_value(self, queryset: QuerySet[Any], name: str, value: Any) -> Any:
        annotation = queryset.query.annotations.get(name)
        if annotation is not None:
            field = annotation.output_field
        else:
            try:
                field = queryset.model._meta.get_field("id" if name == "pk" else name)
            except FieldDoesNotExist:
                return value
        return field.to_python(value)

    def _decode_cursor(
        self, request: Request, queryset: QuerySet[Any], ordering: Ordering
    ) -> tuple[list[Any], bool] | None:
        token = request.query_params.get(self.cursor_query_param)
        if not token:
            return None
        invalid = ValidationError({self.cursor_query_param: [_("Invalid or expired cursor.")]})
        try:
            padded = token + "=" * (-len(token) % 4)
            payload = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            values, reverse, signature = payload["v"], bool(payload["r"]), payload["o"]
        except (ValueError, KeyError, TypeError, binascii.Error, UnicodeEncodeError):
            raise invalid from None
        if signature != self._signature(ordering) or not isinstance(values, list):
            raise invalid
        if len(values) != len(ordering):
            raise invalid
        # Ordering values are never NULL (the keyset comparison cannot express it), and no stored
        # text holds a NUL character (PostgreSQL refuses one outright) or a lone surrogate (no
        # database can encode one): any of these is a forgery. So is a list or an object.
        if any(
            value is None
            or isinstance(value, list | dict)
            or (isinstance(value, str) and has_bad_characters(value))
            for value in values
        ):
            raise invalid
        try:
            python_values = [
                self._python_value(queryset, name, value)
                for (name, _desc), value in zip(ordering, values, strict=True)
            ]
        except (DjangoValidationError, ValueError, TypeError):
            raise invalid from None
        for index, value in enumerate(python_values):
            if isinstance(value, datetime):
                # Cursors carry aware times; a naive or out-of-range one is a forgery that would
                # otherwise fail in the database adapter (OverflowError) with a 500.
                if value.utcoffset() is None:
                    raise invalid
                try:
                    python_values[index] = value.astimezone(UTC)
                except OverflowError:
                    raise invalid from None
        return python_values, reverse

    def _encode_cursor(self, ordering: Ordering, row: Any, reverse: bool) -> str:
        if isinstance(row, dict):  # a page of ``.values()`` rows
            values = [_to_json(row["id" if name == "pk" else name]) for name, _desc in ordering]
        else:
            values = [_to_json(getattr(row, name)) for name, _desc in ordering]
        payload = {"v": values, "r": int(reverse), "o": self._signature(ordering)}
        raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    @staticmethod
    def _after(ordering: Ordering, values: list[Any], reverse: bool) -> Q:
        """Rows strictly after ``values`` in ``ordering`` (before them when ``reverse``)."""
        condition = Q()
        equal = Q()
        for (name, descending), value in zip(ordering, values, strict=True):
            forward_lookup = "lt" if descending else "gt"
            lookup = {"lt": "gt", "gt": "lt"}[forward_lookup] if reverse else forward_lookup
            condition |= equal & Q(**{f"{name}__{lookup}": value})
            equal &= Q(**{name: value})
        return condition

    def paginate_queryset(  # type: ignore[override]
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any]:
        self.request = request
        size = self.get_page_size(request)
        ordering = _ordering_of(queryset)
        cursor = self._decode_cursor(request, queryset, ordering)
        reverse = bool(cursor and cursor[1])
        if cursor is not None:
            queryset = queryset.filter(self._after(ordering, cursor[0], reverse))
        if reverse:
            queryset = queryset.order_by(
                *[(name if desc else f"-{name}") for name, desc in ordering]
            )
        else:
            queryset = queryset.order_by(
                *[(f"-{name}" if desc else name) for name, desc in ordering]
            )
        rows = list(queryset[: size + 1])
        has_more = len(rows) > size
        rows = rows[:size]
        if reverse:
            rows.reverse()
        self.ordering = ordering
        self.rows = rows
        # Going forward, there is a previous page exactly when we came from a cursor.
        self.has_next = has_more if not reverse else True
        self.has_previous = (cursor is not None) if not reverse else has_more
        return rows

    def _link(self, row: Any, reverse: bool) -> str:
        url = self.request.build_absolute_uri()
        return replace_query_param(
            url, self.cursor_query_param, self._encode_cursor(self.ordering, row, reverse)
        )

    def get_next_link(self) -> str | None:
        if not self.has_next or not self.rows:
            return None
        return self._link(self.rows[-1], reverse=False)

    def get_previous_link(self) -> str | None:
        if not self.has_previous:
            return None
        if not self.rows:
            return remove_query_param(self.request.build_absolute_uri(), self.cursor_query_param)
        return self._link(self.rows[0], reverse=True)

    def get_paginated_response(self, data: Any) -> Response:
        next_link, previous_link = self.get_next_link(), self.get_previous_link()
        links = [
            f'<{url}>; rel="{relation}"'
            for url, relation in ((next_link, "next"), (previous_link, "prev"))
            if url
        ]
        return Response(
            OrderedDict([("next", next_link), ("previous", previous_link), ("results", data)]),
            headers={"Link": ", ".join(links)} if links else None,
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {
                    "type": ["string", "null"],
                    "format": "uri",
                    "description": "The next page, or null on the last page.",
                },
                "previous": {
                    "type": ["string", "null"],
                    "format": "uri",
                    "description": "The previous page, or null on the first page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque cursor from a `next` or `previous` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1–{self.max_page_size} (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    def query_parameter_names(self) -> set[str]:
        return {self.cursor_query_param, self.page_size_query_param}


def cursor_after(queryset: QuerySet[Any], row: dict[str, Any]) -> str:
    """The cursor a ``next`` link of ``queryset``'s list carries after ``row`` (a dict of the
    ordering's values): where a reader resumes to see only what comes after it."""
    return KeysetPagination()._encode_cursor(_ordering_of(queryset), row, reverse=False)
