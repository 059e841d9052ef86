import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.roles import is_curator
from openness.selectors import listings_prefetch
from pilots.selectors import pilot_briefs_prefetch
from registry.attributes import attribute_errors
from registry.choices import AccessModel, EnterpriseSize, ResourceStatus, ResourceType


class ResourceQuerySet(models.QuerySet["Resource"]):
    def visible_to(self, user: Any) -> "ResourceQuerySet":
        """The resources ``user`` may read by id.

        Active and withdrawn resources are public; a draft is visible only to the members of its
        platform and to curators. Everything else answers 404.
        """
        if is_curator(user):
            return self
        public = Q(status__in=[ResourceStatus.ACTIVE, ResourceStatus.WITHDRAWN])
        if getattr(user, "is_authenticated", False):
            own_platforms = user.platforms.values("pk")
            return self.filter(public | Q(platform__in=own_platforms))
        return self.filter(public)

    def with_related(self) -> "ResourceQuerySet":
        """The joins every read of a resource needs, in a fixed number of queries."""
        return self.select_related("platform").prefetch_related(
            "tags", "regions", "industries", listings_prefetch(), pilot_briefs_prefetch()
        )


class Resource(models.Model):
    """One thing a platform opens to SMEs: a data set, compute, a model, a chip, an OS, a device."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    platform = models.ForeignKey(
        "registry.Platform",
        on_delete=models.PROTECT,
        related_name="resources",
        verbose_name=_("platform"),
    )
    resource_type = models.CharField(_("resource type"), max_length=20, choices=ResourceType)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    summary_en = models.CharField(_("English summary"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    tags = models.ManyToManyField("registry.Tag", blank=True, related_name="resources")
    industries = models.ManyToManyField(
        "registry.Industry", blank=True, related_name="resources", verbose_name=_("industries")
    )
    regions = models.ManyToManyField(
        "registry.Region",
        blank=True,
        related_name="resources",
        verbose_name=_("regions"),
        help_text=_("Province-level regions where it is available; empty when nationwide."),
    )
    nationwide = models.BooleanField(_("nationwide"), default=False)
    access_model = models.CharField(_("access model"), max_length=20, choices=AccessModel)
    sme_free_quota = models.CharField(_("free quota for SMEs"), max_length=200, blank=True)
    sme_discount = models.CharField(_("discount for SMEs"), max_length=200, blank=True)
    sme_conditions = models.TextField(_("conditions for SMEs"), blank=True)
    eligible_micro = models.BooleanField(_("open to micro enterprises"), default=True)
    eligible_small = models.BooleanField(_("open to small enterprises"), default=True)
    eligible_medium = models.BooleanField(_("open to medium enterprises"), default=True)
    application_url = models.URLField(_("application URL"), blank=True)
    documentation_url = models.URLField(_("documentation URL"), blank=True)
    api_endpoint = models.URLField(_("API endpoint"), blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    attributes = models.JSONField(_("type attributes"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ResourceStatus, default=ResourceStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    listed_at = models.DateTimeField(
        _("first listed at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the resource was first listed in a published batch."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        indexes = [
            models.Index(fields=["status", "-updated_at", "-id"], name="resource_status_updated"),
            models.Index(fields=["status", "name", "id"], name="resource_status_name"),
            models.Index(fields=["status", "resource_type"], name="resource_status_type"),
            models.Index(fields=["platform", "status"], name="resource_platform_status"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("api:resource-detail", kwargs={"pk": self.pk})

    @property
    def eligible_sizes(self) -> list[str]:
        flags = {
            EnterpriseSize.MICRO: self.eligible_micro,
            EnterpriseSize.SMALL: self.eligible_small,
            EnterpriseSize.MEDIUM: self.eligible_medium,
        }
        return [str(size) for size, eligible in flags.items() if eligible]

    def clean(self) -> None:
        super().clean()
        errors = attribute_errors(self.resource_type, self.attributes)
        if errors:
            raise ValidationError(
                {
                    "attributes": [
                        f"{path}: {message}" if path else message for path, message in errors
                    ]
                }
            )
