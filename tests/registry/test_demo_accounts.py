"""``manage.py demo_accounts``: in development each role of the demo can sign in with the password
it prints — a curator, a publisher of a demo platform, an SME; never with DEBUG off."""

import re
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from core.roles import is_curator
from openness.demo import CURATOR_USERNAME, SME_USERNAME
from openness.models import Batch
from tests.factories import BatchFactory

pytestmark = pytest.mark.django_db

TOKENS = "/api/v1/auth/tokens/"


def seed(**options: Any) -> None:
    call_command("seed_demo", resources=60, no_progress=True, stdout=StringIO(), **options)


def run_demo_accounts() -> str:
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("demo_accounts", stdout=out)
    return out.getvalue()


def accounts(output: str) -> dict[str, tuple[str, str]]:
    """The printed table: role → (username, password)."""
    rows = re.findall(r"^  (curator|publisher|SME) +(\S+) +(\S+)$", output, re.MULTILINE)
    return {role: (username, password) for role, username, password in rows}


def token_for(api_client: Any, username: str, password: str) -> str:
    response = api_client.post(
        TOKENS, {"username": username, "password": password, "name": "demo"}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()["token"]


def test_with_debug_off_it_refuses_and_no_demo_user_gets_a_password(settings):
    seed()
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("demo_accounts", stdout=StringIO())

    assert not any(user.has_usable_password() for user in get_user_model().objects.all())


def test_each_role_gets_a_token_with_the_password_printed(api_client):
    seed()

    printed = accounts(run_demo_accounts())

    assert set(printed) == {"curator", "publisher", "SME"}
    for username, password in printed.values():
        assert token_for(api_client, username, password).startswith("opr_")


def test_the_accounts_are_the_demo_curator_a_publisher_of_a_demo_platform_and_an_sme():
    seed()

    printed = accounts(run_demo_accounts())

    users = get_user_model().objects
    curator = users.get(username=printed["curator"][0])
    publisher = users.get(username=printed["publisher"][0])
    sme = users.get(username=printed["SME"][0])
    assert (curator.username, sme.username) == (CURATOR_USERNAME, SME_USERNAME)
    assert is_curator(curator)
    assert not curator.is_superuser
    [platform] = publisher.platforms.all()
    assert publisher.username == f"{platform.slug}-publisher"
    assert not is_curator(publisher)
    assert not is_curator(sme)
    assert not sme.platforms.exists()
    assert not sme.is_staff


def test_the_curator_signs_in_to_the_admin_and_the_others_do_not(client):
    seed()
    printed = accounts(run_demo_accounts())

    for role, (username, password) in printed.items():
        client.logout()
        client.post("/admin/login/", {"username": username, "password": password})
        status = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").status_code
        assert status == (200 if role == "curator" else 302), role


def test_every_run_gives_new_random_passwords_and_the_old_ones_stop_working(api_client):
    seed()
    first = accounts(run_demo_accounts())

    second = accounts(run_demo_accounts())

    for role, (username, password) in first.items():
        assert second[role][0] == username
        assert second[role][1] != password
        assert len(second[role][1]) >= 16
        response = api_client.post(
            TOKENS, {"username": username, "password": password, "name": "old"}, format="json"
        )
        assert response.status_code == 401
    assert len({password for _, password in first.values()}) == 3


def test_the_publisher_submits_the_resource_printed_to_the_open_batch(api_client):
    seed()
    batch = Batch.objects.filter(status="open").order_by("number").first() or BatchFactory(
        status="open"
    )

    output = run_demo_accounts()

    username, password = accounts(output)["publisher"]
    submit = re.search(
        rf"curl -X POST \S+/api/v1/batches/{batch.number}/entries/ .* -d '(\{{.*\}})'", output
    )
    assert submit is not None, output
    token = token_for(api_client, username, password)
    response = api_client.post(
        f"/api/v1/batches/{batch.number}/entries/",
        submit.group(1),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "submitted"


def test_the_sme_subscribes_with_the_request_printed(api_client):
    seed()
    output = run_demo_accounts()
    username, password = accounts(output)["SME"]
    subscribe = re.search(r"curl -X POST \S+/api/v1/subscriptions/ .* -d '(\{.*\})'", output)
    assert subscribe is not None, output

    response = api_client.post(
        "/api/v1/subscriptions/",
        subscribe.group(1),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_for(api_client, username, password)}",
    )

    assert response.status_code == 201, response.content


def test_a_database_seeded_without_the_demo_users_gets_them():
    seed(no_batches=True)
    assert not get_user_model().objects.exists()

    printed = accounts(run_demo_accounts())

    assert set(printed) == {"curator", "publisher", "SME"}
    assert (
        get_user_model()
        .objects.get(username=CURATOR_USERNAME)
        .check_password(printed["curator"][1])
    )


def test_without_demo_platforms_there_is_no_publisher_and_it_says_so():
    output = run_demo_accounts()

    assert set(accounts(output)) == {"curator", "SME"}
    assert "no publisher account" in output


def test_createsuperuser_with_the_readmes_user_name_works_beside_the_demo(monkeypatch):
    seed()
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long and unusual passphrase")

    call_command(
        "createsuperuser",
        interactive=False,
        username="curator",
        email="curator@example.cn",
        stdout=StringIO(),
    )

    assert get_user_model().objects.get(username="curator").is_superuser
