"""Resources: search and filter, read, write, activate and withdraw, and search-box suggestions.

A list is DRF's: the configured filter backend validates the query and filters (or, with ``q``,
leaves the matching to the index), ``ResourcePagination`` pages rows and adds facets and
highlights, and ``ResourceSerializer``'s list serializer represents the rows. A detail is the same
representation of one row.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404 as get_row_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.conditional import IF_MATCH, representation_etag
from config.api.fields import ChoiceField
from config.api.permissions import Rule, require_publisher_of
from config.api.transitions import transition
from config.api.viewsets import ServiceDestroyMixin, ServiceModelViewSet, ServiceReplaceMixin
from registry import services
from registry.api.pagination import ResourcePagination
from registry.api.resource_rows import represent_resources, resource_rows
from registry.api.serializers import ResourceSerializer, resource_schema
from registry.api.write_serializers import (
    ReasonSerializer,
    ResourceWriteSerializer,
    resource_request_schema,
)
from registry.filtersets import ResourceFilterSet
from registry.models import Resource
from registry.search import suggest as search_suggest


class SuggestionSerializer(serializers.Serializer):
    kind = ChoiceField(choices=["tag", "platform", "resource"])
    text = serializers.CharField()


class SuggestionListSerializer(serializers.Serializer):
    # (not "Suggestions": a component named like its own property breaks openapi-python-client)
    q = serializers.CharField()
    suggestions = SuggestionSerializer(many=True)


@extend_schema_view(
    list=extend_schema(
        summary="Search and filter resources",
        description=(
            "Resources platforms open to SMEs. Without `status`, only active resources are listed. "
            "Multi-valued filters take repeated or comma-separated values and match any of them; "
            "different filters must all match. `facets` adds counts per value. An unknown "
            "parameter is a 400."
        ),
        responses={200: resource_schema(many=True)},
    ),
    retrieve=extend_schema(
        summary="Get a resource",
        description=(
            "One resource by id. Withdrawn resources stay readable; drafts only to their own "
            "platform's publishers and to curators (404 to everyone else). The ETag is the "
            "resource's version: send it back in If-Match to change the resource."
        ),
        responses={200: resource_schema()},
    ),
    create=extend_schema(
        summary="Create a resource",
        description="A publisher creates a draft for one of their platforms (`platform` slug).",
        request=resource_request_schema(),
        responses={201: resource_schema()},
    ),
    update=extend_schema(
        summary="Replace a resource",
        description="The platform's publishers (or curators) replace every writable field. "
        "Needs If-Match: missing → 428, stale → 412. Every change bumps `version`.",
        request=resource_request_schema(),
        responses={200: resource_schema()},
        parameters=[IF_MATCH],
    ),
    partial_update=extend_schema(
        summary="Update a resource",
        description="The platform's publishers (or curators) change some fields. Needs If-Match: "
        "missing → 428, stale → 412. Every change bumps `version`.",
        request=ResourceWriteSerializer,
        responses={200: resource_schema()},
        parameters=[IF_MATCH],
    ),
    destroy=extend_schema(
        summary="Delete a draft",
        description="Only drafts can be deleted (409 otherwise: withdraw it instead).",
        responses={204: None},
    ),
    history=extend_schema(
        summary="A resource's history",
        description="Every version of the resource: who changed what, when, before and after. "
        "Visible to whoever can see the resource.",
    ),
)
class ResourceViewSet(ServiceReplaceMixin, ServiceDestroyMixin, ServiceModelViewSet):
    queryset = Resource.objects.select_related("platform")
    serializer_class = ResourceSerializer  # many=True represents rows (ResourceRowsSerializer)
    write_serializer_class = ResourceWriteSerializer
    detail_schema = resource_schema()
    filterset_class = ResourceFilterSet
    pagination_class = ResourcePagination
    schema_tags = ["resources"]
    update_service = services.resource_update
    destroy_service = services.resource_delete
    service_key = "resource_id"
    permission_policy = {
        "list": Rule.PUBLIC,
        "retrieve": Rule.PUBLIC,
        "history": Rule.PUBLIC,
        "create": Rule.PUBLISHER,
        "update": Rule.OWN_PLATFORM,
        "partial_update": Rule.OWN_PLATFORM,
        "destroy": Rule.OWN_PLATFORM,
        "suggest": Rule.PUBLIC,
    }
    error_statuses = {
        "list": [503],  # with q, while the search index is missing or unreadable
        "suggest": [503],
        "create": [403],
        "update": [403, 409, 412, 428],
        "partial_update": [403, 409, 412, 428],
        "destroy": [403, 409],
    }

    activate = transition(
        services.resource_activate,
        rule=Rule.OWN_PLATFORM,
        summary="Activate a draft",
        description="draft → active, once the draft is complete (409 lists what is missing).",
    )
    withdraw = transition(
        services.resource_withdraw,
        rule=Rule.OWN_PLATFORM,
        body=ReasonSerializer,
        summary="Withdraw a resource",
        description="active → withdrawn, with a reason (publisher or curator). It stays readable "
        "by id.",
    )

    def get_queryset(self) -> QuerySet[Resource]:
        return self.queryset.visible_to(self.request.user)

    def allowed_query_params(self) -> set[str]:
        allowed = super().allowed_query_params()
        return allowed | {"q"} if self.action == "suggest" else allowed

    @extend_schema(
        summary="Suggest completions",
        description="Up to ten completions of what was typed (`q`, the last word as a prefix): "
        "tags, platform names and resource names, most used first. For search boxes.",
        parameters=[
            OpenApiParameter(
                "q", str, required=True, description="What was typed so far (1–100 characters)."
            )
        ],
        responses={200: SuggestionListSerializer},
    )
    @action(detail=False, methods=["get"])
    def suggest(self, request: Request) -> Response:
        q = request.query_params.get("q", "")
        if not q.strip() or len(q) > 100 or "\x00" in q:
            raise ValidationError({"q": [_("Type 1 to 100 characters.")]})
        return Response({"q": q, "suggestions": search_suggest.suggestions(q, request.user)})

    def _row(self, pk: Any) -> dict[str, Any]:
        """The resource's row, if this user may see it (visible_to: no object rule applies)."""
        row: dict[str, Any] = get_row_or_404(resource_rows(self.get_queryset()), pk=pk)
        return row

    def refreshed(self, obj: Any) -> dict[str, Any]:
        return self._row(obj.pk)

    def representation(self, instance: dict[str, Any]) -> dict[str, Any]:
        # The list serializer's representation of one row, without building the serializer.
        return represent_resources([instance], self.request)[0]

    def etag(self, instance: Any, data: dict[str, Any]) -> str:
        # The version, and a digest of everything the answer shows: the platform's name, the
        # listings and the pilots change it without a new version of the resource.
        return representation_etag(data["version"], data)

    def retrieve(self, request: Request, *args: Any, pk: str, **kwargs: Any) -> Response:
        return self.answer(self._row(pk))

    def create_object(self, data: dict[str, Any]) -> Resource:
        platform = data.pop("platform")
        require_publisher_of(self.request.user, platform)
        return services.resource_create(actor=self.request.user, platform=platform, data=data)
