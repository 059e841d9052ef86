from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import EventType


class Event(models.Model):
    """One change, in the outbox and in the public change feed.

    Written in the same transaction as the change it records (``core.events.emit``); its
    ``id`` only grows, so it is the feed's cursor. ``public`` is false for events about objects the
    public cannot see (drafts); those stay out of the public feed.
    """

    id = models.BigAutoField(primary_key=True)
    type = models.CharField(_("type"), max_length=40, choices=EventType, db_index=True)
    occurred_at = models.DateTimeField(_("occurred at"), db_index=True)
    subject_type = models.CharField(_("subject type"), max_length=20)
    subject_id = models.CharField(_("subject id"), max_length=64)
    public = models.BooleanField(_("public"), default=True)
    data = models.JSONField(_("data"), default=dict)
    matched_at = models.DateTimeField(
        _("matched at"),
        null=True,
        blank=True,
        help_text=_("When the subscriptions were matched against it (empty: not yet)."),
    )

    class Meta:
        db_table = "openness_event"  # where it was created, before it moved to core
        ordering = ["id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["public", "id"], name="event_public_feed"),
            models.Index(
                fields=["id"], condition=models.Q(matched_at__isnull=True), name="event_unmatched"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.id} {self.type} {self.subject_type}:{self.subject_id}"
