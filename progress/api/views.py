"""``GET /api/v1/stats/``: progress toward the plan's targets, and what the lists hold."""

from collections import Counter
from datetime import date
from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.permissions import Rule
from config.api.views import RegistryAPIView
from progress.api.serializers import StatsQuerySerializer, StatsSerializer
from progress.stats import YEARS, progress_stats, target_progress


def _bucket(value: str, name: str, name_en: str, count: int) -> dict[str, Any]:
    return {"value": value, "name": name, "name_en": name_en, "count": count}


# The example is the picture as of 2 December 2026, each target made by the module's own function.
EXAMPLE_DAY = date(2026, 12, 2)


def _target(key: str, per_year: list[int]) -> dict[str, Any]:
    return target_progress(key, Counter(dict(zip(YEARS, per_year, strict=False))), EXAMPLE_DAY)


EXAMPLE = {
    "year": None,
    "as_of": EXAMPLE_DAY.isoformat(),
    "years": [EXAMPLE_DAY.year],
    "targets": {
        "batches": _target("batches", [2]),
        "pilots": _target("pilots", [34]),
        "service_platforms": _target("service_platforms", [4]),
        "scenarios": _target("scenarios", [18]),
    },
    "listed_resources": {
        "total": 86,
        "nationwide": 29,
        "by_type": [
            _bucket("algorithm", "算法与模型", "Algorithms and models", 23),
            _bucket("data", "数据", "Data", 21),
        ],
        "by_region": [_bucket("440000", "广东省", "Guangdong", 39)],
        "by_region_own": [_bucket("440000", "广东省", "Guangdong", 10)],
        "by_platform": [
            _bucket("yunqi", "云启智算科技有限公司", "Yunqi Intelligent Computing", 12)
        ],
        "by_industry": [_bucket("C", "制造业", "Manufacturing", 40)],
    },
    "pilots": {
        "total": 46,
        "counted": 34,
        "by_status": [
            _bucket("proposed", "已申报", "Proposed", 12),
            _bucket("selected", "已入选", "Selected", 0),
            _bucket("in_progress", "实施中", "In progress", 10),
            _bucket("completed", "已完成", "Completed", 20),
            _bucket("terminated", "已终止", "Terminated", 4),
        ],
        "by_region": [_bucket("440000", "广东省", "Guangdong", 14)],
        "by_year": [
            {
                "year": 2026,
                "total": 34,
                "by_status": [
                    _bucket("selected", "已入选", "Selected", 0),
                    _bucket("in_progress", "实施中", "In progress", 10),
                    _bucket("completed", "已完成", "Completed", 20),
                    _bucket("terminated", "已终止", "Terminated", 4),
                ],
            }
        ],
    },
}


class StatsView(RegistryAPIView):
    permission_policy = {"get": Rule.PUBLIC}
    extra_query_params = ("year",)

    @extend_schema(
        summary="Progress toward the plan's targets",
        description=(
            "Each of the Action Plan's targets for 2028 — batches published (3), pilots selected "
            "or later (100), service platforms (10), implementable scenarios (60) — with what each "
            "plan year added and the running total, and beside it the plan: its numbers, a steady "
            "pace toward them for each year, and whether the count is on track; the resources "
            "listed in published batches by type, region (available there, and a province's own "
            "apart from the nationwide ones) platform and industry; pilots by status, region and "
            "year selected. Only what has happened counts: as of today, or with `year` as of the "
            "end of that year (today while it has not ended; `as_of` says which day). Computed "
            "in a fixed number of queries and cached until something it counts changes; the "
            "`/progress/` page shows the same numbers. docs/progress.md has the counting rules."
        ),
        parameters=[
            OpenApiParameter(
                "year",
                int,
                OpenApiParameter.QUERY,
                enum=list(YEARS),
                description="The picture at the end of this year, or today while it has not "
                "ended (default: today).",
            )
        ],
        responses={200: StatsSerializer},
        examples=[
            OpenApiExample(
                "Progress now",
                summary="A programme on 2 December 2026 (lists shortened)",
                value=EXAMPLE,
                response_only=True,
            )
        ],
        tags=["pilots"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = StatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        stats = progress_stats(year=query.validated_data.get("year"))
        # Cached by clients, but checked every time: the ETag (ConditionalGetMiddleware) makes
        # an unchanged answer a 304.
        return Response(StatsSerializer(stats).data, headers={"Cache-Control": "no-cache"})
