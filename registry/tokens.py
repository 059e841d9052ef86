"""API tokens: issue, verify, revoke.

A token is ``opr_`` followed by ``secrets.token_urlsafe(32)`` (256 random bits). The database keeps
only its SHA-256 digest, to find it again, and the first characters of the secret, so that its owner
can tell tokens apart: a copy of the database lets no one in. A fast hash is enough here — unlike a
password the secret is random and long, so there is nothing to guess — and it lets a request find
its token by one indexed lookup.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from registry.models import ApiToken

MARKER = "opr_"  # every token starts with it, so scanners can spot a leaked one
PREFIX_LENGTH = 8
DEFAULT_LIFETIME_DAYS = 30
MAX_LIFETIME_DAYS = 365
# last_used_at is written at most this often per token, so reads do not each cost a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)

# token_urlsafe(32) is 43 characters of the URL-safe base64 alphabet.
TOKEN_PATTERN = re.compile(rf"^{MARKER}[A-Za-z0-9_-]{{43}}$")


class TokenRefused(Exception):
    """The presented token cannot be used; ``reason`` says why, for the 401 answer."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the whole token string: shown to its owner once, never stored


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def looks_like_token(raw: str) -> bool:
    return bool(TOKEN_PATTERN.fullmatch(raw))


def token_issue(*, user: Any, name: str, lifetime_days: int = DEFAULT_LIFETIME_DAYS) -> IssuedToken:
    """A new token for ``user`` that expires after ``lifetime_days``."""
    secret = secrets.token_urlsafe(32)
    raw = MARKER + secret
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[:PREFIX_LENGTH],
        digest=token_digest(raw),
        created_at=now,
        expires_at=now + timedelta(days=lifetime_days),
    )
    return IssuedToken(token=token, secret=raw)


def token_revoke(*, token: ApiToken) -> None:
    """Revokes ``token`` at once; revoking a revoked token changes nothing."""
    now = timezone.now()
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now):
        token.revoked_at = now
    else:
        token.refresh_from_db(fields=["revoked_at"])


def tokens_revoke(*, tokens: QuerySet[ApiToken]) -> int:
    """Revokes every token of ``tokens`` not yet revoked; the number revoked."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def token_verify(*, raw: str) -> ApiToken:
    """The usable token ``raw`` names, with its user; else :class:`TokenRefused`.

    Refuses a malformed, unknown, expired or revoked token and one whose user is inactive. Records
    the use in ``last_used_at``, at most once a minute per token.
    """
    if not looks_like_token(raw):
        raise TokenRefused("malformed")
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(raw)).first()
    if token is None:
        raise TokenRefused("unknown")
    now = timezone.now()
    if token.revoked_at is not None:
        raise TokenRefused("revoked")
    if token.is_expired(now):
        raise TokenRefused("expired")
    if not token.user.is_active:
        raise TokenRefused("inactive")
    _touch(token, now)
    return token


def _touch(token: ApiToken, now: Any) -> None:
    """Sets ``last_used_at`` unless it was set less than a minute ago (one UPDATE, no row save).

    The WHERE clause repeats the check, so concurrent requests in several processes still write
    at most once a minute.
    """
    stale_before = now - LAST_USED_RESOLUTION
    if token.last_used_at is not None and token.last_used_at > stale_before:
        return
    ApiToken.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale_before), pk=token.pk
    ).update(last_used_at=now)
    token.last_used_at = now
