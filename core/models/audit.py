from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeRecord(models.Model):
    """One change to an audited object: who, when, what kind, and each field before and after.

    Written by the services in the same transaction as the change itself (``core.audit``), so
    a change without its record cannot exist. Records are never edited or deleted.
    """

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.CharField(max_length=64)
    version = models.PositiveIntegerField(
        _("version"), null=True, blank=True, help_text=_("The object's version after the change.")
    )
    action = models.CharField(_("action"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(
        _("actor name"), max_length=150, blank=True, help_text=_("Kept if the user is deleted.")
    )
    at = models.DateTimeField(_("at"))
    reason = models.TextField(_("reason"), blank=True)
    changes = models.JSONField(
        _("changes"), default=dict, help_text=_('{"field": {"before": …, "after": …}}')
    )

    class Meta:
        db_table = "registry_changerecord"  # where it was created, before it moved to core
        ordering = ["subject_type", "subject_id", "at", "id"]
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        indexes = [models.Index(fields=["subject_type", "subject_id", "id"], name="change_subject")]

    def __str__(self) -> str:
        return f"{self.action} {self.subject_type.model}:{self.subject_id} by {self.actor_name}"
