import pytest

from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def test_an_active_resource_is_listed(api_client):
    resource = ResourceFactory(name="GPU算力券")
    response = api_client.get("/api/v1/resources/")
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [str(resource.id)]
