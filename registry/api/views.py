import base64
import binascii
import hashlib
import json
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters.utils import translate_validation
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404 as get_row_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from config.api.conditional import IF_MATCH, version_etag
from config.api.fields import ChoiceField
from config.api.pagination import KeysetPagination
from config.api.permissions import Rule, require_curator_for_fields, require_publisher_of
from config.api.transitions import transition
from config.api.views import RegistryReadOnlyViewSet, StrictQueryParamsMixin
from config.api.viewsets import ServiceDestroyMixin, ServiceModelViewSet, ServiceReplaceMixin
from pilots.selectors import platform_pilots_prefetches
from registry import search, services
from registry.api.resource_rows import represent_resources, resource_rows
from registry.api.serializers import (
    IndustrySerializer,
    PlatformDetailSerializer,
    PlatformSerializer,
    RegionSerializer,
    ResourceSerializer,
    ResourceTypeSerializer,
    resource_schema,
)
from registry.api.write_serializers import (
    MemberAddSerializer,
    MemberCreatedSerializer,
    MemberSerializer,
    PlatformWriteSerializer,
    ReasonSerializer,
    ResourceWriteSerializer,
    resource_request_schema,
)
from registry.attributes import TYPE_SPECS
from registry.choices import ResourceStatus
from registry.filtersets import PlatformFilterSet, ResourceFilterSet
from registry.models import Industry, Platform, Region, Resource
from registry.search import suggest as search_suggest

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


class SuggestionSerializer(serializers.Serializer):
    kind = ChoiceField(choices=["tag", "platform", "resource"])
    text = serializers.CharField()


class SuggestionsSerializer(serializers.Serializer):
    q = serializers.CharField()
    suggestions = SuggestionSerializer(many=True)


class ResourcePagination(KeysetPagination):
    """Keyset pages of the database's rows, and, for a search (``q``), pages of the index's
    ranking: a search page's cursor is its position in the ranking, as the index held it."""

    searching = False

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
            "additionalProperties": {"type": "array", "items": FACET_BUCKET_SCHEMA},
        }
        return response


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
    update=extend_schema(
        summary="Replace a platform's profile",
        description="Curators, or the platform's own publishers. `slug`, `credit_code` and "
        "`verified` are for curators only (403 for anyone else).",
        request=PlatformWriteSerializer,
        responses={200: PlatformDetailSerializer},
    ),
    partial_update=extend_schema(
        summary="Update a platform's profile",
        description="Curators, or the platform's own publishers. `slug`, `credit_code` and "
        "`verified` are for curators only (403 for anyone else).",
        request=PlatformWriteSerializer,
        responses={200: PlatformDetailSerializer},
    ),
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


def resource_etag(representation: dict[str, Any]) -> str:
    """The version, marked with the state of the listings and the pilots shown, which change
    without a new version of the resource."""
    listings = representation["listings"]
    pilots = representation["pilots"]
    if not (listings or pilots):
        return version_etag(representation["version"])
    shown = [
        [(listing["batch"], listing["sequence"], listing["status"]) for listing in listings],
        [(pilot["code"], pilot["name"], pilot["name_en"], pilot["status"]) for pilot in pilots],
    ]
    digest = hashlib.blake2b(json.dumps(shown).encode(), digest_size=6).hexdigest()
    return version_etag(representation["version"], digest)


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
    serializer_class = ResourceSerializer  # the reference and the schema; reads use resource_rows
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

    def list_extras(
        self, filterset: ResourceFilterSet, page: list[dict[str, Any]]
    ) -> dict[str, Any]:
        extras: dict[str, Any] = {}
        data = filterset.form.cleaned_data
        if data.get("facets"):
            extras["facets"] = filterset.facet_counts()
        if data.get("highlight") and (data.get("q") or "").strip():
            extras["highlights"] = search_suggest.highlights(page, data["q"])
        return extras

    def list_rows(self, queryset: QuerySet[Resource]) -> QuerySet[Any]:
        return resource_rows(queryset)

    def represent(self, page: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return represent_resources(page, self.request)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not (request.query_params.get("q") or "").strip():
            return super().list(request, *args, **kwargs)
        # A search: matched, ranked, paged and counted by the index; the page's rows from here.
        filterset = self.filterset_class(
            data=request.query_params, queryset=self.get_queryset(), request=request
        )
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        found = filterset.search()
        paginator: ResourcePagination = self.paginator  # type: ignore[assignment]
        ids = paginator.paginate_search(found, filterset.clean_ordering(), request)
        rows = {
            str(row["id"]): row for row in resource_rows(self.get_queryset().filter(pk__in=ids))
        }
        page = [rows[pk] for pk in ids if pk in rows]
        response = self.get_paginated_response(self.represent(page))
        response.data["matched"] = str(found.mode)
        response.data.update(self.list_extras(filterset, page))
        return response

    @extend_schema(
        summary="Suggest completions",
        description="Up to ten completions of what was typed (`q`, the last word as a prefix): "
        "tags, platform names and resource names, most used first. For search boxes.",
        parameters=[
            OpenApiParameter(
                "q", str, required=True, description="What was typed so far (1–100 characters)."
            )
        ],
        responses={200: SuggestionsSerializer},
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
        return represent_resources([instance], self.request)[0]

    def etag(self, instance: Any, data: dict[str, Any]) -> str:
        return resource_etag(data)

    def retrieve(self, request: Request, *args: Any, pk: str, **kwargs: Any) -> Response:
        return self.answer(self._row(pk))

    def create_object(self, data: dict[str, Any]) -> Resource:
        platform = data.pop("platform")
        require_publisher_of(self.request.user, platform)
        return services.resource_create(actor=self.request.user, platform=platform, data=data)


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
