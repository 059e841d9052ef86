"""The resource list's pages: keyset pages of the database's rows, or pages of the index's ranking
for a search, with the search's facets and highlights beside the results.

The list walks DRF's seams in one direction: the configured filter backend validates the query and
leaves its filter set on the view (``config.api.filtersets.StrictFilterBackend``); this paginator
pages the filtered resources as rows (``resource_rows``), or, with ``q``, asks the filter set's
search for a page of ids and reads their rows; ``ResourceSerializer``'s list serializer represents
the rows; and ``get_paginated_response`` adds ``matched``, ``facets`` and ``highlights``.
"""

import base64
import binascii
import json
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from config.api.pagination import KeysetPagination
from config.api.schema import shared_component
from registry import search
from registry.api.resource_rows import resource_rows
from registry.search import suggest as search_suggest

FACET_BUCKET = shared_component(
    "FacetBucket",
    {
        "type": "object",
        "required": ["value", "name", "name_en", "count"],
        "properties": {
            "value": {
                "type": "string",
                "description": "The filter value that selects this bucket.",
            },
            "name": {"type": "string"},
            "name_en": {"type": "string"},
            "count": {"type": "integer", "description": "Resources the value would select."},
        },
    },
)


class ResourcePagination(KeysetPagination):
    """Keyset pages of the database's rows, and, for a search (``q``), pages of the index's
    ranking: a search page's cursor is its position in the ranking, as the index held it."""

    searching = False

    def paginate_queryset(  # type: ignore[override]
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any]:
        """The page's rows. On the list, ``queryset`` is what the view's filter set admits; with
        ``q`` the index ranks and pages, and the page's rows are read by id."""
        self.filterset = getattr(view, "filterset", None) if view is not None else None
        self.searching = False
        self.page_rows: list[Any] = []
        if self.filterset is None or getattr(view, "action", None) != "list":
            self.filterset = None
            return super().paginate_queryset(queryset, request, view)
        data = self.filterset.form.cleaned_data
        self.q = (data.get("q") or "").strip()
        if not self.q:
            self.page_rows = super().paginate_queryset(resource_rows(queryset), request, view)
            return self.page_rows
        self.found = self.filterset.search()
        ids = self.paginate_search(self.found, self.filterset.clean_ordering(), request)
        rows = {str(row["id"]): row for row in resource_rows(queryset.filter(pk__in=ids))}
        self.page_rows = [rows[pk] for pk in ids if pk in rows]
        return self.page_rows

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        if self.filterset is None:
            return response
        cleaned = self.filterset.form.cleaned_data
        if self.searching:
            response.data["matched"] = str(self.found.mode)
        if cleaned.get("facets"):
            response.data["facets"] = self.filterset.facet_counts()
        if cleaned.get("highlight") and self.q:
            response.data["highlights"] = search_suggest.highlights(self.page_rows, self.q)
        return response

    def paginate_search(self, found: search.Search, ordering: str, request: Request) -> list[str]:
        """The ids of this page of ``found`` in ``ordering``."""
        self.request = request
        self.searching = True
        size = self.get_page_size(request)
        self.search_signature = f"search:{ordering}"
        offset = self._search_offset(request)
        page = found.page(ordering=ordering, offset=offset, limit=size)
        self.offset, self.size = offset, size
        self.has_next, self.has_previous = page.has_more, offset > 0
        return [hit.id for hit in page.hits]

    def _search_offset(self, request: Request) -> int:
        token = request.query_params.get(self.cursor_query_param)
        if not token:
            return 0
        try:
            padded = token + "=" * (-len(token) % 4)
            payload = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            offset, signature = payload["n"], payload["o"]
        except (ValueError, KeyError, TypeError, binascii.Error, UnicodeEncodeError):
            offset, signature = None, None
        if signature != self.search_signature or not isinstance(offset, int) or offset < 0:
            raise ValidationError({self.cursor_query_param: [_("Invalid or expired cursor.")]})
        return min(offset, search.engine.MAX_WINDOW)

    def _search_link(self, offset: int) -> str:
        url = self.request.build_absolute_uri()
        if offset <= 0:
            return remove_query_param(url, self.cursor_query_param)
        payload = {"n": offset, "o": self.search_signature}
        raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        token = base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")
        return replace_query_param(url, self.cursor_query_param, token)

    def get_next_link(self) -> str | None:
        if not self.searching:
            return super().get_next_link()
        return self._search_link(self.offset + self.size) if self.has_next else None

    def get_previous_link(self) -> str | None:
        if not self.searching:
            return super().get_previous_link()
        return self._search_link(max(0, self.offset - self.size)) if self.has_previous else None

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        response = super().get_paginated_response_schema(schema)
        response["properties"]["highlights"] = {
            "type": "object",
            "description": "Present when `highlight=true` and `q` are given: per resource id on "
            "this page, its `name`, `name_en` and a `snippet`, HTML-escaped, with the matched "
            "terms in `<mark>`.",
            "additionalProperties": {
                "type": "object",
                "properties": {k: {"type": "string"} for k in ("name", "name_en", "snippet")},
            },
        }
        response["properties"]["matched"] = {
            "type": "string",
            "enum": ["all", "some"],
            "description": "Present with `q`: `all` when the results match every term of `q`; "
            "`some` when no resource does, and the results are those matching the most terms.",
        }
        response["properties"]["facets"] = {
            "type": "object",
            "description": "Present when `facets` is given: per facet, the count for each value, "
            "honouring every other filter.",
            # One property per facet (only those asked for are present): exact keys for a client.
            "properties": {
                name: {"type": "array", "items": FACET_BUCKET} for name in search.FACETS
            },
            "additionalProperties": False,
        }
        return response
