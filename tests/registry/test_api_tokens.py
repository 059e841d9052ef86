"""API tokens: issued once, stored as a digest, listed without the secret, expiring, revocable."""

import hashlib
import importlib
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, clear_url_caches, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from registry.models import ApiToken
from registry.tokens import token_issue
from tests.api_cases import assert_problem, rows
from tests.factories import UserFactory


@pytest.fixture
def api_client():
    """A client reading English: these tests check the wording of refusals."""
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


pytestmark = pytest.mark.django_db

TOKENS = "/api/v1/auth/tokens/"
PASSWORD = "correct horse battery staple"  # UserFactory's


def request_token(client, username="sme", password=PASSWORD, **extra):
    return client.post(
        TOKENS, {"username": username, "password": password, "name": "ERP", **extra}, format="json"
    )


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def issued(api_client, sme_user):
    response = request_token(api_client)
    assert response.status_code == 201, response.content
    return response.json()


# Issuing


def test_valid_credentials_get_a_token_shown_with_its_prefix(api_client, sme_user):
    response = request_token(api_client)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "name", "token", "prefix", "created_at", "expires_at"}
    assert body["token"].startswith("opr_")
    assert len(body["token"]) == len("opr_") + 43
    assert body["prefix"] == body["token"][4:12]
    assert body["name"] == "ERP"
    assert response["Cache-Control"] == "no-store"


def test_a_token_expires_after_30_days_by_default(issued):
    created = parse_datetime(issued["created_at"])
    expires = parse_datetime(issued["expires_at"])
    assert expires - created == timedelta(days=30)


def test_lifetime_days_sets_the_expiry(api_client, sme_user):
    body = request_token(api_client, lifetime_days=365).json()
    lifetime = parse_datetime(body["expires_at"]) - parse_datetime(body["created_at"])
    assert lifetime == timedelta(days=365)


@pytest.mark.parametrize("lifetime", [0, -1, 366, "thirty", True, None, 1.5])
def test_a_lifetime_outside_1_to_365_days_is_a_400_naming_it(api_client, sme_user, lifetime):
    response = request_token(api_client, lifetime_days=lifetime)
    assert_problem(response, 400, attr="lifetime_days")
    assert not ApiToken.objects.exists()


def test_a_token_request_without_a_name_is_a_400_naming_it(api_client, sme_user):
    response = api_client.post(TOKENS, {"username": "sme", "password": PASSWORD}, format="json")
    assert_problem(response, 400, attr="name")


def test_an_unknown_field_in_a_token_request_is_a_400_naming_it(api_client, sme_user):
    response = request_token(api_client, scopes=["admin"])
    assert_problem(response, 400, attr="scopes")


def test_the_database_holds_only_the_digest_and_prefix_of_a_token(issued):
    row = ApiToken.objects.filter(pk=issued["id"]).values().get()
    secret = issued["token"]
    for column, value in row.items():
        assert secret not in str(value), column
        assert secret[4:] not in str(value), column
    assert row["digest"] == hashlib.sha256(secret.encode()).hexdigest()
    assert row["prefix"] == secret[4:12]


def test_a_wrong_password_is_a_401_problem_with_a_bearer_challenge(api_client, sme_user):
    response = request_token(api_client, password="wrong password")
    body = assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith('Bearer realm="api"')
    assert body["type"] == "/api/problems/not-authenticated"
    assert not ApiToken.objects.exists()


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(api_client, sme_user):
    wrong_password = assert_problem(request_token(api_client, password="nope nope nope"), 401)
    unknown_user = assert_problem(request_token(api_client, username="nobody"), 401)
    assert wrong_password["detail"] == unknown_user["detail"]


def test_an_inactive_user_gets_no_token(api_client):
    UserFactory(username="gone", is_active=False)
    response = request_token(api_client, username="gone")
    assert_problem(response, 401)
    assert not ApiToken.objects.exists()


# Using


def test_a_token_authenticates_requests(api_client, issued):
    response = api_client.get(TOKENS, **bearer(issued["token"]))
    assert [item["id"] for item in rows(response)] == [issued["id"]]


def test_an_anonymous_list_of_tokens_is_a_401_with_a_bearer_challenge(api_client):
    response = api_client.get(TOKENS)
    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_session_also_authenticates(api_client, sme_user, issued):
    api_client.force_login(sme_user)
    assert [item["id"] for item in rows(api_client.get(TOKENS))] == [issued["id"]]


def test_the_list_shows_only_own_tokens_newest_first_and_never_the_secret(api_client, sme_user):
    other = UserFactory(username="other")
    first = token_issue(user=sme_user, name="first")
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        second = token_issue(user=sme_user, name="second")
    theirs = token_issue(user=other, name="theirs")

    response = api_client.get(TOKENS, **bearer(first.secret))
    items = rows(response)
    assert [item["id"] for item in items] == [second.token.pk, first.token.pk]
    assert set(items[0]) == {
        "id",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked",
    }
    content = response.content.decode()
    for issued in (first, second, theirs):
        assert issued.secret not in content
        assert issued.token.digest not in content
    assert str(theirs.token.prefix) not in content


def test_the_list_is_cursor_paginated(api_client, sme_user):
    tokens = [token_issue(user=sme_user, name=f"t{n}") for n in range(3)]
    response = api_client.get(TOKENS, {"page_size": 2}, **bearer(tokens[0].secret))
    assert len(rows(response)) == 2
    following = api_client.get(response.json()["next"], **bearer(tokens[0].secret))
    assert len(rows(following)) == 1


def test_an_unknown_query_parameter_on_the_list_is_a_400_naming_it(api_client, issued):
    response = api_client.get(TOKENS, {"colour": "blue"}, **bearer(issued["token"]))
    assert_problem(response, 400, attr="colour")


def test_the_detail_shows_an_own_token(api_client, issued):
    response = api_client.get(f"{TOKENS}{issued['id']}/", **bearer(issued["token"]))
    assert response.status_code == 200
    assert response.json()["prefix"] == issued["prefix"]
    assert "token" not in response.json()


def test_someone_elses_token_is_a_404_to_read_and_to_revoke(api_client, issued):
    other = token_issue(user=UserFactory(username="other"), name="theirs")
    url = f"{TOKENS}{other.token.pk}/"
    assert_problem(api_client.get(url, **bearer(issued["token"])), 404)
    assert_problem(api_client.delete(url, **bearer(issued["token"])), 404)
    other.token.refresh_from_db()
    assert other.token.revoked_at is None


def test_a_curator_sees_only_their_own_tokens_too(api_client, curator, issued):
    own = token_issue(user=curator, name="mine")
    response = api_client.get(f"{TOKENS}{issued['id']}/", **bearer(own.secret))
    assert_problem(response, 404)


def test_the_api_root_links_to_the_tokens(api_client):
    assert api_client.get("/api/v1/").json()["auth_tokens"].endswith(TOKENS)


# Expiry and revocation


def test_an_expired_token_is_refused(api_client, issued):
    with time_machine.travel(timezone.now() + timedelta(days=30, seconds=1)):
        response = api_client.get(TOKENS, **bearer(issued["token"]))
    body = assert_problem(response, 401)
    assert "expired" in body["detail"]
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_a_token_works_until_it_expires(api_client, issued):
    with time_machine.travel(timezone.now() + timedelta(days=29, hours=23)):
        assert api_client.get(TOKENS, **bearer(issued["token"])).status_code == 200


def test_revocation_takes_effect_at_once(api_client, sme_user, issued):
    spare = token_issue(user=sme_user, name="spare")
    url = f"{TOKENS}{issued['id']}/"
    assert api_client.get(TOKENS, **bearer(issued["token"])).status_code == 200

    assert api_client.delete(url, **bearer(issued["token"])).status_code == 204

    body = assert_problem(api_client.get(TOKENS, **bearer(issued["token"])), 401)
    assert "revoked" in body["detail"]
    listed = {item["id"]: item for item in rows(api_client.get(TOKENS, **bearer(spare.secret)))}
    assert listed[issued["id"]]["revoked"] is True
    assert listed[spare.token.pk]["revoked"] is False


def test_revoking_a_revoked_token_is_a_204_and_keeps_the_first_revocation_time(
    api_client, sme_user, issued
):
    spare = token_issue(user=sme_user, name="spare")
    url = f"{TOKENS}{issued['id']}/"
    assert api_client.delete(url, **bearer(spare.secret)).status_code == 204
    first = ApiToken.objects.get(pk=issued["id"]).revoked_at
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert api_client.delete(url, **bearer(spare.secret)).status_code == 204
    assert ApiToken.objects.get(pk=issued["id"]).revoked_at == first


def test_a_token_of_a_deactivated_user_is_refused(api_client, sme_user, issued):
    sme_user.is_active = False
    sme_user.save()
    body = assert_problem(api_client.get(TOKENS, **bearer(issued["token"])), 401)
    assert "disabled" in body["detail"]


# last_used_at


def test_last_used_at_is_written_at_most_once_a_minute(api_client, issued):
    token = ApiToken.objects.get(pk=issued["id"])
    assert token.last_used_at is None
    start = timezone.now()

    def use(at):
        with (
            time_machine.travel(at, tick=False),
            CaptureQueriesContext(connection) as queries,
        ):
            assert api_client.get(TOKENS, **bearer(issued["token"])).status_code == 200
        updates = [q["sql"] for q in queries if q["sql"].upper().startswith("UPDATE")]
        token.refresh_from_db()
        return updates

    updates = use(start)
    assert token.last_used_at == start
    assert len(updates) == 1
    assert "last_used_at" in updates[0]
    assert '"name"' not in updates[0]  # one column, not a save of the whole row

    assert use(start + timedelta(seconds=59)) == []
    assert token.last_used_at == start

    assert len(use(start + timedelta(seconds=61))) == 1
    assert token.last_used_at == start + timedelta(seconds=61)


# Admin


@pytest.fixture
def token_admin():
    """The token admin, registered (registry/admin.py imports registry.admin_tokens).

    Until it does, the test registers it and rebuilds the URLs, which the admin lists only once.
    """
    try:
        reverse("admin:registry_apitoken_changelist")
    except NoReverseMatch:
        import config.urls
        from registry import admin_tokens  # noqa: F401  (registers the ModelAdmin)

        importlib.reload(config.urls)
        clear_url_caches()


@pytest.mark.usefixtures("token_admin")
def test_the_admin_lists_tokens_without_their_digest(client, curator, issued):
    client.force_login(curator)
    token = ApiToken.objects.get(pk=issued["id"])
    listing = client.get("/admin/registry/apitoken/", {"q": "sme"})
    assert listing.status_code == 200
    assert token.prefix in listing.content.decode()
    detail = client.get(f"/admin/registry/apitoken/{token.pk}/change/")
    for page in (listing, detail):
        assert token.digest not in page.content.decode()
        assert issued["token"] not in page.content.decode()


@pytest.mark.usefixtures("token_admin")
def test_the_admin_cannot_create_tokens(client, curator):
    client.force_login(curator)
    assert client.get("/admin/registry/apitoken/add/").status_code == 403


@pytest.mark.usefixtures("token_admin")
def test_the_admin_action_revokes_the_selected_tokens(api_client, client, curator, issued):
    client.force_login(curator)
    response = client.post(
        "/admin/registry/apitoken/",
        {"action": "revoke_tokens", "_selected_action": [issued["id"]]},
    )
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=issued["id"]).revoked
    assert_problem(api_client.get(TOKENS, **bearer(issued["token"])), 401)
