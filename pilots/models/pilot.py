from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models.base import Versioned
from pilots.choices import PilotStatus
from pilots.models.scenario import CODE
from pilots.validators import validate_evidence_links, validate_milestones, validate_participants
from registry.validators import validate_credit_code


class PilotProject(Versioned):
    """A pilot project for an open platform resource scenario (the plan promises 100).

    Its lead is a platform, or an SME named with its credit code (never both); the resources it
    uses must be listed in a published batch when they are linked (checked by the services, which
    make every change: ``pilots.services``).
    """

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[CODE])
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    lead_platform = models.ForeignKey(
        "registry.Platform",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pilots",
        verbose_name=_("lead platform"),
    )
    lead_sme_name = models.CharField(_("lead SME"), max_length=200, blank=True)
    lead_sme_credit_code = models.CharField(
        _("lead SME credit code"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    participants = models.JSONField(
        _("participating SMEs"),
        default=list,
        blank=True,
        validators=[validate_participants],
        help_text=_("Each a name and, where known, a credit code."),
    )
    resources = models.ManyToManyField(
        "registry.Resource", blank=True, related_name="pilots", verbose_name=_("resources used")
    )
    scenario = models.ForeignKey(
        "pilots.Scenario",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pilots",
        verbose_name=_("scenario"),
    )
    service_platform = models.ForeignKey(
        "pilots.ServicePlatform",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pilots",
        verbose_name=_("service platform"),
    )
    region = models.ForeignKey(
        "registry.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    industry = models.ForeignKey(
        "registry.Industry", on_delete=models.PROTECT, related_name="+", verbose_name=_("industry")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PilotStatus,
        default=PilotStatus.PROPOSED,
        editable=False,
    )
    year_selected = models.PositiveSmallIntegerField(
        _("year selected"), null=True, blank=True, editable=False
    )
    milestones = models.JSONField(
        _("milestones"),
        default=list,
        blank=True,
        validators=[validate_milestones],
        help_text=_("Each a title, a date and done."),
    )
    outcomes = models.TextField(_("outcomes"), blank=True)
    evidence_links = models.JSONField(
        _("evidence links"),
        default=list,
        blank=True,
        validators=[validate_evidence_links],
        help_text=_("http or https URLs."),
    )
    termination_reason = models.TextField(_("why it was terminated"), blank=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("pilot project")
        verbose_name_plural = _("pilot projects")
        indexes = [models.Index(fields=["status", "year_selected"], name="pilot_status_year")]
        constraints = [
            # Exactly one lead: a platform, or an SME named with its credit code.
            models.CheckConstraint(
                condition=(
                    models.Q(lead_platform__isnull=False, lead_sme_name="", lead_sme_credit_code="")
                    | (
                        models.Q(lead_platform__isnull=True)
                        & ~models.Q(lead_sme_name="")
                        & ~models.Q(lead_sme_credit_code="")
                    )
                ),
                name="pilot_has_one_lead",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("api:pilot-detail", kwargs={"code": self.code})
