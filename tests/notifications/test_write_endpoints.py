"""The notifications' write routes, each with the generic write cases (``tests.api_write_cases``):
subscriptions, their actions and the deliveries' redelivery.

Only a subscription's owner sees it, its deliveries too: anyone else's write is a 404, and
nothing changes. Subscriptions are not in the audit trail."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from notifications import services
from notifications.models import Delivery, Subscription
from tests.api_write_cases import (
    CreateEndpointTests,
    StatusGuardTests,
    TransitionEndpointTests,
    WriteEndpointTests,
)
from tests.notifications.helpers import subscription_of


class OwnersWrite(WriteEndpointTests):
    allowed, refused = "sme", "other_sme"
    refused_status = 404
    audited = False

    def make(self) -> Any:
        return subscription_of(self.user("sme"))[0]

    def make_disabled(self) -> Any:
        """A subscription disabled after its receiver answered 410 Gone."""
        subscription = OwnersWrite.make(self)
        Subscription.objects.filter(pk=subscription.pk).update(
            active=False, disabled_reason="410 Gone", disabled_at=timezone.now()
        )
        return subscription


class TestSubscriptionCreate(CreateEndpointTests, OwnersWrite):
    route = "POST subscriptions/"
    refused, refused_status = "anonymous", 401
    expects_location = False
    model = Subscription
    data = {"name": "广东算力", "query": "type=compute&region=440000"}

    def make(self) -> None:
        return None


class TestSubscriptionUpdate(OwnersWrite):
    route = "PATCH subscriptions/{pk}/"
    data = {"name": "新名"}


class TestSubscriptionDelete(OwnersWrite):
    route = "DELETE subscriptions/{pk}/"
    success_status = 204


class TestSubscriptionRotateSecret(OwnersWrite):
    route = "POST subscriptions/{pk}/rotate-secret/"


class TestSubscriptionReactivate(OwnersWrite):
    route = "POST subscriptions/{pk}/reactivate/"

    def make(self) -> Any:
        return self.make_disabled()


class TestSubscriptionPing(TransitionEndpointTests, OwnersWrite):
    route = "POST subscriptions/{pk}/ping/"
    success_status = 202

    def make_in_wrong_status(self) -> Any:
        return self.make_disabled()

    def watched(self, obj: Any) -> list[Any]:
        return [Subscription, Delivery]


class TestDeliveryRedeliver(StatusGuardTests, OwnersWrite):
    route = "POST deliveries/{pk}/redeliver/"
    success_status = 202

    def delivery(self, **state: Any) -> Any:
        subscription, _ = subscription_of(
            self.user("sme"), webhook_url="https://hooks.example.com/"
        )
        delivery = services.subscription_ping(subscription_id=subscription.pk)
        Delivery.objects.filter(pk=delivery.pk).update(**state)
        return Delivery.objects.get(pk=delivery.pk)

    def make(self) -> Any:
        return self.delivery(status="dead", next_attempt_at=None)  # as after its last retry

    def make_in_wrong_status(self) -> Any:
        return self.delivery(status="sending", lease_until=timezone.now() + timedelta(seconds=30))
