"""The API root and the problem-type pages."""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from config.api.permissions import Rule
from config.api.problems import PROBLEM_TYPES
from config.api.views import RegistryAPIView

# Every collection and entry point of the API, linked from the root: (key, URL name). A test walks
# the URLs and fails when one without a parameter is missing here.
ROOT_LINKS = [
    ("platforms", "api:platform-list"),
    ("resources", "api:resource-list"),
    ("suggestions", "api:resource-suggest"),
    ("resource_types", "api:resource-type-list"),
    ("regions", "api:region-list"),
    ("industries", "api:industry-list"),
    ("batches", "api:batch-list"),
    ("events", "api:event-list"),
    ("subscriptions", "api:subscription-list"),
    ("pilots", "api:pilot-list"),
    ("scenarios", "api:scenario-list"),
    ("service_platforms", "api:service-platform-list"),
    ("stats", "api:stats"),
    ("resource_export", "api:resource-export"),
    ("dcat_export", "api:dcat-export"),
    ("register", "api:register"),
    ("auth_tokens", "api:token-list"),
]


class ApiRootView(RegistryAPIView):
    permission_policy = {"get": Rule.PUBLIC}

    @extend_schema(
        summary="API root",
        description="Links to every collection and entry point of the API — the change feed "
        "(`events`), search suggestions, subscriptions, registration and tokens among them — "
        "and to its documentation.",
        responses={
            200: inline_serializer(
                "ApiRoot",
                {
                    key: serializers.URLField()
                    for key in [k for k, _ in ROOT_LINKS] + ["schema", "docs", "redoc"]
                },
            )
        },
        tags=["meta"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        links = {key: reverse(name, request=request) for key, name in ROOT_LINKS}
        links["schema"] = reverse("schema", request=request)
        links["docs"] = reverse("swagger-ui", request=request)
        links["redoc"] = reverse("redoc", request=request)
        return Response(links)


class ProblemTypeView(RegistryAPIView):
    """Describes one kind of problem; the ``type`` of every problem response points here."""

    permission_policy = {"get": Rule.PUBLIC}
    schema = None  # documentation of the errors themselves, not part of the API

    def get(self, request: Request, slug: str) -> Response:
        problem = PROBLEM_TYPES.get(slug)
        if problem is None:
            raise Http404
        return Response(
            {
                "type": problem.uri,
                "title": str(problem.title),
                "description": str(problem.description),
            }
        )
