"""SME self-registration: a new account with no roles, strict about its username and password."""

import pytest
from django.contrib.auth import get_user_model

from tests.api_cases import assert_problem
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"
User = get_user_model()


def register(client, **fields):
    body = {
        "username": "lanhai-tech",
        "email": "dev@lanhai.example.cn",
        "password": "correct horse battery staple",
        **fields,
    }
    return client.post(REGISTER, {k: v for k, v in body.items() if v is not None}, format="json")


def test_registration_creates_an_account_and_answers_without_the_password(api_client):
    response = register(api_client)
    assert response.status_code == 201
    assert response.json() == {"username": "lanhai-tech", "email": "dev@lanhai.example.cn"}
    assert "correct horse" not in response.content.decode()
    user = User.objects.get(username="lanhai-tech")
    assert user.check_password("correct horse battery staple")
    assert user.is_active
    assert not user.is_staff
    assert not user.is_superuser
    assert not user.groups.exists()
    assert not user.platforms.exists()


def test_a_registered_user_can_request_a_token_and_use_it(api_client):
    register(api_client)
    issued = api_client.post(
        "/api/v1/auth/tokens/",
        {
            "username": "lanhai-tech",
            "password": "correct horse battery staple",
            "name": "first",
        },
        format="json",
    )
    assert issued.status_code == 201
    listed = api_client.get(
        "/api/v1/auth/tokens/", HTTP_AUTHORIZATION=f"Bearer {issued.json()['token']}"
    )
    assert listed.status_code == 200


@pytest.mark.parametrize(
    "password",
    [
        "short1!",  # too short
        "password123",  # too common
        "3141592653589793",  # all digits
        "lanhai-tech-1",  # too like the username
    ],
)
def test_a_weak_password_is_a_400_naming_password(api_client, password):
    response = register(api_client, password=password)
    body = assert_problem(response, 400, attr="password")
    assert all(error["attr"] == "password" for error in body["errors"])
    assert not User.objects.filter(username="lanhai-tech").exists()


def test_the_password_rules_explain_themselves(api_client):
    body = assert_problem(register(api_client, password="1234"), 400, attr="password")
    codes = {error["code"] for error in body["errors"]}
    assert {"password_too_short", "password_entirely_numeric"} <= codes


def test_a_username_taken_in_another_case_is_a_400_naming_username(api_client):
    UserFactory(username="alice")
    response = register(api_client, username="Alice")
    assert_problem(response, 400, attr="username")
    assert User.objects.filter(username__iexact="alice").count() == 1


def test_a_taken_username_is_a_400_naming_username(api_client):
    UserFactory(username="lanhai-tech")
    assert_problem(register(api_client), 400, attr="username")


def test_a_username_with_spaces_is_a_400_naming_username(api_client):
    assert_problem(register(api_client, username="lan hai"), 400, attr="username")


def test_a_missing_email_is_a_400_naming_email(api_client):
    assert_problem(register(api_client, email=None), 400, attr="email")


def test_an_invalid_email_is_a_400_naming_email(api_client):
    assert_problem(register(api_client, email="not-an-address"), 400, attr="email")


def test_a_request_to_be_staff_is_a_400_and_creates_no_one(api_client):
    response = register(api_client, is_staff=True)
    assert_problem(response, 400, attr="is_staff")
    assert not User.objects.filter(username="lanhai-tech").exists()


def test_a_signed_in_user_may_register_another_account(api_client, sme_user):
    api_client.force_authenticate(sme_user)
    assert register(api_client).status_code == 201


def test_a_username_registered_concurrently_is_a_400_not_a_500(api_client, monkeypatch):
    # Both requests passed the check before either wrote: the database's constraint decides.
    UserFactory(username="lanhai-tech")
    monkeypatch.setattr("registry.accounts.username_taken", lambda username: False)
    monkeypatch.setattr("registry.api.auth_serializers.username_taken", lambda username: False)
    assert_problem(register(api_client), 400, attr="username")
