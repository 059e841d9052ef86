"""The pilots' API: pilot projects, application scenarios and service platforms.

Reads are public; writes are the curators'. Each object is versioned: its detail carries
``ETag: "<version>.<digest>"`` (the digest changes when what it shows of related objects does),
``PATCH`` needs ``If-Match`` (missing → 428, stale → 412), and the workflow actions accept it.
Every change goes through ``pilots.services``.
"""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db.models import Count, Model, Prefetch
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from config.api.conditional import if_match_versions, version_etag
from config.api.permissions import Rule
from config.api.views import FilteredListMixin, RegistryViewSet
from core.audit import history_of
from pilots import services
from pilots.api.serializers import PilotSerializer, ScenarioSerializer, ServicePlatformSerializer
from pilots.api.write_serializers import (
    MarkImplementableSerializer,
    PilotWriteSerializer,
    ScenarioWriteSerializer,
    SelectSerializer,
    ServicePlatformWriteSerializer,
)
from pilots.filtersets import PilotProjectFilterSet, ScenarioFilterSet, ServicePlatformFilterSet
from pilots.models import PilotProject, Scenario, ServicePlatform
from registry.api.serializers import ChangeRecordSerializer
from registry.api.views import IF_MATCH, IF_MATCH_OPTIONAL
from registry.api.write_serializers import ReasonSerializer
from registry.models import Resource

TAGS = ["pilots"]
CODE_REGEX = "[A-Z0-9][A-Z0-9-]{1,39}"
WRITE_ERRORS = [403, 412, 428]
ACTION_ERRORS = [403, 409, 412]

PILOT_EXAMPLE = {
    "code": "PILOT-2026-001",
    "name": "中小企业算力券普惠试点",
    "name_en": "Compute vouchers for SMEs",
    "summary": "依托开放算力资源，为园区中小企业提供训练与推理算力。",
    "lead": {"platform": "example-cloud"},
    "participants": [{"name": "深圳示例智能科技有限公司", "credit_code": "91440300MA5FXXXX0X"}],
    "resources": ["5c4e0a4e-0000-4000-8000-000000000001"],
    "scenario": "SCN-MFG-QC",
    "service_platform": "sme-compute-hub",
    "region": "440000",
    "industry": "C",
    "milestones": [{"title": "首批企业接入", "date": "2026-09-30", "done": False}],
    "evidence_links": ["https://example.cn/pilots/001"],
}
SME_LEAD_EXAMPLE = {
    "code": "PILOT-2026-002",
    "name": "工业质检大模型应用试点",
    "lead": {"name": "苏州示例视觉科技有限公司", "credit_code": "91320500MA1XXXXXX0"},
    "region": "320000",
    "industry": "C",
}


def digest_etag(obj: Any, data: Any) -> str:
    """``"<version>.<digest>"``: If-Match compares the version; the digest of the representation
    makes If-None-Match see changes that do not bump the version (a renamed scenario, a pilot
    linked to a service platform)."""
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    return version_etag(obj.version, hashlib.sha256(raw).hexdigest()[:12])


class VersionedViewSet(FilteredListMixin, RegistryViewSet):
    """Public reads, curators' writes, a version in every ETag and If-Match on every PATCH."""

    write_serializer_class: type[BaseSerializer[Any]]
    permission_policy = {
        "list": Rule.PUBLIC,
        "retrieve": Rule.PUBLIC,
        "history": Rule.PUBLIC,
        "create": Rule.CURATOR,
        "partial_update": Rule.CURATOR,
    }
    error_statuses = {"create": [403], "partial_update": WRITE_ERRORS}

    def create_object(self, data: dict[str, Any]) -> Model:
        raise NotImplementedError

    def update_object(
        self, obj: Any, data: dict[str, Any], if_match: frozenset[int] | None
    ) -> Model:
        raise NotImplementedError

    def _respond(self, obj: Model, status: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=obj.pk)
        data = self.get_serializer(fresh).data
        headers = {"ETag": digest_etag(fresh, data)}
        if status == 201:
            headers["Location"] = fresh.get_absolute_url()
        return Response(data, status=status, headers=headers)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        data = self.get_serializer(obj).data
        return Response(data, headers={"ETag": digest_etag(obj, data)})

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = self.write_serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(self.create_object(dict(body.validated_data)), status=201)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        if_match = if_match_versions(request)
        body = self.write_serializer_class(obj, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        return self._respond(self.update_object(obj, dict(body.validated_data), if_match))

    def _history(self) -> Response:
        page = self.paginate_queryset(history_of(self.get_object()))
        return self.get_paginated_response(ChangeRecordSerializer(page, many=True).data)

    def _transition(self, service: Callable[..., Model], **arguments: Any) -> Response:
        """Runs a workflow action (``arguments`` name the object for the service) and answers
        the refreshed object."""
        if_match = if_match_versions(self.request, required=False)
        return self._respond(service(actor=self.request.user, if_match=if_match, **arguments))


# Pilot projects ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List pilot projects",
        description="Pilot projects for open platform resource scenarios, ordered by code. "
        "Multi-valued filters take repeated or comma-separated values and match any of them; "
        "different filters must all match. An unknown parameter is a 400.",
        tags=TAGS,
    ),
    retrieve=extend_schema(
        summary="Get a pilot project",
        description="One pilot by code: its lead, participants, the listed resources it uses, its "
        "scenario, service platform, status, milestones and evidence. The ETag's version part "
        "goes back in If-Match to change it.",
        tags=TAGS,
    ),
    create=extend_schema(
        summary="Propose a pilot project",
        description="Curators record a pilot, as `proposed`. Its lead is a platform "
        '(`{"platform": slug}`) or an SME (`{"name", "credit_code"}`); its `resources` must be '
        "listed in a published batch (400 naming the others).",
        request=PilotWriteSerializer,
        responses={201: PilotSerializer},
        examples=[
            OpenApiExample("Led by a platform", value=PILOT_EXAMPLE, request_only=True),
            OpenApiExample("Led by an SME", value=SME_LEAD_EXAMPLE, request_only=True),
        ],
        tags=TAGS,
    ),
    partial_update=extend_schema(
        summary="Update a pilot project",
        description="Curators change some fields (not `code`). Needs If-Match: missing → 428, "
        "stale → 412. Resources added must be listed in a published batch. A terminated pilot "
        "is final (409). Every change bumps `version`.",
        request=PilotWriteSerializer,
        responses={200: PilotSerializer},
        parameters=[IF_MATCH],
        examples=[
            OpenApiExample(
                "Record outcomes",
                value={
                    "outcomes": "接入企业 120 家，平均训练成本下降 35%。",
                    "milestones": [{"title": "首批企业接入", "date": "2026-09-30", "done": True}],
                },
                request_only=True,
            )
        ],
        tags=TAGS,
    ),
)
class PilotProjectViewSet(VersionedViewSet):
    queryset = (
        PilotProject.objects.select_related("lead_platform", "scenario", "service_platform")
        .prefetch_related(Prefetch("resources", queryset=Resource.objects.order_by("name", "id")))
        .order_by("code")
    )
    serializer_class = PilotSerializer
    write_serializer_class = PilotWriteSerializer
    filterset_class = PilotProjectFilterSet
    lookup_field = "code"
    lookup_value_regex = CODE_REGEX
    permission_policy = {
        **VersionedViewSet.permission_policy,
        "select": Rule.CURATOR,
        "start": Rule.CURATOR,
        "complete": Rule.CURATOR,
        "terminate": Rule.CURATOR,
    }
    error_statuses = {
        "create": [403],
        "partial_update": [*WRITE_ERRORS, 409],
        **dict.fromkeys(("select", "start", "complete", "terminate"), ACTION_ERRORS),
    }

    def create_object(self, data: dict[str, Any]) -> Model:
        return services.pilot_create(actor=self.request.user, data=data)

    def update_object(
        self, obj: Any, data: dict[str, Any], if_match: frozenset[int] | None
    ) -> Model:
        return services.pilot_update(
            actor=self.request.user, pilot_id=obj.pk, data=data, if_match=if_match
        )

    @extend_schema(
        summary="A pilot project's history",
        description="Every change to the pilot: who, when, which fields before and after, and "
        "the reason of a termination.",
        responses={200: ChangeRecordSerializer(many=True)},
        tags=TAGS,
    )
    @action(detail=True, methods=["get"], filterset_class=None, paginated=True)
    def history(self, request: Request, code: str) -> Response:
        return self._history()

    @extend_schema(
        summary="Select a pilot project",
        description="proposed → selected, in `year` (default: the current year). A selection is "
        "recorded when it has happened: a year after the current one is a 400 naming `year`. "
        "Selected pilots count toward the plan's target.",
        request=SelectSerializer,
        responses={200: PilotSerializer},
        parameters=[IF_MATCH_OPTIONAL],
        examples=[OpenApiExample("Selected in 2026", value={"year": 2026}, request_only=True)],
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def select(self, request: Request, code: str) -> Response:
        pilot = self.get_object()
        body = SelectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        year = body.validated_data.get("year")
        return self._transition(services.pilot_select, pilot_id=pilot.pk, year=year)

    @extend_schema(
        summary="Start a pilot project",
        description="selected → in_progress.",
        request=None,
        responses={200: PilotSerializer},
        parameters=[IF_MATCH_OPTIONAL],
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def start(self, request: Request, code: str) -> Response:
        return self._transition(services.pilot_start, pilot_id=self.get_object().pk)

    @extend_schema(
        summary="Complete a pilot project",
        description="in_progress → completed. Outcomes and evidence may still be added after.",
        request=None,
        responses={200: PilotSerializer},
        parameters=[IF_MATCH_OPTIONAL],
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, code: str) -> Response:
        return self._transition(services.pilot_complete, pilot_id=self.get_object().pk)

    @extend_schema(
        summary="Terminate a pilot project",
        description="selected or in_progress → terminated, with a reason (400 naming `reason` "
        "without one). A terminated pilot is final.",
        request=ReasonSerializer,
        responses={200: PilotSerializer},
        parameters=[IF_MATCH_OPTIONAL],
        examples=[
            OpenApiExample("Terminated", value={"reason": "牵头单位退出试点"}, request_only=True)
        ],
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def terminate(self, request: Request, code: str) -> Response:
        pilot = self.get_object()
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reason = body.validated_data["reason"]
        return self._transition(services.pilot_terminate, pilot_id=pilot.pk, reason=reason)


# Scenarios --------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List application scenarios",
        description="Intelligent service application scenarios, ordered by code, each with the "
        "number of pilots in it. An unknown parameter is a 400.",
        tags=TAGS,
    ),
    retrieve=extend_schema(
        summary="Get an application scenario",
        description="One scenario by code. The ETag's version part goes back in If-Match.",
        tags=TAGS,
    ),
    create=extend_schema(
        summary="Create an application scenario",
        description="Curators record a scenario, as a `candidate`.",
        request=ScenarioWriteSerializer,
        responses={201: ScenarioSerializer},
        examples=[
            OpenApiExample(
                "Visual quality control",
                value={
                    "code": "SCN-MFG-QC",
                    "name": "工业视觉质检",
                    "name_en": "Visual quality inspection",
                    "industry": "C",
                    "ai_capability": "vision",
                },
                request_only=True,
            )
        ],
        tags=TAGS,
    ),
    partial_update=extend_schema(
        summary="Update an application scenario",
        description="Curators change some fields (not `code`). Needs If-Match: missing → 428, "
        "stale → 412. Every change bumps `version`.",
        request=ScenarioWriteSerializer,
        responses={200: ScenarioSerializer},
        parameters=[IF_MATCH],
        tags=TAGS,
    ),
)
class ScenarioViewSet(VersionedViewSet):
    queryset = Scenario.objects.annotate(pilot_count=Count("pilots")).order_by("code")
    serializer_class = ScenarioSerializer
    write_serializer_class = ScenarioWriteSerializer
    filterset_class = ScenarioFilterSet
    lookup_field = "code"
    lookup_value_regex = CODE_REGEX
    permission_policy = {**VersionedViewSet.permission_policy, "mark_implementable": Rule.CURATOR}
    error_statuses = {
        "create": [403],
        "partial_update": WRITE_ERRORS,
        "mark_implementable": ACTION_ERRORS,
    }

    def create_object(self, data: dict[str, Any]) -> Model:
        return services.scenario_create(actor=self.request.user, data=data)

    def update_object(
        self, obj: Any, data: dict[str, Any], if_match: frozenset[int] | None
    ) -> Model:
        return services.scenario_update(
            actor=self.request.user, scenario_id=obj.pk, data=data, if_match=if_match
        )

    @extend_schema(
        summary="An application scenario's history",
        description="Every change to the scenario: who, when, which fields before and after.",
        responses={200: ChangeRecordSerializer(many=True)},
        tags=TAGS,
    )
    @action(detail=True, methods=["get"], filterset_class=None, paginated=True)
    def history(self, request: Request, code: str) -> Response:
        return self._history()

    @extend_schema(
        summary="Mark a scenario implementable",
        description="candidate → implementable, as of `implementable_at` (default: now; never in "
        "the future). Implementable scenarios count toward the plan's target.",
        request=MarkImplementableSerializer,
        responses={200: ScenarioSerializer},
        parameters=[IF_MATCH_OPTIONAL],
        tags=TAGS,
    )
    @action(detail=True, methods=["post"], url_path="mark-implementable")
    def mark_implementable(self, request: Request, code: str) -> Response:
        scenario = self.get_object()
        body = MarkImplementableSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        at = body.validated_data.get("implementable_at")
        return self._transition(
            services.scenario_mark_implementable, scenario_id=scenario.pk, at=at
        )


# Service platforms ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List service platforms",
        description="Service platforms for SMEs, ordered by slug, each with its operator and the "
        "number of pilots run on it. An unknown parameter is a 400.",
        tags=TAGS,
    ),
    retrieve=extend_schema(
        summary="Get a service platform",
        description="One service platform by slug. The ETag's version part goes back in If-Match.",
        tags=TAGS,
    ),
    create=extend_schema(
        summary="Create a service platform",
        description="Curators record a service platform run by a platform (`operator`, a slug).",
        request=ServicePlatformWriteSerializer,
        responses={201: ServicePlatformSerializer},
        examples=[
            OpenApiExample(
                "A compute hub",
                value={
                    "slug": "sme-compute-hub",
                    "name": "中小企业算力服务平台",
                    "operator": "example-cloud",
                    "services": ["算力券申领", "模型微调指导"],
                    "regions": ["440000"],
                    "launched_year": 2026,
                },
                request_only=True,
            )
        ],
        tags=TAGS,
    ),
    partial_update=extend_schema(
        summary="Update a service platform",
        description="Curators change some fields (not `slug`). Needs If-Match: missing → 428, "
        "stale → 412. Every change bumps `version`.",
        request=ServicePlatformWriteSerializer,
        responses={200: ServicePlatformSerializer},
        parameters=[IF_MATCH],
        tags=TAGS,
    ),
)
class ServicePlatformViewSet(VersionedViewSet):
    queryset = (
        ServicePlatform.objects.select_related("operator")
        .prefetch_related("regions")
        .annotate(pilot_count=Count("pilots"))
        .order_by("slug")
    )
    serializer_class = ServicePlatformSerializer
    write_serializer_class = ServicePlatformWriteSerializer
    filterset_class = ServicePlatformFilterSet
    lookup_field = "slug"

    def create_object(self, data: dict[str, Any]) -> Model:
        return services.service_platform_create(actor=self.request.user, data=data)

    def update_object(
        self, obj: Any, data: dict[str, Any], if_match: frozenset[int] | None
    ) -> Model:
        return services.service_platform_update(
            actor=self.request.user, service_platform_id=obj.pk, data=data, if_match=if_match
        )

    @extend_schema(
        summary="A service platform's history",
        description="Every change to the service platform: who, when, which fields before and "
        "after.",
        responses={200: ChangeRecordSerializer(many=True)},
        tags=TAGS,
    )
    @action(detail=True, methods=["get"], filterset_class=None, paginated=True)
    def history(self, request: Request, slug: str) -> Response:
        return self._history()
