"""A token sent in a URL has leaked: it is refused, revoked on sight, and kept out of the problem
body, Django's logging and gunicorn's access log."""

import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from rest_framework.test import APIClient

from config.gunicorn import RedactingLogger, SecretsRedactingFilter, redact_url_secrets
from registry.models import ApiToken
from tests.api_cases import assert_problem

pytestmark = pytest.mark.django_db

PUBLIC = "/api/v1/platforms/"
PRIVATE = "/api/v1/auth/tokens/"


@pytest.mark.parametrize("param", ["access_token", "token", "api_key", "q"])
def test_a_token_sent_in_the_query_string_is_revoked_and_the_401_says_so(sme_token, param):
    response = APIClient().get(PUBLIC, {param: sme_token.secret}, HTTP_ACCEPT_LANGUAGE="en")
    body = assert_problem(response, 401)
    assert "revoked" in body["detail"]
    assert ApiToken.objects.get(pk=sme_token.token.pk).revoked_at is not None

    again = APIClient().get(
        PRIVATE, HTTP_AUTHORIZATION=f"Bearer {sme_token.secret}", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "revoked" in assert_problem(again, 401)["detail"]


def test_a_revoked_token_from_the_url_is_kept_out_of_the_problem_instance(sme_token):
    response = APIClient().get(f"{PUBLIC}?access_token={sme_token.secret}&page_size=5")
    body = assert_problem(response, 401)
    assert sme_token.secret not in response.content.decode()
    assert body["instance"] == f"{PUBLIC}?access_token=[REDACTED]&page_size=5"


def test_a_non_token_value_in_the_url_is_refused_but_revokes_nothing(sme_token):
    response = APIClient().get(PUBLIC, {"access_token": "guess"}, HTTP_ACCEPT_LANGUAGE="en")
    body = assert_problem(response, 401)
    assert "revoked" not in body["detail"]
    assert ApiToken.objects.get(pk=sme_token.token.pk).revoked_at is None


def test_the_console_log_handler_redacts_tokens_in_django_request_lines(sme_token):
    filters = [f for handler in logging.getLogger().handlers for f in handler.filters]
    assert any(isinstance(f, SecretsRedactingFilter) for f in filters)  # on Django's console
    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"%s" %s %s',
        (f"GET /api/v1/platforms/?access_token={sme_token.secret} HTTP/1.1", "401", "120"), None,
    )  # fmt: skip
    SecretsRedactingFilter().filter(record)
    assert (
        record.getMessage() == '"GET /api/v1/platforms/?access_token=[REDACTED] HTTP/1.1" 401 120'
    )


def test_the_gunicorn_access_log_redacts_tokens_in_the_request_line_and_referer(sme_token):
    logger = RedactingLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/api/v1/platforms/?token={sme_token.secret}",
        "PATH_INFO": "/api/v1/platforms/",
        "QUERY_STRING": f"token={sme_token.secret}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://portal.example.cn/?x=1&access_token={sme_token.secret}",
        "REMOTE_ADDR": "203.0.113.7",
    }
    resp = SimpleNamespace(status="401 Unauthorized", sent=10, headers=[])
    atoms = logger.atoms(resp, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=3))
    line = logger.cfg.access_log_format % atoms
    assert sme_token.secret not in line
    assert "GET /api/v1/platforms/?token=[REDACTED] HTTP/1.1" in line
    assert "access_token=[REDACTED]" in line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/p/?page_size=5", "/p/?page_size=5"),
        ("/p/?api_key=abc&q=x", "/p/?api_key=[REDACTED]&q=x"),
        ("/p/?q=opr_" + "a" * 43, "/p/?q=opr_[REDACTED]"),
    ],
)
def test_url_secrets_are_redacted_and_nothing_else(text, expected):
    assert redact_url_secrets(text) == expected
