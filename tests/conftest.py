from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from rest_framework.test import APIClient

from tests.api_cases import signed_in
from tests.factories import CuratorFactory, PlatformFactory, UserFactory

T = TypeVar("T")


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def curator(db: Any) -> Any:
    return CuratorFactory(username="curator")


@pytest.fixture
def curator_client(curator: Any) -> APIClient:
    return signed_in(curator)


@pytest.fixture
def admin_client(client: Any, curator: Any) -> Any:
    """The curator signed in to the admin, which answers in English (the tests assert its
    messages and labels); unlike pytest-django's, not a superuser."""
    client.force_login(curator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def sme_user(db: Any) -> Any:
    return UserFactory(username="sme")


@pytest.fixture
def sme_token(sme_user: Any) -> Any:
    """An API token of the SME user, as issued (``.token``, the row; ``.secret``, the bearer)."""
    from registry.tokens import token_issue

    return token_issue(user=sme_user, name="sme")


@pytest.fixture
def publisher(platform_a: Any) -> Any:
    """A member of platform A: the one who writes its resources."""
    user = UserFactory(username="publisher")
    platform_a.members.add(user)
    return user


@pytest.fixture
def writer(publisher: Any) -> APIClient:
    return signed_in(publisher)


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


@pytest.fixture(scope="module")
def module_db(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Callable[..., Any]]:
    """Writes data once for every test of a module (the demo: seconds to write), as
    ``module_db(write, *args)`` in a module-scoped fixture.

    The writes go into a transaction held open for the module. Each test of the module
    (``django_db``, never ``transaction=True``) runs in a savepoint inside it, as usual, so it finds
    them as they were written whatever the tests before it did; when the module ends the
    transaction is rolled back, on SQLite and PostgreSQL alike, and the next module starts from the
    empty database. The search index in memory, new for each test (``fresh_search_index``), reads
    the change log from its start, these writes included: it holds what the database holds.

    A module using it holds only tests that want its data: a test that needs an empty database
    goes to a module of its own, since the data is there from the first test that asks for it.
    """
    with django_db_blocker.unblock():
        held = transaction.atomic()
        held.__enter__()

    def write(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        with django_db_blocker.unblock():
            return function(*args, **kwargs)

    try:
        yield write
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            held.__exit__(None, None, None)


@pytest.fixture
def throttling(settings: Any) -> Iterator[Callable[..., None]]:
    """Turns rate limits on (the test settings turn them off), with empty counts; returns a
    function that sets rates: ``throttling(anon="3/min")``."""
    settings.THROTTLING_ENABLED = True
    cache.clear()

    def set_rates(**rates: str) -> None:
        current = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**current, **rates},
        }

    yield set_rates
    cache.clear()


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
