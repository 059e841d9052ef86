"""Bearer-token authentication (RFC 6750) for the API.

``Authorization: Bearer opr_…`` authenticates as the token's user. A token that is malformed,
unknown, expired or revoked, or whose user is inactive, is a 401 problem — never a silent
fallback to anonymous, which would answer a public list as though nothing were wrong.

A token in the query string is refused outright, on every endpoint, public ones included: URLs are
written to access logs, proxies and browser histories. Authentication runs in ``initial()``
before ``StrictQueryParamsMixin`` looks at the parameters, so the client hears about the leak
(401), not about an unknown parameter (400).

Headers of other schemes (``Basic``, from a proxy in front of a staging site, say) are left to
the other authenticators and so ignored; a bare token without the ``Bearer`` keyword is refused.
"""

from typing import Any, NoReturn

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from registry.tokens import MARKER, TokenRefused, token_verify

KEYWORD = "Bearer"
REALM = "api"
QUERY_STRING_TOKEN_PARAMS = ("access_token", "token", "api_key")


class BearerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        leaked = [name for name in QUERY_STRING_TOKEN_PARAMS if name in request.query_params]
        if leaked:
            self._fail(
                request,
                _(
                    "Tokens are not accepted in the URL (%(names)s): URLs are logged. Send the "
                    "token in the Authorization header as 'Bearer <token>', and revoke this one."
                )
                % {"names": ", ".join(leaked)},
                error="invalid_request",
            )
        header = get_authorization_header(request).split()
        if not header:
            return None
        scheme = header[0].lower()
        if scheme != KEYWORD.lower().encode():
            if scheme.startswith(MARKER.encode()):
                self._fail(request, _("Put the keyword 'Bearer' before the token."))
            return None  # another scheme: not ours to judge
        if len(header) != 2:
            self._fail(
                request,
                _("Malformed Authorization header: expected 'Bearer <token>'."),
                error="invalid_request",
            )
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            self._fail(request, _("Malformed token."))
        try:
            token = token_verify(raw=raw)
        except TokenRefused as refused:
            messages = {
                "expired": _("The token has expired; request a new one."),
                "revoked": _("The token has been revoked."),
                "inactive": _("The token's user account is disabled."),
            }
            self._fail(request, messages.get(refused.reason, _("Invalid token.")))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        challenge = f'{KEYWORD} realm="{REALM}"'
        error = getattr(request, "bearer_error", None)
        return f'{challenge}, error="{error}"' if error else challenge

    def _fail(self, request: Request, detail: str, error: str = "invalid_token") -> NoReturn:
        request.bearer_error = error  # type: ignore[attr-defined]
        raise exceptions.AuthenticationFailed(detail)


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """The scheme in the OpenAPI document (drf-spectacular finds it by ``target_class``)."""

    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "opr_…",
            "description": (
                "An API token from `POST /api/v1/auth/tokens/`, sent as "
                "`Authorization: Bearer opr_…`. Never in the URL."
            ),
        }
