"""Subscriptions and deliveries in the curators' admin: listed for operations, never editable,
secrets never shown; disabled subscriptions reactivated and deliveries sent again by actions."""

import pytest
from django_tasks_db.models import DBTaskResult

from notifications import services, tasks
from notifications.choices import DeliveryStatus
from notifications.models import Delivery, Subscription
from tests.admin_actions import act, messages_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SUBSCRIPTIONS = "/admin/notifications/subscription/"
DELIVERIES = "/admin/notifications/delivery/"
WEBHOOK = "https://hooks.example.com/registry"


@pytest.fixture
def subscription(monkeypatch):
    monkeypatch.setattr(
        "notifications.webhooks.addresses.resolve", lambda host, port: ["93.184.215.14"]
    )
    owner = UserFactory()
    created, _secret = services.subscription_create(
        owner=owner, data={"name": "广东算力", "query": "type=compute", "webhook_url": WEBHOOK}
    )
    return created


def test_a_curator_sees_subscriptions_but_never_their_secrets(admin_client, subscription):
    listing = admin_client.get(SUBSCRIPTIONS)
    detail = admin_client.get(f"{SUBSCRIPTIONS}{subscription.pk}/change/")

    assert listing.status_code == 200
    assert "广东算力" in listing.content.decode()
    assert detail.status_code == 200
    assert subscription.secret not in detail.content.decode()
    assert subscription.secret_encrypted not in detail.content.decode()


def test_subscriptions_and_deliveries_cannot_be_added_in_the_admin(admin_client, subscription):
    assert admin_client.get(f"{SUBSCRIPTIONS}add/").status_code == 403
    assert admin_client.get(f"{DELIVERIES}add/").status_code == 403


def test_a_disabled_subscription_is_reactivated_by_the_admin_action(admin_client, subscription):
    Subscription.objects.filter(pk=subscription.pk).update(
        active=False, disabled_reason="The receiver answered 410 Gone."
    )

    response = act(admin_client, SUBSCRIPTIONS, "reactivate", [subscription])

    subscription.refresh_from_db()
    assert response.status_code == 302
    assert (subscription.active, subscription.disabled_reason) == (True, "")


def test_a_dead_delivery_is_queued_again_by_the_admin_action(admin_client, subscription):
    delivery = services.subscription_ping(subscription_id=subscription.pk)
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.DEAD, attempts=8)

    response = act(admin_client, DELIVERIES, "redeliver", [delivery])

    delivery.refresh_from_db()
    assert response.status_code == 302
    assert ("success", "1 delivery queued.") in messages_of(admin_client.get(DELIVERIES))
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.webhook_id == f"msg_{delivery.event_id}_{subscription.pk}"


def test_someone_who_is_not_a_curator_is_sent_to_the_login_page(client, subscription):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(SUBSCRIPTIONS).status_code == 302


def test_subscriptions_and_deliveries_name_event_types_by_their_labels(admin_client, subscription):
    Subscription.objects.filter(pk=subscription.pk).update(
        event_types=["entry.listed", "resource.withdrawn"]
    )
    delivery = services.subscription_ping(subscription_id=subscription.pk)

    deliveries = admin_client.get(DELIVERIES).content.decode()
    detail = admin_client.get(f"{SUBSCRIPTIONS}{subscription.pk}/change/").content.decode()

    assert f"#{delivery.event_id} Ping (a test delivery an owner asked for)" in deliveries
    assert "Entry listed" in detail
    assert "Resource withdrawn" in detail
    assert "entry.listed" not in detail


def test_the_task_results_are_listed_with_our_labels(client, subscription):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))  # the library's permissions
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    tasks.deliver.enqueue(subscription.pk)
    assert DBTaskResult.objects.exists()

    listing = client.get("/admin/django_tasks_database/dbtaskresult/")
    index = client.get("/admin/").content.decode()

    assert listing.status_code == 200
    assert "Send a subscription&#x27;s deliveries" in listing.content.decode()
    assert "Background tasks" in index
    assert "Tasks Database Backend" not in index
