"""Sending deliveries to webhooks: one attempt at a time, at least once, with retries.

The ``Delivery`` rows are the queue; tasks only say "look at this subscription's deliveries now".
This module does the work (``claim``, ``send``, ``record_attempt``); ``notifications.tasks`` runs
it and enqueues what comes next. ``deliver_due`` there claims one due delivery at a time: in the
claiming transaction the delivery is marked ``sending`` until a lease ends and a task is enqueued
for that moment. If the worker dies
mid-attempt (even by SIGKILL), that task finds the lease expired and sends the delivery again,
with the same ``webhook-id``; if the attempt finished, the task finds nothing to do.

Fairness: a subscription has at most one attempt in flight (a task finding one leaves at once),
so a receiver that stalls holds at most one worker, for at most ``WEBHOOK_TIMEOUT``. A task stops
after a failed attempt and once it has run ``WEBHOOK_TASK_SECONDS``; the subscription's other due
deliveries go to a fresh task at the back of the queue, at a lower priority after a failure, so
every other subscriber's work comes first. A retry is always a later task, never the same run.

After a failed attempt the next one is due after ``RETRY_DELAYS`` (about 5 s, 5 min, 30 min, 2 h,
5 h, 10 h, 10 h; each ±20 %), or later if the receiver's ``Retry-After`` asks for it; after the
last one the delivery is dead. Only a 2xx is a success; redirects are not followed. A 410 Gone
disables the subscription, and so do five days of failures without a success; either way its
owner reads why in ``disabled_reason``.
"""

import codecs
import json
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.event_body import event_body
from notifications.choices import DeliveryStatus
from notifications.models import Delivery, Subscription
from notifications.webhooks import signing
from notifications.webhooks.addresses import UnsafeWebhookURL, vet_url
from notifications.webhooks.transport import Reply, post

RETRY_DELAYS = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600]  # seconds
JITTER = 0.2
MAX_RETRY_AFTER = 24 * 3600
FAILING_DISABLES_AFTER = timedelta(days=5)
PER_RUN = 100  # attempts per task run, so that one busy subscription does not hold a worker
FAILING_PRIORITY = -10  # tasks for a failing receiver run after everyone else's (default 0)
USER_AGENT = "PlatformOpennessRegistry-Webhooks/1"


def retry_delay(attempts: int, retry_after: float | None = None) -> float | None:
    """Seconds until the next attempt after ``attempts`` failed ones; None when none is left."""
    if attempts > len(RETRY_DELAYS):
        return None
    delay = RETRY_DELAYS[attempts - 1] * random.uniform(1 - JITTER, 1 + JITTER)  # noqa: S311
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    return delay


def lease_seconds() -> float:
    """How long an attempt may take before it counts as lost: twice the attempt's timeout."""
    return 2 * float(settings.WEBHOOK_TIMEOUT)


# The payload ------------------------------------------------------------------------------------


def site_url(path: str) -> str:
    """A path of this registry as a URL, for a body that leaves it (``SITE_URL``)."""
    return settings.SITE_URL + path


def delivered_body(delivery: Delivery, absolute: Callable[[str], str]) -> dict[str, Any]:
    """A delivered event: the event as the feed shows it (``core.event_body``) with its
    ``delivery``. A webhook's body, and the item of the subscription's pull feed, alike."""
    subscription = delivery.subscription
    return {
        **event_body(delivery.event, absolute),
        "delivery": {
            "webhook_id": str(delivery.webhook_id),
            "subscription": {
                "id": subscription.pk,
                "name": subscription.name,
                "url": absolute(reverse("api:subscription-detail", kwargs={"pk": subscription.pk})),
            },
            "matched": delivery.matched,
        },
    }


def body_of(delivery: Delivery) -> bytes:
    return json.dumps(
        delivered_body(delivery, site_url), ensure_ascii=False, separators=(",", ":")
    ).encode()


# Running deliveries -----------------------------------------------------------------------------


def _due(subscription_id: int, now: datetime) -> Any:
    pending = Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    lost = Q(status=DeliveryStatus.SENDING, lease_until__lte=now)
    return Delivery.objects.filter(Q(subscription_id=subscription_id) & (pending | lost))


def claim(subscription_id: int) -> Delivery | None:
    """The subscription's next due delivery, marked as being sent; None when none is due. Runs in
    the caller's transaction (``notifications.tasks`` enqueues, in it, the task for the lease's
    end)."""
    # Locked, so that two workers cannot both find nothing in flight and both claim one.
    subscription = (
        Subscription.objects.select_for_update().filter(pk=subscription_id, active=True).first()
    )
    if subscription is None or not subscription.webhook_url:
        return None
    now = timezone.now()
    if _in_flight(subscription_id, now):
        return None  # its task carries on with the rest: one attempt at a time per receiver
    delivery = (
        _due(subscription_id, now)
        .select_for_update(skip_locked=True, of=("self",))  # not the joined rows
        .select_related("event", "subscription")
        .order_by("event_id")
        .first()
    )
    if delivery is None:
        return None
    delivery.status = DeliveryStatus.SENDING
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.lease_until = now + timedelta(seconds=lease_seconds())
    delivery.save(update_fields=["status", "attempts", "last_attempt_at", "lease_until"])
    return delivery


def _in_flight(subscription_id: int, now: datetime) -> bool:
    return Delivery.objects.filter(
        subscription_id=subscription_id, status=DeliveryStatus.SENDING, lease_until__gt=now
    ).exists()


def due(subscription_id: int) -> bool:
    """Whether the subscription has a delivery to attempt now."""
    return _due(subscription_id, timezone.now()).exists()


def send(delivery: Delivery) -> Reply:
    """One attempt at sending a claimed delivery: its address checked again (the name may resolve
    elsewhere now), its body signed and posted. The reply is not recorded here."""
    subscription = delivery.subscription
    try:
        target = vet_url(subscription.webhook_url)
    except UnsafeWebhookURL as refused:
        return Reply(status=None, headers={}, body=b"", error=f"refused: {refused}")
    body = body_of(delivery)
    now = timezone.now()
    headers = signing.webhook_headers(
        secrets=subscription.signing_secrets(now),
        msg_id=delivery.webhook_id,
        timestamp=int(now.timestamp()),
        body=body,
    )
    headers["user-agent"] = USER_AGENT
    return post(target, body, headers)


def record_attempt(delivery_id: int, reply: Reply) -> Delivery | None:
    """Writes an attempt's outcome: the delivery succeeded, is due again later (``pending``, with
    ``next_attempt_at``: the caller enqueues the retry) or is dead, and the subscription is
    disabled when the rules say so. Runs in the caller's transaction. None when the delivery is
    gone: its subscription was deleted during the attempt, and there is nothing left to record."""
    delivery = (
        Delivery.objects.select_for_update().select_related("subscription").filter(pk=delivery_id)
    ).first()
    if delivery is None:
        return None
    subscription = Subscription.objects.select_for_update().get(pk=delivery.subscription_id)
    now = timezone.now()
    stored = settings.WEBHOOK_STORED_RESPONSE_BYTES
    delivery.last_status_code = reply.status
    delivery.last_error = reply.error[:300]
    delivery.last_response = _text_of(reply.body[:stored])
    delivery.lease_until = None
    if reply.ok:
        delivery.status = DeliveryStatus.SUCCEEDED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        subscription.failing_since = None
        subscription.last_success_at = now
    else:
        if not reply.error:
            delivery.last_error = _("The receiver answered %(status)s.") % {"status": reply.status}
        delay = (
            None
            if reply.status == 410
            else retry_delay(delivery.attempts, reply.retry_after_seconds)
        )
        if delay is None:
            delivery.status = DeliveryStatus.DEAD
            delivery.next_attempt_at = None
        else:
            delivery.status = DeliveryStatus.PENDING
            delivery.next_attempt_at = now + timedelta(seconds=delay)
        subscription.failing_since = subscription.failing_since or now
        if reply.status == 410:
            _disable(
                subscription, now, _("The receiver answered 410 Gone: it wants no more events.")
            )
        elif now - subscription.failing_since >= FAILING_DISABLES_AFTER:
            _disable(
                subscription,
                now,
                _(
                    "No delivery succeeded for five days (failing since %(since)s; "
                    "last error: %(error)s)."
                )
                % {"since": subscription.failing_since.isoformat(), "error": delivery.last_error},
            )
    delivery.save()
    subscription.save(
        update_fields=[
            "failing_since",
            "last_success_at",
            "active",
            "disabled_reason",
            "disabled_at",
            "updated_at",
        ]
    )
    return delivery


def _text_of(cut: bytes) -> str:
    """The text of a response cut at a byte count: a character the cut split is left out, so the
    stored text stays within the cut; other undecodable bytes show as U+FFFD."""
    return codecs.getincrementaldecoder("utf-8")(errors="replace").decode(cut, final=False)


def _disable(subscription: Subscription, now: datetime, reason: str) -> None:
    subscription.active = False
    subscription.disabled_reason = reason[:500]
    subscription.disabled_at = now
