"""Every detail GET carries an ETag; If-None-Match with it answers 304 (DESIGN §5)."""

import pytest

from registry import services
from registry.models import Industry, Platform, Region
from tests.factories import PlatformFactory, ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def resource(platform_a):
    return ResourceFactory(platform=platform_a)


def detail_urls(resource) -> dict[str, str]:
    return {
        "platform": f"/api/v1/platforms/{resource.platform.slug}/",
        "resource": f"/api/v1/resources/{resource.id}/",
        "resource type": "/api/v1/resource-types/compute/",
        "region": "/api/v1/regions/440000/",
        "industry": "/api/v1/industries/I/",
    }


@pytest.mark.parametrize("kind", ["platform", "resource", "resource type", "region", "industry"])
def test_a_detail_carries_an_etag_and_if_none_match_answers_304(api_client, resource, kind):
    url = detail_urls(resource)[kind]
    response = api_client.get(url)
    assert response.status_code == 200
    etag = response["ETag"]
    assert etag.startswith(('"', 'W/"'))
    again = api_client.get(url)
    assert again["ETag"] == etag  # the same answer has the same tag
    cached = api_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert cached.status_code == 304
    assert cached.content == b""
    assert cached["ETag"] == etag


@pytest.mark.parametrize("kind", ["platform", "resource", "region"])
def test_a_stale_etag_gets_the_full_answer(api_client, resource, kind):
    url = detail_urls(resource)[kind]
    response = api_client.get(url, HTTP_IF_NONE_MATCH='"not-the-current-tag"')
    assert response.status_code == 200
    assert response.json()


def test_a_changed_resource_gets_a_different_etag(api_client, resource):
    url = f"/api/v1/resources/{resource.id}/"
    before = api_client.get(url)["ETag"]
    services.resource_update(
        actor=None, resource_id=resource.pk, data={"name": "改名后的资源"}, if_match=None
    )
    after = api_client.get(url)
    assert after["ETag"] != before
    assert api_client.get(url, HTTP_IF_NONE_MATCH=before).status_code == 200
    assert api_client.get(url, HTTP_IF_NONE_MATCH=after["ETag"]).status_code == 304


def test_a_changed_platform_gets_a_different_etag(api_client):
    platform = PlatformFactory(slug="etag-platform")
    url = "/api/v1/platforms/etag-platform/"
    before = api_client.get(url)["ETag"]
    Platform.objects.filter(pk=platform.pk).update(name_en="Renamed")
    assert api_client.get(url)["ETag"] != before


def test_renaming_a_platform_changes_the_etag_of_every_resource_it_embeds(api_client, curator):
    platform = PlatformFactory(slug="renamed-platform", name="旧名")
    other = ResourceFactory()
    resources = [ResourceFactory(platform=platform) for _ in range(3)]
    urls = [f"/api/v1/resources/{resource.id}/" for resource in resources]
    before = {url: api_client.get(url)["ETag"] for url in urls}
    other_url = f"/api/v1/resources/{other.id}/"
    other_before = api_client.get(other_url)["ETag"]

    services.platform_update(actor=curator, platform_id=platform.pk, data={"name": "新名"})

    for url in urls:
        after = api_client.get(url, HTTP_IF_NONE_MATCH=before[url])
        assert after.status_code == 200, url  # not a 304: the embedded name changed
        assert after.json()["platform"]["name"] == "新名"
        assert after["ETag"] != before[url]
        assert after.json()["version"] == 1  # though the resource's own version did not
        assert after["ETag"].startswith('"1.')
    assert api_client.get(other_url, HTTP_IF_NONE_MATCH=other_before).status_code == 304


def test_a_platform_etag_changes_when_its_resource_count_does(api_client, platform_a):
    url = "/api/v1/platforms/platform-a/"
    before = api_client.get(url)["ETag"]
    ResourceFactory(platform=platform_a)
    after = api_client.get(url)
    assert after.json()["resource_count"] == 1
    assert after["ETag"] != before


@pytest.mark.parametrize(
    ("model", "key", "url"),
    [
        (Region, "440000", "/api/v1/regions/440000/"),
        (Industry, "I", "/api/v1/industries/I/"),
    ],
)
def test_a_changed_vocabulary_term_gets_a_different_etag(api_client, model, key, url):
    before = api_client.get(url)["ETag"]
    model.objects.filter(pk=key).update(name_en="Renamed")
    assert api_client.get(url)["ETag"] != before


@pytest.mark.parametrize(
    "url", ["/api/v1/resources/", "/api/v1/platforms/", "/api/v1/regions/", "/api/v1/"]
)
def test_lists_carry_an_etag_too(api_client, resource, url):
    etag = api_client.get(url)["ETag"]
    assert api_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_problem_is_never_answered_with_304(api_client):
    missing = "/api/v1/platforms/no-such-platform/"
    etag = api_client.get(missing).get("ETag")
    response = api_client.get(missing, HTTP_IF_NONE_MATCH=etag or "*")
    assert response.status_code == 404
