from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.roles import is_curator, platform_ids_of
from openness.choices import EntryStatus

PUBLISHED_STATUSES = (EntryStatus.LISTED, EntryStatus.WITHDRAWN)


class EntryQuerySet(models.QuerySet["Entry"]):
    def visible_to(self, user: Any) -> "EntryQuerySet":
        """Listed and withdrawn entries (only published batches have them) are public; any other
        entry is visible to its own platform's publishers, who follow it through review, and to
        curators."""
        if is_curator(user):
            return self
        public = models.Q(status__in=PUBLISHED_STATUSES)
        own = models.Q(platform_id__in=platform_ids_of(user))
        return self.filter(public | own)


class Entry(models.Model):
    """A resource's inclusion in a batch: submitted, reviewed, then listed with a frozen snapshot.

    The ``resource_type`` … ``search_text`` columns are copied from the resource when it is
    submitted and from the snapshot when it is listed, so batch entries are filtered by what was
    listed, not by what the resource has become since.
    """

    batch = models.ForeignKey(
        "openness.Batch", on_delete=models.PROTECT, related_name="entries", verbose_name=_("batch")
    )
    resource = models.ForeignKey(
        "registry.Resource",
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("resource"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EntryStatus, default=EntryStatus.SUBMITTED
    )
    sequence = models.PositiveIntegerField(_("number in the batch"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, help_text=_("Why rejected or withdrawn."))
    snapshot = models.JSONField(_("snapshot"), null=True, blank=True)
    listed_version = models.PositiveIntegerField(_("version listed"), null=True, blank=True)

    resource_type = models.CharField(max_length=20)
    platform = models.ForeignKey("registry.Platform", on_delete=models.PROTECT, related_name="+")
    access_model = models.CharField(max_length=20)
    nationwide = models.BooleanField(default=False)
    region_codes = models.CharField(max_length=300, blank=True, help_text=",440000,110000,")
    industry_codes = models.CharField(max_length=60, blank=True, help_text=",C,I,")
    search_text = models.TextField(blank=True)

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    listed_at = models.DateTimeField(_("listed at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["batch", "sequence", "id"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.UniqueConstraint(fields=["batch", "resource"], name="entry_once_per_batch"),
            models.UniqueConstraint(
                fields=["batch", "sequence"],
                condition=models.Q(sequence__isnull=False),
                name="entry_sequence_unique_in_batch",
            ),
        ]
        indexes = [models.Index(fields=["batch", "status", "sequence"], name="entry_batch_status")]

    def __str__(self) -> str:
        return self.citation or f"{self.batch.number}/{self.resource_id} ({self.status})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Published entries never change again, except a listed entry being withdrawn."""
        stored = getattr(self, "_stored_status", None)
        if self._state.adding and self.batch.status == "published":
            raise ValidationError(_("A published batch is final: nothing can be added to it."))
        if stored == EntryStatus.WITHDRAWN or (
            stored == EntryStatus.LISTED and self.status != EntryStatus.WITHDRAWN
        ):
            raise ValidationError(_("A published entry is final; it can only be withdrawn."))
        super().save(*args, **kwargs)
        self._stored_status = self.status

    def get_absolute_url(self) -> str:
        return reverse("api:entry-detail", kwargs={"pk": self.pk})

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.status in PUBLISHED_STATUSES:
            raise ValidationError(_("A published entry is final and cannot be deleted."))
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any, **kwargs: Any) -> "Entry":
        entry = super().from_db(db, field_names, values, **kwargs)
        entry._stored_status = entry.status
        return entry

    @property
    def citation(self) -> str:
        """How the entry is cited once listed: ``batch-2/117``."""
        if self.sequence is None:
            return ""
        return f"batch-{self.batch.number}/{self.sequence}"
