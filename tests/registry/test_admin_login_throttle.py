"""The admin's sign-in is rate-limited per client address at THROTTLE_AUTH, like the token
endpoint: password guessing there stops at the same rate."""

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import CuratorFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def auth_rate(settings):
    settings.THROTTLING_ENABLED = True
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "auth": "10/min",
        },
    }
    cache.clear()
    yield
    cache.clear()


def sign_in(client: Client, password: str, address: str = "203.0.113.7"):
    body = {"username": "curator", "password": password, "next": "/admin/"}
    return client.post(LOGIN, body, REMOTE_ADDR=address)


def test_guessing_admin_passwords_is_stopped_at_the_auth_rate_with_a_429(auth_rate):
    CuratorFactory(username="curator")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")  # the refusal is asserted in English
    statuses = [sign_in(client, f"wrong guess {n}").status_code for n in range(25)]
    assert statuses[:10] == [200] * 10  # the form again, with "please enter a correct …"
    assert set(statuses[10:]) == {429}

    right = sign_in(client, PASSWORD)
    assert right.status_code == 429
    assert int(right["Retry-After"]) >= 1
    assert "Too many sign-in attempts" in right.content.decode()
    assert 'name="password"' in right.content.decode()  # the sign-in form, with the error
    assert "_auth_user_id" not in client.session


def test_another_address_can_still_sign_in_to_the_admin(auth_rate):
    CuratorFactory(username="curator")
    for n in range(11):
        sign_in(Client(), f"wrong guess {n}")
    response = sign_in(Client(), PASSWORD, address="198.51.100.9")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_showing_the_admin_sign_in_form_is_not_counted(auth_rate):
    CuratorFactory(username="curator")
    client = Client()
    for _ in range(15):
        assert client.get(LOGIN).status_code == 200
    assert sign_in(client, PASSWORD).status_code == 302
