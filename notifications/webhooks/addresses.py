"""The SSRF guard: which URLs the registry will deliver webhooks to, and which address it dials.

A subscriber chooses the URL, so without a guard a webhook is a way to make the registry send
requests into its own network: the cloud metadata service, the database, an admin port on
localhost. The guard therefore resolves the host name once, refuses the URL unless *every* address
it resolves to is publicly routable (or inside ``settings.WEBHOOK_ALLOWED_NETWORKS``), and returns
a :class:`Target` that names the one vetted address. The transport dials that address and never
looks the name up again, so a DNS answer that changes between the check and the connection (DNS
rebinding) cannot redirect the delivery; TLS is still verified against the original host name.

Addresses are judged with :mod:`ipaddress`, which knows the special-purpose registries. Two
corners need care: the shared address space 100.64.0.0/10 (carrier-grade NAT) is neither
``is_private`` nor ``is_global``, and IPv6 addresses can carry an IPv4 address (IPv4-mapped
``::ffff:127.0.0.1``, 6to4, Teredo, NAT64), which is vetted as well. Numeric host forms such as
``127.1``, ``0x7f000001`` or ``2130706433`` are read by the C library as 127.0.0.1, so the guard
vets what they mean, not how they are spelt.
"""

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext

type IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
type IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

Resolver = Callable[[str, int], list[str]]

DEFAULT_PORTS = {"https": 443, "http": 80}
# Link-local, so already refused; named because it is the address an attacker aims for first.
METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)
SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")
NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")
# Characters left as they are in the request target; anything else (spaces, controls, non-ASCII)
# is percent-encoded so the request line stays valid.
_PATH_SAFE = "!#$%&'()*+,/:;=?@[]~"


class UnsafeWebhookURL(ValueError):
    """A URL the registry refuses to deliver to; ``code`` says why in one word."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Target:
    """A vetted URL: where to connect (``address``) and what to call the host (``host``)."""

    url: str
    scheme: str
    host: str
    port: int
    path: str
    address: str


def resolve(host: str, port: int) -> list[str]:
    """The distinct addresses ``host`` resolves to, in the resolver's order."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UnsafeWebhookURL(
            gettext("The host name %(host)s could not be resolved.") % {"host": host},
            code="unresolvable",
        ) from exc
    return _distinct(str(info[4][0]) for info in infos)


def vet_url(url: str, *, resolver: Resolver | None = None) -> Target:
    """Check ``url`` for webhook delivery and return the one address to dial.

    Raises :class:`UnsafeWebhookURL` for a scheme other than https (http only in DEBUG or when
    every address is allow-listed), credentials in the URL, a missing host or bad port, a host
    that does not resolve, and any resolved address that is not public or allow-listed.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise UnsafeWebhookURL(gettext("The URL is not valid."), code="invalid") from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise UnsafeWebhookURL(gettext("The URL must start with https://."), code="scheme")
    if "@" in parts.netloc:
        raise UnsafeWebhookURL(
            gettext("The URL must not contain a user name or password."), code="credentials"
        )
    host = _ascii_host(parts.hostname or "")
    if port is None:
        port = DEFAULT_PORTS[scheme]
    if not 0 < port < 65536:
        raise UnsafeWebhookURL(gettext("The URL has an invalid port."), code="invalid")

    addresses = _numeric_addresses(host, port)
    if addresses is None:
        addresses = (resolver or resolve)(host, port)
    if not addresses:
        raise UnsafeWebhookURL(
            gettext("The host name %(host)s could not be resolved.") % {"host": host},
            code="unresolvable",
        )
    networks = allowed_networks()
    parsed = [_parse_address(address) for address in addresses]
    for address in parsed:
        if not is_allowed(address, networks):
            raise UnsafeWebhookURL(
                gettext("Webhooks cannot be delivered to %(address)s: not a public address.")
                % {"address": address},
                code="not_public",
            )
    if scheme == "http" and not (
        settings.DEBUG or all(_in_networks(address, networks) for address in parsed)
    ):
        raise UnsafeWebhookURL(gettext("The URL must start with https://."), code="scheme")

    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(
        url=url,
        scheme=scheme,
        host=host,
        port=port,
        path=quote(path, safe=_PATH_SAFE),
        address=str(parsed[0]),
    )


def validate_webhook_url(url: str) -> None:
    """The save-time check for a subscription's URL, as a Django validator."""
    try:
        vet_url(url)
    except UnsafeWebhookURL as exc:
        raise ValidationError(exc.message, code=exc.code) from exc


def allowed_networks() -> list[IPNetwork]:
    """``settings.WEBHOOK_ALLOWED_NETWORKS`` parsed; a malformed entry is a configuration error."""
    networks = []
    for cidr in settings.WEBHOOK_ALLOWED_NETWORKS:
        try:
            networks.append(ipaddress.ip_network(cidr.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"WEBHOOK_ALLOWED_NETWORKS: {cidr!r} is not a network in CIDR notation."
            ) from exc
    return networks


def is_allowed(address: IPAddress, networks: Iterable[IPNetwork] = ()) -> bool:
    """Whether a webhook may go to ``address``: allow-listed or public, and so is any IPv4 inside.

    An IPv4-mapped IPv6 address is the IPv4 address on the wire, so it is judged as that IPv4
    address alone; other embeddings (6to4, Teredo, NAT64) are judged as both.
    """
    networks = list(networks)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return all(
        _in_networks(candidate, networks) or is_public(candidate)
        for candidate in (address, *embedded_ipv4(address))
    )


def is_public(address: IPAddress) -> bool:
    """Globally routable unicast, by the IANA special-purpose registries (no allow-list)."""
    refused = (
        address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or address.is_loopback
        or address.is_link_local
        or address.is_private
        or address in SHARED_ADDRESS_SPACE
        or address in METADATA_ADDRESSES
    )
    return address.is_global and not refused


def embedded_ipv4(address: IPAddress) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses inside an IPv6 address: mapped, 6to4, Teredo (both), NAT64."""
    if not isinstance(address, ipaddress.IPv6Address):
        return []
    found = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)
    if address in NAT64_PREFIX:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def _in_networks(address: IPAddress, networks: Iterable[IPNetwork]) -> bool:
    return any(address in network for network in networks)


def _parse_address(text: str) -> IPAddress:
    try:
        return ipaddress.ip_address(text)
    except ValueError as exc:  # a resolver returned something that is not an address
        raise UnsafeWebhookURL(
            gettext("The host name resolved to an invalid address."), code="unresolvable"
        ) from exc


def _numeric_addresses(host: str, port: int) -> list[str] | None:
    """The addresses a numeric host means (``127.1`` → 127.0.0.1), without asking DNS; else None."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
    except (OSError, UnicodeError):
        return None
    return _distinct(str(info[4][0]) for info in infos)


def _ascii_host(host: str) -> str:
    if not host:
        raise UnsafeWebhookURL(gettext("The URL has no host name."), code="invalid")
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise UnsafeWebhookURL(
            gettext("The URL has an invalid host name."), code="invalid"
        ) from exc


def _distinct(addresses: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(addresses))
