"""``GET /api/v1/stats/``: progress toward the plan's targets, and what the lists hold."""

from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.permissions import Rule
from config.api.views import RegistryAPIView
from pilots.api.stats_serializers import StatsQuerySerializer, StatsSerializer
from pilots.stats import YEARS, progress_stats


def _bucket(value: str, name: str, name_en: str, count: int) -> dict[str, Any]:
    return {"value": value, "name": name, "name_en": name_en, "count": count}


def _target(name: str, name_en: str, target: int, per_year: list[int]) -> dict[str, Any]:
    count = sum(per_year)
    running = [sum(per_year[: i + 1]) for i in range(len(per_year))]
    return {
        "name": name,
        "name_en": name_en,
        "target": target,
        "count": count,
        "met": count >= target,
        "percent": count * 100 // target,
        "by_year": [
            {"year": year, "count": n, "cumulative": c}
            for year, n, c in zip(YEARS, per_year, running, strict=False)
        ],
    }


EXAMPLE = {
    "year": None,
    "years": list(YEARS),
    "targets": {
        "batches": _target("发布平台开放清单", "Platform openness lists published", 3, [2, 1, 0]),
        "pilots": _target(
            "平台资源开放场景试点项目",
            "Pilot projects for open platform resource scenarios",
            100,
            [34, 41, 33],
        ),
        "service_platforms": _target(
            "中小企业服务平台", "Service platforms for SMEs", 10, [4, 4, 3]
        ),
        "scenarios": _target(
            "可落地的智能服务应用场景",
            "Implementable intelligent service application scenarios",
            60,
            [18, 23, 21],
        ),
    },
    "listed_resources": {
        "total": 86,
        "nationwide": 29,
        "by_type": [
            _bucket("algorithm", "算法与模型", "Algorithms and models", 23),
            _bucket("data", "数据", "Data", 21),
        ],
        "by_region": [_bucket("440000", "广东省", "Guangdong", 39)],
        "by_platform": [
            _bucket("yunqi", "云启智算科技有限公司", "Yunqi Intelligent Computing", 12)
        ],
        "by_industry": [_bucket("C", "制造业", "Manufacturing", 40)],
    },
    "pilots": {
        "total": 120,
        "counted": 108,
        "by_status": [
            _bucket("proposed", "已申报", "Proposed", 12),
            _bucket("selected", "已入选", "Selected", 25),
            _bucket("in_progress", "实施中", "In progress", 45),
            _bucket("completed", "已完成", "Completed", 30),
            _bucket("terminated", "已终止", "Terminated", 8),
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
            "year 2026–2028 added and the running total; the resources listed in published "
            "batches by type, region, platform and industry; pilots by status, region and year "
            "selected. With `year`, the picture at the end of that year: what happened in it or "
            "before. Computed in a fixed number of queries and cached until something it counts "
            "changes; the `/progress/` page shows the same numbers. docs/progress.md has the "
            "counting rules."
        ),
        parameters=[
            OpenApiParameter(
                "year",
                int,
                OpenApiParameter.QUERY,
                enum=list(YEARS),
                description="The picture at the end of this year (default: now).",
            )
        ],
        responses={200: StatsSerializer},
        examples=[
            OpenApiExample(
                "Progress now",
                summary="The demo programme (lists shortened)",
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
