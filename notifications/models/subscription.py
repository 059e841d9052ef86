from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from config import crypto
from core.models.base import Timestamped


class SubscriptionQuerySet(models.QuerySet["Subscription"]):
    def owned_by(self, user: Any) -> "SubscriptionQuerySet":
        """The subscriptions of ``user`` (none for an anonymous user): nobody else sees them."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner=user)


class Subscription(Timestamped):
    """An owner's standing search: the events whose resource would appear in ``query``.

    Matched events become deliveries: sent to ``webhook_url``, signed with the secret, or kept for
    the pull feed when there is no webhook. The signing secret is stored encrypted (the server
    must sign with it, so it cannot be hashed); after a rotation the previous one keeps signing
    alongside the new one until ``previous_secret_expires_at``.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(
        _("query"),
        max_length=1000,
        blank=True,
        help_text=_("A resource search, as its query string (type=compute&region=440000)."),
    )
    event_types = models.JSONField(_("event types"), default=list)
    webhook_url = models.URLField(_("webhook URL"), max_length=500, blank=True)
    active = models.BooleanField(_("active"), default=True)
    disabled_reason = models.CharField(_("why it was disabled"), max_length=500, blank=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    secret_encrypted = models.TextField(_("signing secret (encrypted)"), editable=False)
    previous_secret_encrypted = models.TextField(
        _("previous signing secret (encrypted)"), blank=True, editable=False
    )
    previous_secret_expires_at = models.DateTimeField(
        _("previous secret valid until"), null=True, blank=True, editable=False
    )
    failing_since = models.DateTimeField(
        _("failing since"),
        null=True,
        blank=True,
        help_text=_("The first failed attempt since the last success (empty: not failing)."),
    )
    last_success_at = models.DateTimeField(_("last delivered"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        db_table = "openness_subscription"  # its table in openness, kept (notifications 0001)
        ordering = ["id"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        indexes = [models.Index(fields=["active", "id"], name="subscription_active")]

    def __str__(self) -> str:
        return self.name

    @property
    def secret(self) -> str:
        return crypto.decrypt(self.secret_encrypted)

    def signing_secrets(self, now: Any) -> list[str]:
        """The secrets a delivery is signed with at ``now``: the current one, and the previous one
        while it is still valid."""
        secrets = [self.secret]
        expires = self.previous_secret_expires_at
        if self.previous_secret_encrypted and expires and now < expires:
            secrets.append(crypto.decrypt(self.previous_secret_encrypted))
        return secrets
