"""The vocabularies: resource types (with their attributes' schemas), regions and industries."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.permissions import Rule
from config.api.views import RegistryReadOnlyViewSet, StrictQueryParamsMixin
from registry.api.serializers import IndustrySerializer, RegionSerializer, ResourceTypeSerializer
from registry.attributes import TYPE_SPECS
from registry.models import Industry, Region


class ResourceTypeViewSet(StrictQueryParamsMixin, viewsets.ViewSet):
    permission_policy = {"list": Rule.PUBLIC, "retrieve": Rule.PUBLIC}
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


# A code list: every entry in one unpaged list, and each by its code. (A comment, not a
# docstring: drf-spectacular would show a docstring as the operations' description.)
class VocabularyViewSet(RegistryReadOnlyViewSet):
    pagination_class = None
    schema_tags = ["meta"]


@extend_schema_view(
    list=extend_schema(
        summary="List regions",
        description="The 34 province-level divisions of GB/T 2260, as used by `region` filters.",
    ),
    retrieve=extend_schema(summary="Get a region"),
)
class RegionViewSet(VocabularyViewSet):
    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    lookup_value_regex = "[0-9]{6}"


@extend_schema_view(
    list=extend_schema(
        summary="List industries",
        description="The 20 sections A–T of GB/T 4754-2017, as used by `industry` filters.",
    ),
    retrieve=extend_schema(summary="Get an industry"),
)
class IndustryViewSet(VocabularyViewSet):
    queryset = Industry.objects.all()
    serializer_class = IndustrySerializer
    lookup_value_regex = "[A-T]"
