"""Bearer-token authentication (RFC 6750) for the API.

``Authorization: Bearer opr_…`` authenticates as the token's user. A token that is malformed,
unknown, expired or revoked, or whose user is inactive, is a 401 problem — never a silent
fallback to anonymous, which would answer a public list as though nothing were wrong.

A token in the query string is refused outright, on every endpoint, public ones included: URLs are
written to access logs, proxies and browser histories. It is also revoked on sight — it has
leaked, whoever sent it — and the 401 says so. The request's query string is then rewritten with
the token redacted, so that neither the problem's ``instance``, nor Django's logging, nor
gunicorn's access log (which reads the same WSGI environ) keeps it. Authentication runs in
``initial()`` before ``StrictQueryParamsMixin`` looks at the parameters, so the client hears about
the leak (401), not about an unknown parameter (400).

Headers of other schemes (``Basic``, from a proxy in front of a staging site, say) are left to
the other authenticators and so ignored; a bare token without the ``Bearer`` keyword is refused.
"""

from typing import Any, NoReturn

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from config.gunicorn import redact_url_secrets
from registry.models import ApiToken
from registry.tokens import (
    MARKER,
    TokenRefused,
    looks_like_token,
    token_digest,
    token_verify,
    tokens_revoke,
)

KEYWORD = "Bearer"
REALM = "api"
QUERY_STRING_TOKEN_PARAMS = ("access_token", "token", "api_key")


class BearerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        params = request.query_params
        leaked = [
            name
            for name, values in params.lists()
            if name in QUERY_STRING_TOKEN_PARAMS or any(looks_like_token(v) for v in values)
        ]
        if leaked:
            revoked = _revoke_leaked([v for name in leaked for v in params.getlist(name)])
            _redact_query_string(request)
            if revoked:
                detail = _(
                    "Tokens are not accepted in the URL (%(names)s): URLs are logged. The token "
                    "you sent has been revoked: request a new one and send it in the "
                    "Authorization header as 'Bearer <token>'."
                )
            else:
                detail = _(
                    "Tokens are not accepted in the URL (%(names)s): URLs are logged. Send the "
                    "token in the Authorization header as 'Bearer <token>'."
                )
            self._fail(request, detail % {"names": ", ".join(leaked)}, error="invalid_request")
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


def _revoke_leaked(values: list[str]) -> int:
    """Revokes each live token among ``values``; how many there were (revoked now or before)."""
    digests = [token_digest(value) for value in values if looks_like_token(value)]
    tokens = ApiToken.objects.filter(digest__in=digests)
    tokens_revoke(tokens=tokens)
    return len(digests) and tokens.count()


def _redact_query_string(request: Request) -> None:
    """Rewrites the request's URL in its WSGI environ with the credentials redacted: read by
    ``get_full_path()`` (the problem's ``instance``) and by gunicorn's access log."""
    meta = request._request.META
    for key in ("QUERY_STRING", "RAW_URI", "REQUEST_URI"):
        if isinstance(meta.get(key), str):
            meta[key] = redact_url_secrets(meta[key])


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
