"""Anonymous reads of the API may be kept by anyone for a while; signed-in reads only by their
client, which revalidates them; errors and writes carry no caching header of ours."""

import pytest

from registry.tokens import token_issue
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def test_an_anonymous_list_may_be_kept_by_anyone_for_thirty_seconds(api_client):
    response = api_client.get("/api/v1/resources/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=30"
    vary = {name.strip() for name in response["Vary"].split(",")}
    assert {"Accept", "Accept-Language", "Authorization", "Cookie"} <= vary


def test_the_time_comes_from_the_settings(api_client, settings):
    settings.PUBLIC_CACHE_SECONDS = 5
    assert api_client.get("/api/v1/regions/")["Cache-Control"] == "public, max-age=5"


def test_a_revalidated_read_answers_304_with_the_same_caching(api_client):
    resource = ResourceFactory()
    first = api_client.get(f"/api/v1/resources/{resource.pk}/")
    again = api_client.get(f"/api/v1/resources/{resource.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["Cache-Control"] == "public, max-age=30"


def test_a_signed_in_read_is_kept_only_by_its_client_which_revalidates_it(api_client, curator):
    api_client.force_login(curator)
    response = api_client.get("/api/v1/resources/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"


def test_a_read_with_a_bearer_token_is_private(api_client, sme_user):
    issued = token_issue(user=sme_user, name="portal")
    response = api_client.get("/api/v1/resources/", HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"


def test_errors_and_writes_carry_no_public_caching(api_client):
    assert not api_client.get("/api/v1/resources/", {"bogus": "1"}).has_header("Cache-Control")
    write = api_client.post("/api/v1/resources/", {}, format="json")
    assert write.status_code in (401, 403)
    assert "public" not in write.get("Cache-Control", "")
