from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.pagination import KeysetPagination
from config.api.views import FilteredListMixin, RegistryReadOnlyViewSet, StrictQueryParamsMixin
from registry.api.serializers import (
    IndustrySerializer,
    PlatformSerializer,
    RegionSerializer,
    ResourceSerializer,
    ResourceTypeSerializer,
    resource_schema,
)
from registry.attributes import TYPE_SPECS
from registry.choices import ResourceStatus
from registry.filtersets import PlatformFilterSet, ResourceFilterSet
from registry.models import Industry, Platform, Region, Resource

FACET_BUCKET_SCHEMA = {
    "type": "object",
    "required": ["value", "name", "name_en", "count"],
    "properties": {
        "value": {"type": "string", "description": "The filter value that selects this bucket."},
        "name": {"type": "string"},
        "name_en": {"type": "string"},
        "count": {"type": "integer", "description": "Resources the value would select."},
    },
}


class ResourcePagination(KeysetPagination):
    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        response = super().get_paginated_response_schema(schema)
        response["properties"]["facets"] = {
            "type": "object",
            "description": "Present when `facets` is given: per facet, the count for each value, "
            "honouring every other filter.",
            "additionalProperties": {"type": "array", "items": FACET_BUCKET_SCHEMA},
        }
        return response


@extend_schema_view(
    list=extend_schema(
        summary="List platforms",
        description="Platform enterprises that open resources to SMEs, ordered by slug.",
        tags=["platforms"],
    ),
    retrieve=extend_schema(
        summary="Get a platform",
        description="One platform, with the number of active resources it opens.",
        tags=["platforms"],
    ),
)
class PlatformViewSet(FilteredListMixin, RegistryReadOnlyViewSet):
    queryset = Platform.objects.annotate(
        resource_count=Count("resources", filter=Q(resources__status=ResourceStatus.ACTIVE))
    ).order_by("slug")
    serializer_class = PlatformSerializer
    filterset_class = PlatformFilterSet
    lookup_field = "slug"


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
        tags=["resources"],
    ),
    retrieve=extend_schema(
        summary="Get a resource",
        description=(
            "One resource by id. Withdrawn resources stay readable; drafts only to their own "
            "platform's publishers and to curators (404 to everyone else)."
        ),
        responses={200: resource_schema()},
        tags=["resources"],
    ),
)
class ResourceViewSet(FilteredListMixin, RegistryReadOnlyViewSet):
    queryset = Resource.objects.with_related()
    serializer_class = ResourceSerializer
    filterset_class = ResourceFilterSet
    pagination_class = ResourcePagination

    def get_queryset(self) -> QuerySet[Resource]:
        return self.queryset.visible_to(self.request.user)

    def list_extras(self, filterset: ResourceFilterSet) -> dict[str, Any]:
        if not filterset.form.cleaned_data.get("facets"):
            return {}
        return {"facets": filterset.facet_counts()}


class ResourceTypeViewSet(StrictQueryParamsMixin, viewsets.ViewSet):
    lookup_field = "key"
    lookup_value_regex = "[a-z_]+"

    @extend_schema(
        summary="List resource types",
        description="The six resource types with the JSON Schema of their `attributes`.",
        responses={200: ResourceTypeSerializer(many=True)},
        tags=["meta"],
    )
    def list(self, request: Request) -> Response:
        return Response(ResourceTypeSerializer(TYPE_SPECS.values(), many=True).data)

    @extend_schema(
        summary="Get a resource type",
        description="One resource type with the JSON Schema of its `attributes`.",
        responses={200: ResourceTypeSerializer},
        parameters=[OpenApiParameter("key", str, OpenApiParameter.PATH, enum=[*TYPE_SPECS])],
        tags=["meta"],
    )
    def retrieve(self, request: Request, key: str) -> Response:
        if key not in TYPE_SPECS:
            raise Http404
        return Response(ResourceTypeSerializer(TYPE_SPECS[key]).data)


@extend_schema_view(
    list=extend_schema(
        summary="List regions",
        description="The 34 province-level divisions of GB/T 2260, as used by `region` filters.",
        tags=["meta"],
    ),
    retrieve=extend_schema(summary="Get a region", tags=["meta"]),
)
class RegionViewSet(RegistryReadOnlyViewSet):
    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    pagination_class = None
    lookup_value_regex = "[0-9]{6}"


@extend_schema_view(
    list=extend_schema(
        summary="List industries",
        description="The 20 sections A–T of GB/T 4754-2017, as used by `industry` filters.",
        tags=["meta"],
    ),
    retrieve=extend_schema(summary="Get an industry", tags=["meta"]),
)
class IndustryViewSet(RegistryReadOnlyViewSet):
    queryset = Industry.objects.all()
    serializer_class = IndustrySerializer
    pagination_class = None
    lookup_value_regex = "[A-T]"
