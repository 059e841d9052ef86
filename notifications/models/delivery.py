import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.choices import DeliveryStatus

WEBHOOK_ID = re.compile(r"msg_(\d+)_(\d+)")


class Delivery(models.Model):
    """One event for one subscription: why it matched, and how sending it went.

    ``webhook_id`` is the Standard Webhooks message id: the same on every attempt, so receivers
    can drop duplicates (delivery is at least once). A subscription without a webhook gets
    deliveries too (status ``pull``): they are its pull feed.

    A published batch makes a delivery for every matching subscription and entry (a million rows
    for 10,000 subscriptions and 1,000 entries), so the table carries no index it can do without:
    the message id is derived, not stored; events are never deleted, so their key needs no index;
    and only the deliveries still to be sent are indexed for the sender.
    """

    id = models.BigAutoField(primary_key=True)
    subscription = models.ForeignKey(
        "notifications.Subscription",
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("subscription"),
    )
    event = models.ForeignKey(
        "core.Event",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("event"),
        db_index=False,  # (subscription, event) is unique and indexed; events are never deleted
    )
    status = models.CharField(_("status"), max_length=12, choices=DeliveryStatus)
    matched = models.JSONField(_("why it matched"), default=dict)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    lease_until = models.DateTimeField(
        _("sending until"),
        null=True,
        blank=True,
        help_text=_("While sending: when the attempt counts as lost (its worker died)."),
    )
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(
        _("last status code"), null=True, blank=True
    )
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    last_response = models.TextField(_("last response (first 1 KB)"), blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "openness_delivery"  # its table in openness, kept (notifications 0001)
        ordering = ["-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event"], name="delivery_once_per_subscription"
            )
        ]
        indexes = [
            models.Index(
                fields=["subscription", "event"],
                condition=models.Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING]),
                name="delivery_to_send",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.webhook_id} ({self.status})"

    @property
    def webhook_id(self) -> str:
        """The Standard Webhooks message id: one per event and subscription."""
        return message_id(self.event_id, self.subscription_id)


def message_id(event_id: int, subscription_id: int) -> str:
    return f"msg_{event_id}_{subscription_id}"


def parse_message_id(text: str) -> tuple[int, int] | None:
    """(event id, subscription id) of a message id ``message_id`` wrote, or None."""
    match = WEBHOOK_ID.fullmatch(text.strip())
    return (int(match[1]), int(match[2])) if match else None
