from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from rest_framework.test import APIClient

from tests.factories import CuratorFactory, PlatformFactory, UserFactory


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def curator(db: Any) -> Any:
    return CuratorFactory(username="curator")


@pytest.fixture
def sme_user(db: Any) -> Any:
    return UserFactory(username="sme")


@pytest.fixture
def platform_a(db: Any) -> Any:
    return PlatformFactory(slug="platform-a", name="甲平台科技有限公司", name_en="Platform A")


@pytest.fixture
def platform_b(db: Any) -> Any:
    return PlatformFactory(slug="platform-b", name="乙平台科技有限公司", name_en="Platform B")


@pytest.fixture
def vocabularies() -> None:
    """The regions and industries the migrations load, for a ``transaction=True`` test:
    pytest-django runs those last, and each empties every table when it ends, vocabularies too."""
    from registry.models import Industry, Region
    from registry.vocabularies import industries, regions

    for model, terms in ((Region, regions()), (Industry, industries())):
        for term in terms:
            model.objects.get_or_create(
                code=term["code"], defaults={"name": term["name"], "name_en": term["name_en"]}
            )


@pytest.fixture
def keep_test_connection() -> Any:
    """Keeps Django from closing the test transaction's connection between in-process requests.

    Needed by tests that drive the WSGI app directly (schemathesis) on PostgreSQL, where closing
    the connection would throw away the test's transaction.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def synonyms_read(db: Any) -> None:
    """Each process reads the synonym groups once a minute, not once per request (``q``): read
    them first, so a search's query count is its own whichever test ran before."""
    from registry.search.query import synonym_groups

    synonym_groups()


@pytest.fixture(autouse=True)
def fresh_search_index() -> Any:
    """Each test searches an index of its own, in memory, that follows the change log from its
    start (the test's own writes included): nothing indexed by a test before it remains."""
    from registry.search.entities import forget_platforms
    from registry.search.index import reset_index

    reset_index()
    forget_platforms()
    yield
    reset_index()
