"""A platform's publishers: curators add existing users or create new ones, and remove them.

``POST /api/v1/platforms/{slug}/members/`` takes ``{"username", "email", "password"?}`` to create
a user (without a password they get a one-time password, shown once) and
``{"existing": true, "username"}`` to add an existing account. ``DELETE .../members/{username}/``
removes a publisher, who from then on is a stranger to the platform's private objects.
"""

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from core.audit import history_of
from core.models import ChangeRecord
from tests.api_cases import assert_problem, rows, signed_in
from tests.factories import VALID_ATTRIBUTES, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/platforms/platform-a/members/"
User = get_user_model()


def members(platform: Any) -> list[str]:
    return sorted(platform.members.values_list("username", flat=True))


# Adding ------------------------------------------------------------------------------------------


def test_a_curator_adds_an_existing_user(curator_client, platform_a):
    UserFactory(username="zhang", email="zhang@example.com")
    response = curator_client.post(URL, {"existing": True, "username": "zhang"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["username"], body["email"]) == ("zhang", "zhang@example.com")
    assert "one_time_password" not in body
    assert "password" not in body
    assert members(platform_a) == ["zhang"]


def test_an_existing_user_is_found_whatever_the_case_of_the_username(curator_client, platform_a):
    UserFactory(username="zhang")
    response = curator_client.post(URL, {"existing": True, "username": "ZHANG"}, format="json")
    assert response.status_code == 201
    assert members(platform_a) == ["zhang"]
    assert User.objects.filter(username__iexact="zhang").count() == 1


def test_adding_a_member_twice_changes_nothing_the_second_time(curator_client, platform_a):
    UserFactory(username="zhang")
    for _ in range(2):
        body = {"existing": True, "username": "zhang"}
        assert curator_client.post(URL, body, format="json").status_code == 201
    assert members(platform_a) == ["zhang"]
    assert [record.action for record in history_of(platform_a)] == ["member_added"]


def test_a_new_user_gets_a_one_time_password_shown_once_that_signs_them_in(
    curator_client, platform_a
):
    response = curator_client.post(
        URL, {"username": "newbie", "email": "newbie@example.com"}, format="json"
    )
    assert response.status_code == 201, response.content
    password = response.json()["one_time_password"]
    assert len(password) >= 12

    user = User.objects.get(username="newbie")
    assert (user.email, user.is_staff, user.is_superuser) == ("newbie@example.com", False, False)
    assert password not in user.password  # stored as a hash only
    assert members(platform_a) == ["newbie"]
    assert Client().login(username="newbie", password=password)

    listed = rows(curator_client.get(URL))
    assert [item["username"] for item in listed] == ["newbie"]
    assert "one_time_password" not in listed[0]
    assert password not in curator_client.get(URL).content.decode()
    assert password not in str(list(ChangeRecord.objects.values_list("changes", flat=True)))


def test_each_new_user_gets_a_different_one_time_password(curator_client, platform_a):
    passwords = {
        curator_client.post(
            URL, {"username": name, "email": f"{name}@example.com"}, format="json"
        ).json()["one_time_password"]
        for name in ("one", "two")
    }
    assert len(passwords) == 2


def test_a_new_user_with_a_chosen_password_gets_no_one_time_password(curator_client, platform_a):
    password = "a long and unusual passphrase 42"
    response = curator_client.post(
        URL,
        {"username": "chosen", "email": "chosen@example.com", "password": password},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert "one_time_password" not in response.json()
    assert "password" not in response.json()
    assert Client().login(username="chosen", password=password)
    assert members(platform_a) == ["chosen"]


@pytest.mark.parametrize("password", ["123", "password", "12345678901", "weakling1"])
def test_a_weak_password_is_a_400_naming_password_and_creates_no_one(
    curator_client, platform_a, password
):
    response = curator_client.post(
        URL,
        {"username": "weakling1", "email": "weakling1@example.com", "password": password},
        format="json",
    )
    assert_problem(response, 400, attr="password")
    assert not User.objects.filter(username="weakling1").exists()
    assert members(platform_a) == []
    assert not ChangeRecord.objects.exists()


def test_an_existing_user_with_a_password_is_a_400_and_keeps_their_own(curator_client, platform_a):
    zhang = UserFactory(username="zhang")
    response = curator_client.post(
        URL,
        {"existing": True, "username": "zhang", "password": "a long and unusual passphrase 42"},
        format="json",
    )
    assert_problem(response, 400, attr="password")
    zhang.refresh_from_db()
    assert zhang.check_password("correct horse battery staple")
    assert members(platform_a) == []


@pytest.mark.parametrize(
    ("body", "attr"),
    [
        ({"username": "newbie"}, "email"),
        ({"username": "newbie", "email": "not-an-email"}, "email"),
        ({"email": "newbie@example.com"}, "username"),
        ({"username": ""}, "username"),
    ],
)
def test_a_new_user_needs_a_username_and_an_email(curator_client, platform_a, body, attr):
    assert_problem(curator_client.post(URL, body, format="json"), 400, attr=attr)
    assert not User.objects.filter(username="newbie").exists()
    assert members(platform_a) == []


def test_members_are_added_to_one_platform_only(curator_client, platform_a, platform_b):
    UserFactory(username="zhang")
    curator_client.post(URL, {"existing": True, "username": "zhang"}, format="json")
    assert members(platform_a) == ["zhang"]
    assert members(platform_b) == []


def test_a_member_of_an_unknown_platform_is_a_404(curator_client):
    response = curator_client.post(
        "/api/v1/platforms/no-such-platform/members/", {"username": "x"}, format="json"
    )
    assert_problem(response, 404)


# Listing -----------------------------------------------------------------------------------------


def test_the_members_are_listed_by_username_to_the_platforms_own_publishers(platform_a):
    for name in ("wang", "li", "zhao"):
        platform_a.members.add(UserFactory(username=name))
    listed = rows(signed_in(platform_a.members.get(username="li")).get(URL))
    assert [item["username"] for item in listed] == ["li", "wang", "zhao"]
    assert set(listed[0]) == {"username", "email", "date_joined"}


# Removing ----------------------------------------------------------------------------------------


def test_a_removed_publisher_can_no_longer_write_for_the_platform(curator_client, platform_a):
    former = UserFactory(username="former")
    platform_a.members.add(former)
    active = ResourceFactory(platform=platform_a)
    name = active.name
    draft = ResourceFactory(platform=platform_a, status="draft")
    client = signed_in(former)
    assert client.get(f"/api/v1/resources/{draft.pk}/").status_code == 200  # still a member

    assert curator_client.delete(f"{URL}former/").status_code == 204
    assert members(platform_a) == []
    assert User.objects.filter(username="former").exists()  # the account stays

    if_match = {"If-Match": '"1"'}
    assert_problem(
        client.patch("/api/v1/platforms/platform-a/", {"description": "x"}, format="json"), 403
    )
    assert_problem(
        client.patch(
            f"/api/v1/resources/{active.pk}/", {"name": "x"}, format="json", headers=if_match
        ),
        403,
    )
    assert_problem(
        client.post(f"/api/v1/resources/{active.pk}/withdraw/", {"reason": "x"}, format="json"),
        403,
    )
    assert_problem(client.get(f"/api/v1/resources/{draft.pk}/"), 404)
    assert_problem(
        client.patch(
            f"/api/v1/resources/{draft.pk}/", {"name": "x"}, format="json", headers=if_match
        ),
        404,
    )
    body = {
        "platform": "platform-a",
        "resource_type": "compute",
        "name": "x",
        "access_model": "open",
        "attributes": VALID_ATTRIBUTES["compute"],
    }
    assert_problem(client.post("/api/v1/resources/", body, format="json"), 403)
    assert_problem(client.get(URL), 403)
    active.refresh_from_db()
    assert (active.name, active.status, active.version) == (name, "active", 1)


def test_removing_a_member_of_several_platforms_keeps_the_others(
    curator_client, platform_a, platform_b
):
    both = UserFactory(username="both")
    platform_a.members.add(both)
    platform_b.members.add(both)
    assert curator_client.delete(f"{URL}both/").status_code == 204
    assert (members(platform_a), members(platform_b)) == ([], ["both"])


@pytest.mark.parametrize("username", ["sme", "nobody"])
def test_removing_someone_who_is_not_a_member_is_a_404(
    curator_client, platform_a, sme_user, username
):
    platform_a.members.add(UserFactory(username="member"))
    response = curator_client.delete(f"{URL}{username}/")
    assert_problem(response, 404)
    assert members(platform_a) == ["member"]
    assert not ChangeRecord.objects.exists()


def test_a_member_of_another_platform_cannot_be_removed_from_this_one(
    curator_client, platform_a, platform_b
):
    platform_b.members.add(UserFactory(username="other"))
    assert_problem(curator_client.delete(f"{URL}other/"), 404)
    assert members(platform_b) == ["other"]
