"""Request rate limits: per anonymous client, per user, and a stricter one for the auth endpoints.

| scope | counts | applies to |
|---|---|---|
| ``anon`` | requests of one client address without credentials | every API view |
| ``user`` | requests of one signed-in user, whatever their address | every API view |
| ``auth`` | requests of one client address, signed in or not | registration, token creation |

The rates are ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (``THROTTLE_ANON``, ``THROTTLE_USER``,
``THROTTLE_AUTH`` in the environment), read at each request rather than once at import as DRF's
own classes do, so that an override in a test takes effect. ``THROTTLING_ENABLED = False`` turns
them all off (the test settings do; the throttling tests turn it back on).

The counts live in Django's cache: with several web processes it must be a shared one
(``CACHE_URL=redis://…``), or each process counts on its own.

Behind reverse proxies, ``TRUSTED_PROXY_COUNT`` says how many: the client address is then taken
from ``X-Forwarded-For`` counted from the right, since entries further left are whatever the client
chose to send. IPv6 clients are counted per /64 network, which one subscriber line usually gets.
"""

import ipaddress
import logging
from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger("registry.api")

IPV6_CLIENT_PREFIX = 64


def _normalise(address: str) -> str | None:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/{IPV6_CLIENT_PREFIX}", strict=False))
    return str(ip)


def client_address(request: Any) -> str:
    """The address rate limits count the request against (see the module's docstring)."""
    meta = request.META
    remote = meta.get("REMOTE_ADDR") or ""
    candidate = remote
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if proxies > 0:
        forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            candidate = forwarded[-min(proxies, len(forwarded))]
    return _normalise(candidate) or _normalise(remote) or "unknown"


class RegistryRateThrottle(SimpleRateThrottle):
    """A SimpleRateThrottle that reads its rate, and whether to throttle at all, per request."""

    scope: str

    def __init__(self) -> None:
        # SimpleRateThrottle reads the rate here from a copy taken at import; allow_request does.
        pass

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        return None if rate is None else str(rate)

    def allow_request(self, request: Request, view: Any) -> bool:
        if not getattr(settings, "THROTTLING_ENABLED", True):
            return True
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        try:
            return super().allow_request(request, view)
        except Exception:
            # The cache (Redis) is unreachable: serve the request rather than fail every one.
            logger.warning("Rate limit %s not checked: the cache failed", self.scope, exc_info=True)
            return True

    def get_ident(self, request: Request) -> str:
        return client_address(request)


class AnonRateThrottle(RegistryRateThrottle):
    """Requests without credentials, per client address."""

    scope = "anon"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            return None  # counted by UserRateThrottle
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserRateThrottle(RegistryRateThrottle):
    """Requests of a signed-in user (token or session), wherever they come from."""

    scope = "user"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None  # counted by AnonRateThrottle
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AuthRateThrottle(RegistryRateThrottle):
    """Registration and token requests, per client address: slows password guessing."""

    scope = "auth"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PingRateThrottle(RegistryRateThrottle):
    """Webhook pings, per user: each one makes the registry call the owner's receiver."""

    scope = "ping"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class RedeliverRateThrottle(PingRateThrottle):
    """Webhook redeliveries, per user: like pings, each one makes the registry call a receiver."""

    scope = "redeliver"
