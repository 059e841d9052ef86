"""Platforms: the enterprises that open resources, their profiles and their publishers."""

from collections.abc import Callable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.permissions import Rule, require_curator_for_fields
from config.api.viewsets import ServiceModelViewSet, ServiceReplaceMixin
from pilots.selectors import platform_pilots_prefetches
from registry import services
from registry.api.serializers import PlatformDetailSerializer, PlatformSerializer
from registry.api.write_serializers import (
    MemberAddSerializer,
    MemberCreatedSerializer,
    MemberSerializer,
    PlatformWriteSerializer,
)
from registry.choices import ResourceStatus
from registry.filtersets import PlatformFilterSet
from registry.models import Platform


def _profile_change(summary: str) -> Callable[[Any], Any]:
    """The schema of PUT and of PATCH on a profile: one rule, one body, one answer."""
    return extend_schema(
        summary=summary,
        description="Curators, or the platform's own publishers. `slug`, `credit_code` and "
        "`verified` are for curators only (403 for anyone else).",
        request=PlatformWriteSerializer,
        responses={200: PlatformDetailSerializer},
    )


@extend_schema_view(
    list=extend_schema(
        summary="List platforms",
        description="Platform enterprises that open resources to SMEs, ordered by slug.",
    ),
    retrieve=extend_schema(
        summary="Get a platform",
        description="One platform, with the number of active resources it opens, the service "
        "platforms it runs and the pilot projects it leads.",
    ),
    create=extend_schema(
        summary="Create a platform",
        description="Curators onboard a platform enterprise (its credit code is checked).",
        request=PlatformWriteSerializer,
        responses={201: PlatformDetailSerializer},
    ),
    update=_profile_change("Replace a platform's profile"),
    partial_update=_profile_change("Update a platform's profile"),
    history=extend_schema(
        summary="A platform's history",
        description="Every change to the platform's profile and members: who, when, before/after.",
    ),
)
class PlatformViewSet(ServiceReplaceMixin, ServiceModelViewSet):
    queryset = Platform.objects.annotate(
        resource_count=Count("resources", filter=Q(resources__status=ResourceStatus.ACTIVE))
    ).order_by("slug")
    serializer_class = PlatformSerializer
    write_serializer_class = PlatformWriteSerializer
    filterset_class = PlatformFilterSet
    lookup_field = "slug"
    schema_tags = ["platforms"]
    versioned = False  # no version: no ETag, no If-Match
    create_service = services.platform_create
    update_service = services.platform_update
    service_key = "platform_id"
    permission_policy = {
        "list": Rule.PUBLIC,
        "retrieve": Rule.PUBLIC,
        "history": Rule.PUBLIC,
        "create": Rule.CURATOR,
        "update": Rule.OWN_PLATFORM,
        "partial_update": Rule.OWN_PLATFORM,
        "members": Rule.OWN_PLATFORM,
        "add_member": Rule.CURATOR,
        "remove_member": Rule.CURATOR,
    }
    error_statuses = {"create": [403], "update": [403], "partial_update": [403]}
    DETAIL_ACTIONS = frozenset({"retrieve", "create", "update", "partial_update"})

    def get_queryset(self) -> QuerySet[Platform]:
        queryset = super().get_queryset()
        if self.action not in self.DETAIL_ACTIONS:
            return queryset
        return queryset.prefetch_related(*platform_pilots_prefetches())

    def get_serializer_class(self) -> type[PlatformSerializer]:
        return (
            PlatformDetailSerializer if self.action in self.DETAIL_ACTIONS else PlatformSerializer
        )

    def check_update(self, obj: Any) -> None:
        if isinstance(self.request.data, dict):
            require_curator_for_fields(
                self.request.user, self.request.data, PlatformWriteSerializer.CURATOR_ONLY
            )

    @extend_schema(
        summary="List a platform's publishers",
        description="The users who publish for the platform. Curators and the platform's own "
        "publishers only.",
        responses={200: MemberSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], filterset_class=None, paginated=True)
    def members(self, request: Request, slug: str) -> Response:
        platform = self.get_object()
        return self._paginated(platform.members.order_by("username"), MemberSerializer)

    @extend_schema(
        summary="Add a publisher to a platform",
        description="Curators add an existing user (by username) or create one: a new user "
        "without a `password` gets a one-time password, returned once.",
        request=MemberAddSerializer,
        responses={201: MemberCreatedSerializer},
    )
    @members.mapping.post
    def add_member(self, request: Request, slug: str) -> Response:
        platform = self.get_object()
        body = MemberAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user, one_time_password = services.member_add(
            actor=request.user,
            platform=platform,
            user=body.validated_data["user"],
            username=body.validated_data["username"],
            email=body.validated_data.get("email", ""),
            password=body.validated_data.get("password"),
        )
        data = MemberSerializer(user).data
        if one_time_password:
            data["one_time_password"] = one_time_password
        return Response(data, status=201)

    @extend_schema(
        summary="Remove a publisher from a platform",
        description="Curators only. The user keeps their account and tokens.",
        responses={204: None},
    )
    @action(detail=True, methods=["delete"], url_path=r"members/(?P<username>[^/]+)")
    def remove_member(self, request: Request, slug: str, username: str) -> Response:
        platform = self.get_object()
        user = get_object_or_404(platform.members.all(), username=username)
        services.member_remove(actor=request.user, platform=platform, user=user)
        return Response(status=204)

    def _paginated(self, queryset: QuerySet[Any], serializer_class: type) -> Response:
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(serializer_class(page, many=True).data)
