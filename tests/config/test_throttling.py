"""Rate limits: per anonymous client, per user, and stricter for registration and tokens."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.settings import api_settings

from config.api.throttling import client_address
from config.settings import _caches, _rate
from registry.tokens import token_issue
from tests.api_cases import assert_problem
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PUBLIC = "/api/v1/platforms/"
PASSWORD = "correct horse battery staple"


def statuses(client, count, url=PUBLIC, **extra):
    return [client.get(url, **extra).status_code for _ in range(count)]


def request_token(client, username="sme", password=PASSWORD, **extra):
    body = {"username": username, "password": password, "name": "t"}
    return client.post("/api/v1/auth/tokens/", body, format="json", **extra)


def test_past_the_anonymous_limit_a_client_gets_a_429_problem_with_retry_after(
    api_client, throttling
):
    throttling(anon="3/min")
    assert statuses(api_client, 3) == [200, 200, 200]
    response = api_client.get(PUBLIC)
    body = assert_problem(response, 429)
    assert body["type"] == "/api/problems/throttled"
    assert response["Retry-After"].isdigit()
    assert 1 <= int(response["Retry-After"]) <= 60


def test_the_anonymous_limit_counts_each_client_address_apart(api_client, throttling):
    throttling(anon="2/min")
    assert statuses(api_client, 3, REMOTE_ADDR="203.0.113.1") == [200, 200, 429]
    assert statuses(api_client, 2, REMOTE_ADDR="203.0.113.2") == [200, 200]


def test_the_limit_lifts_once_the_period_has_passed(api_client, throttling):
    throttling(anon="2/min")
    assert statuses(api_client, 3) == [200, 200, 429]
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert statuses(api_client, 1) == [200]


def test_the_user_limit_is_per_user(api_client, throttling, sme_user):
    throttling(user="2/min", anon="100/min")
    mine = token_issue(user=sme_user, name="mine").secret
    theirs = token_issue(user=UserFactory(username="other"), name="theirs").secret

    assert statuses(api_client, 3, HTTP_AUTHORIZATION=f"Bearer {mine}") == [200, 200, 429]
    assert statuses(api_client, 2, HTTP_AUTHORIZATION=f"Bearer {theirs}") == [200, 200]
    assert statuses(api_client, 1) == [200]  # anonymous requests are counted apart


def test_a_signed_in_user_is_not_held_to_the_anonymous_limit(api_client, throttling, sme_user):
    throttling(anon="1/min", user="100/min")
    secret = token_issue(user=sme_user, name="t").secret
    assert statuses(api_client, 3, HTTP_AUTHORIZATION=f"Bearer {secret}") == [200, 200, 200]


def test_the_auth_scope_is_stricter_than_the_anonymous_one_by_default():
    rates = api_settings.DEFAULT_THROTTLE_RATES
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}

    def per_second(rate):
        count, period = rate.split("/")
        return int(count) / seconds[period[0]]

    assert per_second(rates["auth"]) < per_second(rates["anon"])


def test_token_requests_are_held_to_the_auth_limit_while_reads_go_on(
    api_client, throttling, sme_user
):
    throttling(auth="2/min", anon="100/min")
    assert request_token(api_client).status_code == 201
    assert request_token(api_client, password="a wrong guess").status_code == 401
    response = request_token(api_client)
    assert_problem(response, 429)
    assert response["Retry-After"].isdigit()
    assert statuses(api_client, 2) == [200, 200]


def test_registration_is_held_to_the_auth_limit(api_client, throttling):
    throttling(auth="1/min", anon="100/min")

    def register(name):
        body = {"username": name, "email": f"{name}@example.cn", "password": PASSWORD}
        return api_client.post("/api/v1/auth/register/", body, format="json")

    assert register("first").status_code == 201
    assert_problem(register("second"), 429)


def test_with_throttling_disabled_no_limit_applies(api_client, throttling, settings):
    throttling(anon="1/min")
    settings.THROTTLING_ENABLED = False
    assert statuses(api_client, 3) == [200, 200, 200]


def test_a_failing_cache_lets_requests_through_and_says_so(
    api_client, throttling, monkeypatch, caplog
):
    throttling(anon="1/min")

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr("django.core.cache.backends.locmem.LocMemCache.get", broken)
    with caplog.at_level(logging.WARNING, logger="registry.api"):
        assert statuses(api_client, 2) == [200, 200]
    assert "Rate limit anon not checked" in caplog.text


# The client address


def _request(remote="198.51.100.7", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(_request(forwarded="203.0.113.9")) == "198.51.100.7"


def test_behind_one_proxy_the_client_is_the_rightmost_forwarded_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # the client forged the first entry; the proxy appended the address it saw
    request = _request(remote="10.0.0.2", forwarded="1.2.3.4, 203.0.113.9")
    assert client_address(request) == "203.0.113.9"


def test_behind_two_proxies_the_client_is_the_second_address_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = _request(remote="10.0.0.2", forwarded="1.2.3.4, 203.0.113.9, 10.0.0.1")
    assert client_address(request) == "203.0.113.9"


def test_a_garbled_forwarded_address_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(_request(forwarded="not-an-address")) == "198.51.100.7"


def test_ipv6_clients_are_counted_per_64_network():
    first = client_address(_request(remote="2001:db8:1:2::1"))
    second = client_address(_request(remote="2001:db8:1:2:ffff::9"))
    assert first == second == "2001:db8:1:2::/64"
    assert client_address(_request(remote="::ffff:198.51.100.7")) == "198.51.100.7"


def test_spoofed_forwarded_addresses_do_not_escape_the_limit(api_client, throttling, settings):
    throttling(anon="2/min")
    settings.TRUSTED_PROXY_COUNT = 0
    codes = [
        api_client.get(PUBLIC, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(3)
    ]
    assert codes == [200, 200, 429]


# Settings


@pytest.mark.parametrize("rate", ["120/min", "10/m", "5/s", "1000/hour", "50000/day"])
def test_well_formed_rates_are_accepted(monkeypatch, rate):
    monkeypatch.setenv("THROTTLE_TEST", rate)
    assert _rate("THROTTLE_TEST", "1/min") == rate


@pytest.mark.parametrize("rate", ["", "120", "0/min", "ten/min", "120/week", "-1/s"])
def test_malformed_rates_stop_the_start_with_the_variable_named(monkeypatch, rate):
    monkeypatch.setenv("THROTTLE_TEST", rate)
    with pytest.raises(ImproperlyConfigured, match="THROTTLE_TEST"):
        _rate("THROTTLE_TEST", "1/min")


def test_the_cache_is_in_process_unless_a_redis_url_is_given():
    assert _caches("")["default"]["BACKEND"].endswith("LocMemCache")
    redis = _caches("redis://127.0.0.1:6379/1")["default"]
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://127.0.0.1:6379/1"
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        _caches("memcached://127.0.0.1:11211")
