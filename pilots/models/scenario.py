from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models.base import Versioned
from pilots.choices import AICapability, ScenarioMaturity

CODE = RegexValidator(r"^[A-Z0-9][A-Z0-9-]{1,39}$", _("Use capital letters, digits and hyphens."))


class Scenario(Versioned):
    """An intelligent service application scenario (the plan promises 60 implementable ones)."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[CODE])
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    industry = models.ForeignKey(
        "registry.Industry",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("industry"),
    )
    ai_capability = models.CharField(_("AI capability"), max_length=20, choices=AICapability)
    maturity = models.CharField(
        _("maturity"),
        max_length=20,
        choices=ScenarioMaturity,
        default=ScenarioMaturity.CANDIDATE,
        editable=False,
    )
    implementable_at = models.DateTimeField(
        _("implementable since"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the scenario was found implementable (its year counts toward the plan)."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("api:scenario-detail", kwargs={"code": self.code})
