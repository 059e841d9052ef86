"""The pilots' API: pilot projects, application scenarios and service platforms.

Reads are public; writes are the curators'. Each object is versioned: its detail carries
``ETag: "<version>.<digest>"`` (the digest changes when what it shows of related objects does),
``PATCH`` needs ``If-Match`` (missing → 428, stale → 412), and the workflow actions accept it.
Every change goes through ``pilots.services`` (``config.api.viewsets`` does the plumbing).
"""

from django.db.models import Count, Prefetch
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view

from config.api.conditional import IF_MATCH
from config.api.permissions import Rule
from config.api.transitions import transition
from config.api.viewsets import ServiceModelViewSet
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
from registry.api.write_serializers import ReasonSerializer
from registry.models import Resource

TAGS = ["pilots"]
CODE_REGEX = "[A-Z0-9][A-Z0-9-]{1,39}"
WRITE_ERRORS = [403, 412, 428]

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


class PilotsViewSet(ServiceModelViewSet):
    """Public reads, curators' writes, a version in every ETag and If-Match on every PATCH."""

    schema_tags = TAGS
    permission_policy = {
        "list": Rule.PUBLIC,
        "retrieve": Rule.PUBLIC,
        "history": Rule.PUBLIC,
        "create": Rule.CURATOR,
        "partial_update": Rule.CURATOR,
    }
    error_statuses = {"create": [403], "partial_update": WRITE_ERRORS}


# Pilot projects ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List pilot projects",
        description="Pilot projects for open platform resource scenarios, ordered by code. "
        "Multi-valued filters take repeated or comma-separated values and match any of them; "
        "different filters must all match. An unknown parameter is a 400.",
    ),
    retrieve=extend_schema(
        summary="Get a pilot project",
        description="One pilot by code: its lead, participants, the listed resources it uses, its "
        "scenario, service platform, status, milestones and evidence. The ETag's version part "
        "goes back in If-Match to change it.",
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
    ),
    history=extend_schema(
        summary="A pilot project's history",
        description="Every change to the pilot: who, when, which fields before and after, and "
        "the reason of a termination.",
    ),
)
class PilotProjectViewSet(PilotsViewSet):
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
    create_service = services.pilot_create
    update_service = services.pilot_update
    service_key = "pilot_id"
    error_statuses = {"create": [403], "partial_update": [*WRITE_ERRORS, 409]}

    select = transition(
        services.pilot_select,
        rule=Rule.CURATOR,
        body=SelectSerializer,
        summary="Select a pilot project",
        description="proposed → selected, in `year` (default: the current year). A selection is "
        "recorded when it has happened: a year after the current one is a 400 naming `year`. "
        "Selected pilots count toward the plan's target.",
        examples=[OpenApiExample("Selected in 2026", value={"year": 2026}, request_only=True)],
    )
    start = transition(
        services.pilot_start,
        rule=Rule.CURATOR,
        summary="Start a pilot project",
        description="selected → in_progress.",
    )
    complete = transition(
        services.pilot_complete,
        rule=Rule.CURATOR,
        summary="Complete a pilot project",
        description="in_progress → completed. Outcomes and evidence may still be added after.",
    )
    terminate = transition(
        services.pilot_terminate,
        rule=Rule.CURATOR,
        body=ReasonSerializer,
        summary="Terminate a pilot project",
        description="selected or in_progress → terminated, with a reason (400 naming `reason` "
        "without one). A terminated pilot is final.",
        examples=[
            OpenApiExample("Terminated", value={"reason": "牵头单位退出试点"}, request_only=True)
        ],
    )


# Scenarios --------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List application scenarios",
        description="Intelligent service application scenarios, ordered by code, each with the "
        "number of pilots in it. An unknown parameter is a 400.",
    ),
    retrieve=extend_schema(
        summary="Get an application scenario",
        description="One scenario by code. The ETag's version part goes back in If-Match.",
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
    ),
    partial_update=extend_schema(
        summary="Update an application scenario",
        description="Curators change some fields (not `code`). Needs If-Match: missing → 428, "
        "stale → 412. Every change bumps `version`.",
        request=ScenarioWriteSerializer,
        responses={200: ScenarioSerializer},
        parameters=[IF_MATCH],
    ),
    history=extend_schema(
        summary="An application scenario's history",
        description="Every change to the scenario: who, when, which fields before and after.",
    ),
)
class ScenarioViewSet(PilotsViewSet):
    queryset = Scenario.objects.annotate(pilot_count=Count("pilots")).order_by("code")
    serializer_class = ScenarioSerializer
    write_serializer_class = ScenarioWriteSerializer
    filterset_class = ScenarioFilterSet
    lookup_field = "code"
    lookup_value_regex = CODE_REGEX
    create_service = services.scenario_create
    update_service = services.scenario_update
    service_key = "scenario_id"

    mark_implementable = transition(
        services.scenario_mark_implementable,
        rule=Rule.CURATOR,
        body=MarkImplementableSerializer,
        summary="Mark a scenario implementable",
        description="candidate → implementable, as of `implementable_at` (default: now; never in "
        "the future). Implementable scenarios count toward the plan's target.",
    )


# Service platforms ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List service platforms",
        description="Service platforms for SMEs, ordered by slug, each with its operator and the "
        "number of pilots run on it. An unknown parameter is a 400.",
    ),
    retrieve=extend_schema(
        summary="Get a service platform",
        description="One service platform by slug. The ETag's version part goes back in If-Match.",
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
    ),
    partial_update=extend_schema(
        summary="Update a service platform",
        description="Curators change some fields (not `slug`). Needs If-Match: missing → 428, "
        "stale → 412. Every change bumps `version`.",
        request=ServicePlatformWriteSerializer,
        responses={200: ServicePlatformSerializer},
        parameters=[IF_MATCH],
    ),
    history=extend_schema(
        summary="A service platform's history",
        description="Every change to the service platform: who, when, which fields before and "
        "after.",
    ),
)
class ServicePlatformViewSet(PilotsViewSet):
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
    create_service = services.service_platform_create
    update_service = services.service_platform_update
    service_key = "service_platform_id"
