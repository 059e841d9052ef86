"""Services for subscriptions and their deliveries: what owners do, each in one transaction.

The signing secret is made here and handed back once (on create and on rotation); only its
encrypted form is stored. Rotation keeps the previous secret signing alongside the new one for
``PREVIOUS_SECRET_VALID``, so receivers can switch without losing a delivery.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config import crypto
from core.choices import EventType
from core.errors import DomainError
from core.models import Event
from notifications import tasks
from notifications.choices import DeliveryStatus
from notifications.models import Delivery, Subscription
from notifications.webhooks.signing import generate_secret

PREVIOUS_SECRET_VALID = timedelta(hours=24)
EDITABLE = ["name", "query", "event_types", "webhook_url", "active"]


def _locked(subscription_id: int) -> Subscription:
    return Subscription.objects.select_for_update().get(pk=subscription_id)


@transaction.atomic
def subscription_create(*, owner: Any, data: dict[str, Any]) -> tuple[Subscription, str]:
    """A new subscription and its signing secret (the only time it is shown, but for rotation)."""
    # Counting under the owner's lock: two simultaneous requests cannot both take the last place.
    # (the user model itself: ``owner`` may be a request's lazy user object).
    get_user_model().objects.select_for_update().filter(pk=owner.pk).first()
    quota = settings.SUBSCRIPTIONS_PER_USER
    if Subscription.objects.filter(owner=owner).count() >= quota:
        raise DomainError(
            _("You have %(quota)s subscriptions, the most one account may have; delete one first.")
            % {"quota": quota},
            problem="subscription-quota",
        )
    secret = generate_secret()
    subscription = Subscription(owner=owner, secret_encrypted=crypto.encrypt(secret))
    for name in EDITABLE:
        if name in data:
            setattr(subscription, name, data[name])
    subscription.save()
    return subscription, secret


@transaction.atomic
def subscription_update(*, subscription_id: int, data: dict[str, Any]) -> Subscription:
    subscription = _locked(subscription_id)
    for name in EDITABLE:
        if name in data:
            setattr(subscription, name, data[name])
    if data.get("active") is True:
        _clear_disabled(subscription)
    subscription.save()
    if subscription.active:
        _wake(subscription)
    return subscription


@transaction.atomic
def subscription_rotate_secret(*, subscription_id: int) -> tuple[Subscription, str]:
    """A new secret; the old one keeps signing too for the next 24 hours."""
    subscription = _locked(subscription_id)
    secret = generate_secret()
    subscription.previous_secret_encrypted = subscription.secret_encrypted
    subscription.previous_secret_expires_at = timezone.now() + PREVIOUS_SECRET_VALID
    subscription.secret_encrypted = crypto.encrypt(secret)
    subscription.save()
    return subscription, secret


@transaction.atomic
def subscription_reactivate(*, subscription_id: int) -> Subscription:
    """Active again, its failure count cleared; deliveries still pending are sent."""
    subscription = _locked(subscription_id)
    subscription.active = True
    _clear_disabled(subscription)
    subscription.save()
    _wake(subscription)
    return subscription


@transaction.atomic
def subscription_ping(*, subscription_id: int) -> Delivery:
    """A ``ping`` event for this subscription alone, delivered now (or kept for its pull feed)."""
    subscription = _locked(subscription_id)
    if not subscription.active:
        raise DomainError(
            _("The subscription is disabled; reactivate it first."), problem="subscription-disabled"
        )
    now = timezone.now()
    event = Event.objects.create(
        type=EventType.PING,
        occurred_at=now,
        subject_type="subscription",
        subject_id=str(subscription.pk),
        public=False,
        matched_at=now,
        data={"subscription": subscription.pk, "url": f"/api/v1/subscriptions/{subscription.pk}/"},
    )
    delivery = Delivery.objects.create(
        subscription=subscription,
        event=event,
        status=DeliveryStatus.PENDING if subscription.webhook_url else DeliveryStatus.PULL,
        next_attempt_at=now if subscription.webhook_url else None,
        matched={"event_type": EventType.PING, "requested": True},
    )
    _wake(subscription)
    return delivery


@transaction.atomic
def delivery_redeliver(*, delivery_id: int) -> Delivery:
    """Sends a delivery again now, with the same ``webhook-id``, whatever became of it; once: a
    delivery already due is left as it is, and one being sent is refused."""
    delivery = (
        Delivery.objects.select_for_update().select_related("subscription").get(pk=delivery_id)
    )
    if not delivery.subscription.webhook_url:
        raise DomainError(
            _("The subscription has no webhook; its events are in its pull feed."),
            problem="no-webhook",
        )
    if not delivery.subscription.active:
        raise DomainError(
            _("The subscription is disabled; reactivate it first."), problem="subscription-disabled"
        )
    now = timezone.now()
    in_flight = delivery.lease_until is not None and delivery.lease_until > now
    if delivery.status == DeliveryStatus.SENDING and in_flight:
        raise DomainError(
            _("This delivery is being sent right now."), problem="delivery-in-progress"
        )
    due = delivery.next_attempt_at is not None and delivery.next_attempt_at <= now
    if delivery.status == DeliveryStatus.PENDING and due:
        return delivery  # already waiting to be sent now: sent once, not once per request
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = now
    delivery.save(update_fields=["status", "next_attempt_at"])
    _wake(delivery.subscription)
    return delivery


def _clear_disabled(subscription: Subscription) -> None:
    subscription.disabled_reason = ""
    subscription.disabled_at = None
    subscription.failing_since = None


def _wake(subscription: Subscription) -> None:
    """A delivery task for the subscription, when it has a webhook."""
    if subscription.webhook_url:
        tasks.deliver.enqueue(subscription.pk)
