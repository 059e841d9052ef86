from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models.base import Versioned
from pilots.validators import validate_services


class ServicePlatform(Versioned):
    """A service platform for SMEs, run by a platform company (the plan promises 10)."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    operator = models.ForeignKey(
        "registry.Platform",
        on_delete=models.PROTECT,
        related_name="service_platforms",
        verbose_name=_("operator"),
    )
    services = models.JSONField(
        _("services"),
        default=list,
        blank=True,
        validators=[validate_services],
        help_text=_("What it offers SMEs, one short phrase each."),
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    regions = models.ManyToManyField(
        "registry.Region", blank=True, related_name="+", verbose_name=_("regions served")
    )
    nationwide = models.BooleanField(_("nationwide"), default=False)
    launched_year = models.PositiveSmallIntegerField(
        _("year launched"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The year it began serving SMEs (counts toward the plan)."),
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = _("service platform")
        verbose_name_plural = _("service platforms")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("api:service-platform-detail", kwargs={"slug": self.slug})
