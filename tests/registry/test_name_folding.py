"""One name, one account: usernames and platform slugs are compared folded (NFKC, then case).

Adding an existing account to a platform is explicit (``"existing": true``); a new member whose
name someone already holds is refused, so registering a look-alike name first does not make its
holder the platform's publisher.
"""

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from core.models import ChangeRecord
from registry.accounts import user_by_username
from registry.models import Platform
from registry.validators import fold_name
from tests.api_cases import assert_problem
from tests.factories import PlatformFactory, UserFactory, make_credit_code

pytestmark = pytest.mark.django_db

User = get_user_model()
MEMBERS = "/api/v1/platforms/platform-a/members/"
REGISTER = "/api/v1/auth/register/"
PASSWORD = "correct horse battery staple"
HOSTILE_NAMES = [
    "'; DROP TABLE auth_user; --",
    "pub\u202eA",  # right-to-left override
    "pub\u200bA",  # zero-width space
    "pub A",
]


def members(platform: Any) -> list[str]:
    return sorted(platform.members.values_list("username", flat=True))


def register(username: str, email: str = "sme@example.com") -> Any:
    body = {"username": username, "email": email, "password": PASSWORD}
    return APIClient().post(REGISTER, body, format="json")


def test_full_width_and_case_variants_fold_to_one_name():
    assert fold_name("ＰｕｂＡ") == fold_name("PubA") == fold_name("pubA") == "puba"


def test_an_account_is_found_by_any_folded_variant_of_its_username():
    pub = UserFactory(username="PubA")
    assert user_by_username("ＰｕｂＡ") == pub
    assert user_by_username("pubA") == pub
    assert user_by_username("PubB") is None


# Member creation ---------------------------------------------------------------------------------


def test_a_new_member_whose_name_an_sme_registered_first_in_other_case_is_refused(
    curator_client, platform_a
):
    assert register("XIWANG-NEWPUB", email="squatter@example.com").status_code == 201
    response = curator_client.post(
        MEMBERS, {"username": "xiwang-newpub", "email": "pub@xiwang.example.cn"}, format="json"
    )
    body = assert_problem(response, 400, attr="username")
    assert "XIWANG-NEWPUB" in body["errors"][0]["detail"]
    assert members(platform_a) == []
    assert User.objects.get(username="XIWANG-NEWPUB").email == "squatter@example.com"
    assert not ChangeRecord.objects.filter(action="member_added").exists()


def test_a_new_member_whose_name_is_a_full_width_variant_of_an_account_is_refused(
    curator_client, platform_a
):
    UserFactory(username="pubA")
    response = curator_client.post(
        MEMBERS, {"username": "ＰｕｂＡ", "email": "puba@example.com"}, format="json"
    )
    assert_problem(response, 400, attr="username")
    assert members(platform_a) == []
    assert User.objects.count() == 2  # pubA and the curator


def test_adding_an_existing_account_explicitly_shows_whose_account_it_is(
    curator_client, platform_a
):
    UserFactory(username="XIWANG-NEWPUB", email="owner@xiwang.example.cn")
    response = curator_client.post(
        MEMBERS, {"existing": True, "username": "xiwang-newpub"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["username"], body["email"]) == ("XIWANG-NEWPUB", "owner@xiwang.example.cn")
    assert members(platform_a) == ["XIWANG-NEWPUB"]


def test_adding_an_existing_account_with_an_email_is_refused_rather_than_ignoring_it(
    curator_client, platform_a
):
    UserFactory(username="zhang", email="zhang@example.com")
    response = curator_client.post(
        MEMBERS,
        {"existing": True, "username": "zhang", "email": "someone-else@example.com"},
        format="json",
    )
    assert_problem(response, 400, attr="email")
    assert members(platform_a) == []


def test_adding_an_existing_account_that_does_not_exist_is_a_400_naming_username(
    curator_client, platform_a
):
    response = curator_client.post(MEMBERS, {"existing": True, "username": "nobody"}, format="json")
    assert_problem(response, 400, attr="username")
    assert members(platform_a) == []


@pytest.mark.parametrize("username", HOSTILE_NAMES)
def test_member_creation_refuses_the_usernames_registration_refuses(
    curator_client, platform_a, username
):
    assert_problem(register(username), 400, attr="username")
    response = curator_client.post(
        MEMBERS, {"username": username, "email": "new@example.com"}, format="json"
    )
    assert_problem(response, 400, attr="username")
    assert User.objects.count() == 1  # the curator
    assert members(platform_a) == []


def test_a_full_width_new_member_name_is_stored_in_its_ascii_form(curator_client, platform_a):
    response = curator_client.post(
        MEMBERS, {"username": "ＸｉＷａｎｇ", "email": "xw@example.com"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["username"] == "XiWang"
    assert members(platform_a) == ["XiWang"]


# Registration ------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["ＰｕｂＡ", "PUBA", "puba"])
def test_registering_a_folded_variant_of_an_existing_username_is_refused(variant):
    UserFactory(username="PubA")
    assert_problem(register(variant), 400, attr="username")
    assert User.objects.count() == 1


# Platform creation -------------------------------------------------------------------------------


def test_creating_a_platform_whose_slug_differs_only_in_case_is_refused(curator_client):
    PlatformFactory(slug="yunqi")
    body = {
        "slug": "Yunqi",
        "name": "云栖另一家科技有限公司",
        "credit_code": make_credit_code(4711),
        "website": "https://yunqi2.example.cn",
        "headquarters_region": "330000",
    }
    response = curator_client.post("/api/v1/platforms/", body, format="json")
    body = assert_problem(response, 400, attr="slug")
    assert "yunqi" in body["errors"][0]["detail"]
    assert list(Platform.objects.values_list("slug", flat=True)) == ["yunqi"]
