"""Bearer authentication: what the Authorization header may hold, and where a token may not be."""

import pytest
from rest_framework.test import APIClient

from registry.tokens import token_revoke
from tests.api_cases import assert_problem


@pytest.fixture
def api_client():
    """A client reading English: these tests check the wording of refusals."""
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


pytestmark = pytest.mark.django_db

PUBLIC = "/api/v1/platforms/"
PRIVATE = "/api/v1/auth/tokens/"


@pytest.mark.parametrize("param", ["access_token", "token", "api_key"])
def test_a_token_in_the_query_string_is_refused_even_on_a_public_endpoint(
    api_client, sme_token, param
):
    response = api_client.get(PUBLIC, {param: sme_token.secret})
    body = assert_problem(response, 401)
    assert "Authorization header" in body["detail"]
    assert param in body["detail"]
    assert response["WWW-Authenticate"].startswith('Bearer realm="api"')


def test_the_query_string_token_is_refused_before_unknown_parameters_are(api_client):
    # access_token is no parameter of the list either: the leak is what the client must hear of.
    response = api_client.get(PUBLIC, {"access_token": "x", "colour": "blue"})
    assert_problem(response, 401)


def test_a_query_string_token_is_refused_alongside_a_valid_header(api_client, sme_token):
    response = api_client.get(
        PRIVATE, {"token": sme_token.secret}, HTTP_AUTHORIZATION=f"Bearer {sme_token.secret}"
    )
    assert_problem(response, 401)


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Bearer a b",
        "Bearer not-a-token",
        "Bearer opr_tooshort",
        "Bearer opr_" + "a" * 42 + "!",
        "Bearer opr_" + "a" * 44,
        "Bearer opr_" + "é" * 43,
    ],
)
def test_a_malformed_bearer_header_is_a_401_problem(api_client, header):
    response = api_client.get(PUBLIC, HTTP_AUTHORIZATION=header)
    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith('Bearer realm="api", error=')


def test_a_token_without_the_bearer_keyword_is_refused(api_client, sme_token):
    response = api_client.get(PUBLIC, HTTP_AUTHORIZATION=sme_token.secret)
    body = assert_problem(response, 401)
    assert "Bearer" in body["detail"]


def test_an_unknown_well_formed_token_is_a_401_not_an_anonymous_request(api_client):
    response = api_client.get(PUBLIC, HTTP_AUTHORIZATION="Bearer opr_" + "A" * 43)
    assert_problem(response, 401)
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_a_revoked_token_is_refused_on_a_public_endpoint_too(api_client, sme_token):
    token_revoke(token=sme_token.token)
    assert_problem(api_client.get(PUBLIC, HTTP_AUTHORIZATION=f"Bearer {sme_token.secret}"), 401)


def test_the_bearer_keyword_is_case_insensitive(api_client, sme_token):
    response = api_client.get(PRIVATE, HTTP_AUTHORIZATION=f"bearer {sme_token.secret}")
    assert response.status_code == 200


def test_another_authorization_scheme_is_left_alone(api_client):
    # e.g. the Basic credentials of a proxy in front of a staging site
    response = api_client.get(PUBLIC, HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    assert response.status_code == 200


def test_a_request_without_credentials_is_challenged_with_bearer(api_client):
    response = api_client.get(PRIVATE)
    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_the_openapi_document_describes_the_bearer_scheme(api_client):
    document = api_client.get("/api/schema/?format=json").json()
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert scheme["type"] == "http"
    assert scheme["scheme"] == "bearer"
    tokens = document["paths"]["/api/v1/auth/tokens/"]
    assert {"bearerAuth": []} in tokens["get"]["security"]
    assert tokens["post"]["security"] == [{}]  # credentials go in the body
