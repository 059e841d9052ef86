"""The production shape is secure by Django's own deployment checks: HSTS and the https redirect
come from the environment (on in docker-compose.yml), and X-Forwarded-Proto is believed only
when there are proxies to trust."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "registry.example.cn",
    "SESSION_COOKIE_SECURE": "1",
    "TRUSTED_PROXY_COUNT": "1",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
}
SHOWN = [
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
]


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "DJANGO_"))}
    base.pop("TRUSTED_PROXY_COUNT", None)
    return subprocess.run(  # noqa: S603  (our own interpreter and manage.py)
        [sys.executable, *args],
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings(**env: str) -> dict[str, object]:
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {SHOWN!r}}}))"
    )
    result = _run(["-c", f"import django; django.setup(); {code}"], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_is_clean_in_the_documented_production_environment():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_without_hsts_and_the_https_redirect():
    env = {**PRODUCTION, "SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "0"}
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)
    assert result.returncode != 0
    assert "security.W004" in result.stderr
    assert "security.W008" in result.stderr


def test_hsts_and_the_https_redirect_come_from_the_environment():
    assert _settings(**PRODUCTION) == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }


def test_x_forwarded_proto_is_not_believed_without_trusted_proxies():
    shown = _settings(**{**PRODUCTION, "TRUSTED_PROXY_COUNT": "0"})
    assert shown["SECURE_PROXY_SSL_HEADER"] is None


def test_docker_compose_runs_the_production_shape_with_hsts_and_the_redirect_on():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    environment = compose["services"]["web"]["environment"]
    defaults = {
        name: str(value).split(":-", 1)[-1].rstrip("}") for name, value in environment.items()
    }
    for name in PRODUCTION.keys() - {"SECRET_KEY", "ALLOWED_HOSTS"}:
        assert defaults[name] == PRODUCTION[name], name
    assert defaults["DEBUG"] == "0"


@pytest.mark.parametrize("value", ["-1", "a year"])
def test_a_malformed_hsts_setting_stops_start_up(value):
    env = {**PRODUCTION, "SECURE_HSTS_SECONDS": value}
    result = _run(["-c", "import django; django.setup()"], **env)
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS" in result.stderr
