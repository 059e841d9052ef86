"""Liveness (/healthz) and readiness (/readyz) probes."""

import logging

import pytest
from django.db import OperationalError, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from tests.api_cases import assert_problem

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_without_touching_the_database(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert len(captured) == 0


def test_readyz_answers_200_with_the_database_vendor(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": connection.vendor, "search": "ready"}
    assert connection.vendor in ("sqlite", "postgresql")


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_are_never_cached(client, path):
    assert "no-cache" in client.get(path)["Cache-Control"]


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_only_get(client, path):
    assert client.post(path).status_code == 405


def test_readyz_is_a_503_problem_while_migrations_are_unapplied(client, monkeypatch):
    pending = [("migration", False), ("another", False)]
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, *a, **kw: pending)
    response = client.get("/readyz", HTTP_ACCEPT_LANGUAGE="en")
    body = assert_problem(response, 503)
    assert body["type"] == "/api/problems/service-unavailable"
    assert body["instance"] == "/readyz"
    assert "2" in body["detail"]
    assert "migration" in body["detail"]


def test_readyz_is_a_503_problem_when_the_database_fails(client, monkeypatch, caplog):
    def unreachable(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(connections["default"], "cursor", unreachable)
    with caplog.at_level(logging.ERROR, logger="registry.health"):
        response = client.get("/readyz", HTTP_ACCEPT_LANGUAGE="en")
    body = assert_problem(response, 503)
    assert body["type"] == "/api/problems/service-unavailable"
    assert "unreachable" in body["detail"]
    assert "Connection refused" not in response.content.decode()  # logged, not shown
    assert any(record.exc_info for record in caplog.records if record.name == "registry.health")


def test_healthz_stays_200_when_the_database_fails(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("down")

    monkeypatch.setattr(connections["default"], "cursor", unreachable)
    assert client.get("/healthz").status_code == 200
