"""The SSRF guard: webhook URLs that would reach the registry's own network are refused up front.

Every refusal here happens in ``vet_url``, before any connection: the table's hosts either are IP
literals (in the spellings attackers use to slip past string checks) or go through a fake resolver,
so no test depends on real DNS. The rebinding test shows the other half of the guard: the transport
dials the address that was vetted, not whatever the name resolves to by then.
"""

import socket
from ipaddress import ip_address

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import override_settings

from notifications.webhooks import transport
from notifications.webhooks.addresses import (
    UnsafeWebhookURL,
    is_allowed,
    is_public,
    validate_webhook_url,
    vet_url,
)
from notifications.webhooks.transport import post

PUBLIC_V4 = "93.184.215.14"
PUBLIC_V6 = "2606:2800:21f:cb07:6820:80da:af6b:8b2c"


def resolver_for(*addresses: str):
    def resolve(host: str, port: int) -> list[str]:
        return list(addresses)

    return resolve


def no_dns(host: str, port: int) -> list[str]:
    raise AssertionError(f"{host} is an address literal and must not be sent to the resolver")


@pytest.fixture(autouse=True)
def no_connections(monkeypatch):
    """Any connection attempt from the guard's tests is a failure of the guard."""

    def refuse(*args, **kwargs):
        raise AssertionError("vet_url must not open connections")

    monkeypatch.setattr(transport, "_dial", refuse)


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("https://127.0.0.1/", id="loopback"),
        pytest.param("https://127.1/", id="loopback-short-form"),
        pytest.param("https://0x7f000001/", id="loopback-hex"),
        pytest.param("https://2130706433/", id="loopback-decimal"),
        pytest.param("https://017700000001/", id="loopback-octal"),
        pytest.param("https://[::1]/", id="ipv6-loopback"),
        pytest.param("https://[::ffff:127.0.0.1]/", id="ipv4-mapped-loopback"),
        pytest.param("https://[2002:7f00:1::]/", id="6to4-loopback"),
        pytest.param("https://[64:ff9b::7f00:1]/", id="nat64-loopback"),
        pytest.param("https://0.0.0.0/", id="unspecified"),
        pytest.param("https://10.0.0.1/", id="private-10"),
        pytest.param("https://172.16.0.1/", id="private-172"),
        pytest.param("https://192.168.1.1/", id="private-192"),
        pytest.param("https://169.254.169.254/latest/meta-data/", id="metadata"),
        pytest.param("https://100.64.0.1/", id="shared-cgnat"),
        pytest.param("https://224.0.0.1/", id="multicast"),
        pytest.param("https://240.0.0.1/", id="reserved"),
        pytest.param("https://192.0.2.1/", id="documentation"),
        pytest.param("https://[fe80::1]/", id="ipv6-link-local"),
        pytest.param("https://[fd00::1]/", id="ipv6-unique-local"),
        pytest.param("https://[fd00:ec2::254]/", id="ipv6-metadata"),
    ],
)
def test_a_url_aimed_at_a_non_public_address_is_refused(url):
    with pytest.raises(UnsafeWebhookURL) as refused:
        vet_url(url, resolver=no_dns)

    assert refused.value.code == "not_public"


@pytest.mark.parametrize(
    "addresses",
    [
        pytest.param([PUBLIC_V4, "10.0.0.5"], id="public-then-private"),
        pytest.param(["10.0.0.5", PUBLIC_V4], id="private-then-public"),
        pytest.param([PUBLIC_V6, "::1"], id="public-v6-then-loopback"),
        pytest.param(["::ffff:169.254.169.254"], id="aaaa-mapped-metadata"),
    ],
)
def test_a_name_resolving_to_any_non_public_address_is_refused(addresses):
    with pytest.raises(UnsafeWebhookURL) as refused:
        vet_url("https://receiver.example/hook", resolver=resolver_for(*addresses))

    assert refused.value.code == "not_public"


def test_a_public_address_over_https_is_accepted_and_becomes_the_address_to_dial():
    target = vet_url(
        "https://Receiver.Example/hooks/in?tenant=7#frag", resolver=resolver_for(PUBLIC_V4)
    )

    assert target.scheme == "https"
    assert target.host == "receiver.example"
    assert target.port == 443
    assert target.path == "/hooks/in?tenant=7"
    assert target.address == PUBLIC_V4


def test_a_public_ipv6_literal_is_accepted_without_brackets_in_the_host():
    target = vet_url(f"https://[{PUBLIC_V6}]:8443", resolver=no_dns)

    assert (target.host, target.port, target.path) == (PUBLIC_V6, 8443, "/")
    assert target.address == PUBLIC_V6


def test_a_name_with_several_public_addresses_dials_the_first():
    target = vet_url("https://receiver.example/", resolver=resolver_for(PUBLIC_V4, PUBLIC_V6))

    assert target.address == PUBLIC_V4


def test_dns_rebinding_cannot_move_the_delivery_to_a_private_address():
    answers = iter([[PUBLIC_V4], ["127.0.0.1"]])
    dialled: list[tuple[str, int]] = []

    def rebinding_resolver(host: str, port: int) -> list[str]:
        return next(answers)

    def recording_dial(address: str, port: int, timeout: float) -> socket.socket:
        dialled.append((address, port))
        raise ConnectionRefusedError(111, "Connection refused")

    target = vet_url("https://rebind.example/hook", resolver=rebinding_resolver)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(transport, "_dial", recording_dial)
        reply = post(target, b"{}", {"Content-Type": "application/json"})

    assert dialled == [(PUBLIC_V4, 443)]
    assert reply.status is None
    assert reply.error.startswith("connection refused")


@override_settings(WEBHOOK_ALLOWED_NETWORKS=["127.0.0.2/32"])
def test_allow_listing_one_loopback_address_does_not_open_the_others():
    with pytest.raises(UnsafeWebhookURL):
        vet_url("https://127.0.0.1/", resolver=no_dns)

    assert vet_url("https://127.0.0.2/", resolver=no_dns).address == "127.0.0.2"


@override_settings(WEBHOOK_ALLOWED_NETWORKS=["10.1.0.0/16"])
def test_an_allow_listed_name_must_have_every_address_allow_listed():
    with pytest.raises(UnsafeWebhookURL):
        vet_url("https://svc.internal/", resolver=resolver_for("10.1.2.3", "10.2.0.1"))

    assert vet_url("https://svc.internal/", resolver=resolver_for("10.1.2.3")).address == "10.1.2.3"


@override_settings(WEBHOOK_ALLOWED_NETWORKS=["not-a-network"])
def test_a_malformed_allow_list_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured):
        vet_url("https://receiver.example/", resolver=resolver_for(PUBLIC_V4))


@override_settings(DEBUG=False, WEBHOOK_ALLOWED_NETWORKS=[])
def test_http_is_refused_outside_debug():
    with pytest.raises(UnsafeWebhookURL) as refused:
        vet_url("http://receiver.example/", resolver=resolver_for(PUBLIC_V4))

    assert refused.value.code == "scheme"


@override_settings(DEBUG=True, WEBHOOK_ALLOWED_NETWORKS=[])
def test_http_is_accepted_in_debug_but_still_only_to_public_addresses():
    target = vet_url("http://receiver.example/", resolver=resolver_for(PUBLIC_V4))

    assert (target.scheme, target.port) == ("http", 80)
    with pytest.raises(UnsafeWebhookURL):
        vet_url("http://127.0.0.1:8000/", resolver=no_dns)


@override_settings(DEBUG=False, WEBHOOK_ALLOWED_NETWORKS=["10.1.0.0/16"])
def test_http_is_accepted_outside_debug_when_every_address_is_allow_listed():
    assert vet_url("http://svc.internal/", resolver=resolver_for("10.1.2.3")).scheme == "http"


@pytest.mark.parametrize(
    ("url", "code"),
    [
        pytest.param(
            "https://user:secret@receiver.example/", "credentials", id="user-and-password"
        ),
        pytest.param("https://token@receiver.example/", "credentials", id="user-only"),
        pytest.param("ftp://receiver.example/", "scheme", id="ftp"),
        pytest.param("file:///etc/passwd", "scheme", id="file"),
        pytest.param("receiver.example/hook", "scheme", id="no-scheme"),
        pytest.param("https:///hook", "invalid", id="no-host"),
        pytest.param("https://receiver.example:99999/", "invalid", id="port-out-of-range"),
        pytest.param("https://receiver.example:0/", "invalid", id="port-zero"),
        pytest.param("https://receiver.example:https/", "invalid", id="port-not-a-number"),
    ],
)
def test_a_malformed_or_unsafe_url_is_refused_with_a_code(url, code):
    with pytest.raises(UnsafeWebhookURL) as refused:
        vet_url(url, resolver=resolver_for(PUBLIC_V4))

    assert refused.value.code == code


def test_a_name_that_does_not_resolve_is_refused():
    def failing(host: str, port: int) -> list[str]:
        raise UnsafeWebhookURL("no such host", code="unresolvable")

    with pytest.raises(UnsafeWebhookURL) as refused:
        vet_url("https://nowhere.example/", resolver=failing)
    assert refused.value.code == "unresolvable"

    with pytest.raises(UnsafeWebhookURL) as empty:
        vet_url("https://nowhere.example/", resolver=resolver_for())
    assert empty.value.code == "unresolvable"


def test_the_default_resolver_reports_a_lookup_failure_as_unresolvable(monkeypatch):
    def failing_getaddrinfo(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", failing_getaddrinfo)
    with pytest.raises(UnsafeWebhookURL) as refused:
        vet_url("https://does-not-exist.invalid/")

    assert refused.value.code == "unresolvable"


def test_validate_webhook_url_raises_a_validation_error_with_the_code():
    with pytest.raises(ValidationError) as refused:
        validate_webhook_url("https://169.254.169.254/")

    assert refused.value.code == "not_public"


def test_ipaddress_alone_would_miss_the_shared_address_space():
    """100.64.0.0/10 is neither private nor global to ipaddress, so it is checked by name."""
    shared = ip_address("100.64.0.1")

    assert (shared.is_private, shared.is_global) == (False, False)
    assert not is_public(shared)


def test_an_ipv4_mapped_address_is_judged_as_the_ipv4_address_it_reaches():
    assert is_allowed(ip_address(f"::ffff:{PUBLIC_V4}"))
    assert not is_allowed(ip_address("::ffff:10.0.0.1"))
