from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models.base import Timestamped
from core.roles import is_curator, platform_ids_of
from openness.choices import BatchStatus


class BatchQuerySet(models.QuerySet["Batch"]):
    def visible_to(self, user: Any) -> "BatchQuerySet":
        """Published batches to everyone, open ones to publishers too, all to curators."""
        if is_curator(user):
            return self
        statuses = [BatchStatus.PUBLISHED]
        if platform_ids_of(user):
            statuses.append(BatchStatus.OPEN)
        return self.filter(status__in=statuses)


class Batch(Timestamped):
    """A numbered platform openness list (第 n 批平台开放清单)."""

    number = models.PositiveIntegerField(_("number"), unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    document_reference = models.CharField(
        _("official document reference"),
        max_length=100,
        blank=True,
        help_text=_("The notice that publishes the list, e.g. 工信厅企业函〔2026〕123号."),
    )
    submission_opens_at = models.DateTimeField(_("submissions open"), null=True, blank=True)
    submission_closes_at = models.DateTimeField(_("submissions close"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=BatchStatus, default=BatchStatus.DRAFT, editable=False
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    objects = BatchQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("batch")
        verbose_name_plural = _("batches")

    def __str__(self) -> str:
        return f"{self.number}: {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A published batch never changes again: saving one is refused below the API too."""
        if getattr(self, "_stored_status", None) == BatchStatus.PUBLISHED:
            raise ValidationError(_("A published batch is final and cannot be changed."))
        super().save(*args, **kwargs)
        self._stored_status = self.status

    def get_absolute_url(self) -> str:
        return reverse("api:batch-detail", kwargs={"number": self.number})

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.status == BatchStatus.PUBLISHED:
            raise ValidationError(_("A published batch is final and cannot be deleted."))
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any, **kwargs: Any) -> "Batch":
        batch = super().from_db(db, field_names, values, **kwargs)
        batch._stored_status = batch.status
        return batch

    def clean(self) -> None:
        super().clean()
        if (
            self.submission_opens_at
            and self.submission_closes_at
            and self.submission_closes_at <= self.submission_opens_at
        ):
            raise ValidationError(
                {"submission_closes_at": _("Submissions must close after they open.")}
            )
