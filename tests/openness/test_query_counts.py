"""The openness lists run a fixed number of SQL queries, whatever the page size (no N+1), like the
registry's and the pilots' (tests/registry/test_query_counts.py, tests/pilots/test_query_counts.py);
the absolute numbers are asserted too.

Each list is filled with more rows than the largest page (100), so ``page_size=100`` serialises a
full page and still has a next one.
"""

import pytest
from django.utils import timezone

from core.models import Event
from notifications.choices import DeliveryStatus
from notifications.models import Delivery, Subscription
from openness import services
from openness.choices import BatchStatus, EntryStatus
from openness.models import Batch, Entry
from registry import services as registry_services
from tests.factories import PlatformFactory, UserFactory, bulk_resources
from tests.notifications.helpers import subscription_of
from tests.openness.helpers import curator_user, open_batch, unsaved_entry
from tests.query_counts import CURATOR_CHECK, ROWS, SESSION, queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("synonyms_read")]

# A ``visible_to`` queryset asks which platforms a publisher publishes for (their own entries).
PLATFORMS_CHECK = 1

# batches.
BATCH_LIST_QUERIES = 1
# the batch (get_object), then its entries with batch, resource, platform and withdrawn_by joined.
ENTRY_LIST_QUERIES = 2
# events.
EVENT_LIST_QUERIES = 1
# subscriptions.
SUBSCRIPTION_LIST_QUERIES = 1
# the subscription (get_object), then its deliveries with their events joined.
DELIVERY_LIST_QUERIES = 2
# the subscription (get_object), the page of its events, then the page's deliveries (why each
# matched).
PULL_FEED_QUERIES = 3
# both batches (get_object, then ``against``), the published entries of each (with their
# resource's status), then the withdrawal records of the resources withdrawn from the registry.
DIFF_QUERIES = 5


def list_published(resources, curator) -> Batch:
    """A batch listing ``resources``, published through the services (so its entries carry their
    search columns and their ``entry.listed`` events are in the feed), their submissions inserted
    in one query rather than submitted one by one."""
    batch = open_batch(curator)
    now = timezone.now()
    Entry.objects.bulk_create(
        [
            unsaved_entry(batch, resource, EntryStatus.APPROVED, decided_at=now)
            for resource in resources
        ]
    )
    services.batch_close(actor=curator, batch_id=batch.pk)
    return services.batch_publish(actor=curator, batch_id=batch.pk)


@pytest.fixture
def curator():
    return curator_user()


@pytest.fixture
def resources():
    platforms = [PlatformFactory(slug=f"platform-{index}") for index in range(3)]
    return bulk_resources(ROWS, platforms=platforms, tags=["gpu", "算力"])


@pytest.fixture
def published(resources, curator) -> Batch:
    """A published batch of ROWS listed entries, one of them withdrawn."""
    batch = list_published(resources, curator)
    first = batch.entries.order_by("sequence").first()
    services.entry_withdraw(actor=curator, entry_id=first.pk, reason="不再开放")
    return batch


def test_the_batch_list_runs_the_same_queries_at_page_size_1_and_100(api_client):
    Batch.objects.bulk_create(
        [
            Batch(
                number=number,
                title=f"第{number}批平台开放清单",
                year=2026,
                status=BatchStatus.PUBLISHED,
                published_at=timezone.now(),
            )
            for number in range(1, ROWS + 1)
        ]
    )
    one, small = queries(api_client, "/api/v1/batches/", {"page_size": 1})
    hundred, large = queries(api_client, "/api/v1/batches/", {"page_size": 100})
    assert (len(small["results"]), len(large["results"])) == (1, 100)
    assert large["next"] is not None
    assert one == hundred == BATCH_LIST_QUERIES


@pytest.mark.parametrize(
    "params",
    [{}, {"status": "listed,withdrawn"}, {"q": "批量资源", "type": "compute", "region": "440000"}],
    ids=["default", "status", "filtered"],
)
def test_a_batchs_entries_run_the_same_queries_at_page_size_1_and_100(
    api_client, published, params
):
    url = f"/api/v1/batches/{published.number}/entries/"
    # A first request of the process's kind fills what the process keeps between requests (on
    # PostgreSQL it once took one query more, after other modules had run): the counts below
    # are the steady state's.
    queries(api_client, url, {**params, "page_size": 1})
    one, small = queries(api_client, url, {**params, "page_size": 1})
    hundred, large = queries(api_client, url, {**params, "page_size": 100})
    assert (len(small["results"]), len(large["results"])) == (1, 100)
    assert large["next"] is not None
    assert one == hundred == ENTRY_LIST_QUERIES


def test_a_publishers_view_of_a_batchs_entries_adds_a_fixed_cost_for_the_session(
    api_client, published
):
    publisher = UserFactory(username="publisher")
    PlatformFactory(slug="platform-0").members.add(publisher)
    api_client.force_login(publisher)
    url = f"/api/v1/batches/{published.number}/entries/"
    one, _ = queries(api_client, url, {"page_size": 1})
    hundred, large = queries(api_client, url, {"page_size": 100})
    assert len(large["results"]) == 100
    assert one == hundred == SESSION + CURATOR_CHECK + PLATFORMS_CHECK + ENTRY_LIST_QUERIES


def test_the_change_feed_runs_the_same_queries_at_page_size_1_and_100(api_client, published):
    assert Event.objects.filter(public=True).count() > 100
    one, small = queries(api_client, "/api/v1/events/", {"page_size": 1})
    hundred, large = queries(api_client, "/api/v1/events/", {"page_size": 100})
    assert (len(small["results"]), len(large["results"])) == (1, 100)
    assert one == hundred == EVENT_LIST_QUERIES


def test_the_change_feed_filtered_by_type_and_time_runs_the_same_queries_at_page_size_1_and_100(
    api_client, published
):
    params = {"type": "entry.listed", "since": "2000-01-01T00:00:00Z"}
    one, _ = queries(api_client, "/api/v1/events/", {**params, "page_size": 1})
    hundred, large = queries(api_client, "/api/v1/events/", {**params, "page_size": 100})
    assert len(large["results"]) == 100
    assert one == hundred == EVENT_LIST_QUERIES


def test_the_subscription_list_runs_the_same_queries_at_page_size_1_and_100(api_client):
    owner = UserFactory(username="owner")
    first, _ = subscription_of(owner, "type=compute")
    Subscription.objects.bulk_create(
        [
            Subscription(
                owner=owner,
                name=f"关注{index}",
                query=first.query,
                event_types=first.event_types,
                secret_encrypted=first.secret_encrypted,
            )
            for index in range(ROWS)
        ]
    )
    api_client.force_login(owner)
    one, small = queries(api_client, "/api/v1/subscriptions/", {"page_size": 1})
    hundred, large = queries(api_client, "/api/v1/subscriptions/", {"page_size": 100})
    assert (len(small["results"]), len(large["results"])) == (1, 100)
    assert one == hundred == SESSION + CURATOR_CHECK + SUBSCRIPTION_LIST_QUERIES


@pytest.fixture
def pulled(published):
    """A pull-only subscription with a delivery for every public event."""
    owner = UserFactory(username="owner")
    subscription, _ = subscription_of(owner)
    Delivery.objects.bulk_create(
        [
            Delivery(
                subscription=subscription,
                event=event,
                status=DeliveryStatus.PULL,
                matched={"event_type": event.type, "query": "", "resources": [], "count": 0},
            )
            for event in Event.objects.filter(public=True)
        ]
    )
    return subscription


def test_a_subscriptions_deliveries_run_the_same_queries_at_page_size_1_and_100(api_client, pulled):
    api_client.force_login(pulled.owner)
    url = f"/api/v1/subscriptions/{pulled.pk}/deliveries/"
    one, small = queries(api_client, url, {"page_size": 1, "status": "pull"})
    hundred, large = queries(api_client, url, {"page_size": 100, "status": "pull"})
    assert (len(small["results"]), len(large["results"])) == (1, 100)
    assert one == hundred == SESSION + CURATOR_CHECK + DELIVERY_LIST_QUERIES


def test_a_subscriptions_pull_feed_runs_the_same_queries_at_page_size_1_and_100(api_client, pulled):
    api_client.force_login(pulled.owner)
    url = f"/api/v1/subscriptions/{pulled.pk}/events/"
    one, small = queries(api_client, url, {"page_size": 1})
    hundred, large = queries(api_client, url, {"page_size": 100})
    assert (len(small["results"]), len(large["results"])) == (1, 100)
    assert one == hundred == SESSION + CURATOR_CHECK + PULL_FEED_QUERIES


def test_a_batch_diff_runs_the_same_queries_for_one_resource_and_a_hundred(
    api_client, resources, curator
):
    small_before = list_published(resources[:2], curator)
    small_after = list_published(resources[1:2], curator)
    large_before = list_published(resources[:100], curator)
    large_after = list_published(resources[5:], curator)
    services.entry_withdraw(
        actor=curator, entry_id=large_before.entries.get(resource=resources[1]).pk, reason="撤回"
    )
    registry_services.resource_withdraw(actor=curator, resource_id=resources[0].pk, reason="下线")
    one, small = queries(
        api_client, f"/api/v1/batches/{small_after.number}/diff/", {"against": small_before.number}
    )
    hundred, large = queries(
        api_client, f"/api/v1/batches/{large_after.number}/diff/", {"against": large_before.number}
    )
    assert (small["listed_again"]["unchanged"], len(small["withdrawn"])) == (1, 1)
    assert (
        len(large["newly_listed"]),
        large["listed_again"]["unchanged"],
        len(large["not_listed_again"]),
        [item["withdrawn_from"] for item in large["withdrawn"]],
    ) == (5, 95, 3, ["registry", "list"])
    assert one == hundred == DIFF_QUERIES
