"""Self-registration and API tokens (``/api/v1/auth/…``)."""

from typing import Any

from django.contrib.auth import authenticate
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.exceptions import AuthenticationFailed, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from config.api.permissions import PolicyPermission, Rule
from config.api.throttling import AuthRateThrottle
from config.api.views import RegistryAPIView
from config.api.viewsets import ServiceDestroyMixin, ServiceViewSet
from registry.accounts import UsernameTaken, user_register
from registry.api.auth_serializers import (
    ApiTokenSerializer,
    IssuedTokenSerializer,
    RegisteredUserSerializer,
    RegistrationSerializer,
    TokenRequestSerializer,
)
from registry.models import ApiToken
from registry.tokens import token_issue, token_revoke

# OpenAPI security [{}]: no credentials needed. (extend_schema's annotation of ``auth`` is
# narrower than the security requirement objects it passes through.)
NO_CREDENTIALS: Any = [{}]
# Answers that hold a secret (or concern one) must not be kept by any cache.
NO_STORE = {"Cache-Control": "no-store"}

EXAMPLE_TOKEN = "opr_" + "Xq3v9Lk2" + "a" * 35
EXAMPLE_TIMES = {
    "created_at": "2026-03-02T09:30:00+08:00",
    "expires_at": "2026-04-01T09:30:00+08:00",
}


class RegisterView(RegistryAPIView):
    permission_classes = [PolicyPermission]
    permission_policy = {"post": Rule.PUBLIC}

    def get_throttles(self) -> list[BaseThrottle]:
        return [*super().get_throttles(), AuthRateThrottle()]

    @extend_schema(
        summary="Register as an SME user",
        description=(
            "Creates an account for an SME or an integrator, with no role beyond reading and its "
            "own tokens and subscriptions. The password must pass the password rules (at least "
            "8 characters, not common, not all digits, not like the username or e-mail); the "
            "username must be unused, ignoring case. Then request a token with "
            "`POST /api/v1/auth/tokens/`. Rate-limited more strictly than other requests."
        ),
        request=RegistrationSerializer,
        responses={201: RegisteredUserSerializer},
        examples=[
            OpenApiExample(
                "Registration",
                value={
                    "username": "lanhai-tech",
                    "email": "dev@lanhai.example.cn",
                    "password": "correct horse battery staple",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Registered",
                value={"username": "lanhai-tech", "email": "dev@lanhai.example.cn"},
                response_only=True,
                status_codes=["201"],
            ),
        ],
        auth=NO_CREDENTIALS,
        tags=["auth"],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = RegistrationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            user = user_register(**body.validated_data)
        except UsernameTaken:
            raise ValidationError(
                {"username": [_("A user with that username already exists.")]}, code="unique"
            ) from None
        return Response(RegisteredUserSerializer(user).data, status=201, headers=NO_STORE)


@extend_schema_view(
    list=extend_schema(
        summary="List your API tokens",
        description=(
            "The signed-in user's tokens, newest first, revoked and expired ones included. "
            "Only the `prefix` of each is shown: the token itself was shown once, when issued."
        ),
    ),
    retrieve=extend_schema(
        summary="Get one of your API tokens",
        description="One of the signed-in user's tokens (404 for anyone else's).",
        examples=[
            OpenApiExample(
                "Token",
                value={
                    "id": 7,
                    "name": "ERP integration",
                    "prefix": "Xq3v9Lk2",
                    **EXAMPLE_TIMES,
                    "last_used_at": "2026-03-05T14:02:11+08:00",
                    "revoked": False,
                },
                response_only=True,
            )
        ],
    ),
    destroy=extend_schema(
        summary="Revoke an API token",
        description=(
            "Revokes one of your tokens at once: the next request that presents it is a 401. "
            "The token stays in your list, marked `revoked`. Revoking a revoked token is a 204 "
            "too; someone else's token is a 404."
        ),
        responses={204: None},
    ),
)
class ApiTokenViewSet(mixins.ListModelMixin, ServiceDestroyMixin, ServiceViewSet):
    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.all()
    schema_tags = ["auth"]
    versioned = False
    service_actor = None  # the queryset holds the user's own tokens alone
    located = False  # its create is its own (the credentials in the body): no Location
    destroy_service = token_revoke
    permission_classes = [PolicyPermission]
    permission_policy = {
        "create": Rule.PUBLIC,  # the credentials are in the body
        "list": Rule.AUTHENTICATED,
        "retrieve": Rule.AUTHENTICATED,
        "destroy": Rule.AUTHENTICATED,
    }
    error_statuses = {"list": [401], "retrieve": [401]}
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[ApiToken]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular, building the schema
            return ApiToken.objects.none()
        return ApiToken.objects.owned_by(self.request.user)

    def get_throttles(self) -> list[BaseThrottle]:
        throttles = super().get_throttles()
        if self.action == "create":
            throttles.append(AuthRateThrottle())
        return throttles

    @extend_schema(
        summary="Request an API token",
        description=(
            "Exchanges a username and password for a bearer token, sent afterwards as "
            "`Authorization: Bearer opr_…`. The token is in this response only — the registry "
            "keeps a digest — so store it now. It expires after `lifetime_days` (default 30, at "
            "most 365) and can be revoked at any time. Wrong credentials are a 401, the same "
            "whether the username or the password was wrong. Rate-limited more strictly than "
            "other requests."
        ),
        request=TokenRequestSerializer,
        responses={201: IssuedTokenSerializer},
        examples=[
            OpenApiExample(
                "Token request",
                value={
                    "username": "lanhai-tech",
                    "password": "correct horse battery staple",
                    "name": "ERP integration",
                    "lifetime_days": 30,
                },
                request_only=True,
            ),
            OpenApiExample(
                "Token issued",
                value={
                    "id": 7,
                    "name": "ERP integration",
                    "token": EXAMPLE_TOKEN,
                    "prefix": "Xq3v9Lk2",
                    **EXAMPLE_TIMES,
                },
                response_only=True,
                status_codes=["201"],
            ),
        ],
        auth=NO_CREDENTIALS,
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        # The same answer for an unknown user, a wrong password and an inactive account; the
        # backend hashes a password even for an unknown user, so timing tells nothing either.
        user = authenticate(request._request, username=data["username"], password=data["password"])
        if user is None:
            raise AuthenticationFailed(_("Unknown username or wrong password."))
        issued = token_issue(user=user, name=data["name"], lifetime_days=data["lifetime_days"])
        return Response(IssuedTokenSerializer(issued).data, status=201, headers=NO_STORE)

    def object_key(self, obj: Model) -> dict[str, Any]:
        return {"token": obj}  # ``token_revoke`` takes the token itself
