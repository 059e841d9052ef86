"""The curators' admin for pilot projects, scenarios and service platforms.

Every change goes through ``pilots.services`` (``core.admin_services.ServiceAdmin``), like the
registry's and the openness lists' admins: objects are created and edited with the services
(versioned and recorded), and the workflows run as admin actions — select, start, complete and
terminate pilots (select asks for the year, terminate for the reason, on the intermediate page),
mark scenarios implementable. A refusal of the workflow (``DomainError``) is reported with
``messages.error``. Nothing is deleted.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from core.admin_services import ServiceAction, ServiceAdmin, reason_form
from pilots import services
from pilots.choices import PilotStatus
from pilots.field_lists import (
    PILOT_FORM,
    PILOT_WORKFLOW,
    SCENARIO_EDITABLE,
    SERVER_KEPT,
    SERVICE_PLATFORM_EDITABLE,
)
from pilots.models import PilotProject, Scenario, ServicePlatform

# What the workflow actions say of the pilots they moved.
PILOTS_MOVED = ngettext_lazy(
    "%(count)d pilot project moved on.", "%(count)d pilot projects moved on.", "count"
)


# Pilot projects ---------------------------------------------------------------------------------


class PilotProjectAdminForm(forms.ModelForm[PilotProject]):
    """Checks what the services check — one lead, resources listed in a published batch, an edit
    the status allows — so a refusal shows on the form, not as an error page."""

    class Meta:
        model = PilotProject
        fields = PILOT_FORM

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        instance = self.instance
        if instance.pk is not None and instance.status not in services.PILOT_TRANSITIONS["edit"]:
            raise forms.ValidationError(
                gettext("A terminated pilot project is final."), code="transition_not_allowed"
            )
        lead = PilotProject(
            lead_platform=cleaned.get("lead_platform"),
            lead_sme_name=cleaned.get("lead_sme_name") or "",
            lead_sme_credit_code=cleaned.get("lead_sme_credit_code") or "",
        )
        try:
            services.check_lead(lead)
        except ValidationError as exc:
            self.add_error(None, exc.messages)
        if "resources" in cleaned:
            before = (
                {str(pk) for pk in instance.resources.values_list("pk", flat=True)}
                if instance.pk
                else set()
            )
            added = [str(r.pk) for r in cleaned["resources"] if str(r.pk) not in before]
            try:
                services.check_resources(added)
            except ValidationError as exc:
                self.add_error("resources", exc.messages)
        return cleaned


class SelectForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year selected"),
        min_value=2000,
        max_value=2100,
        initial=lambda: timezone.localdate().year,
        help_text=_("The year the pilots were selected in."),
    )


TerminateForm = reason_form(_("Shown with each pilot and in its history; required."))


class CodedAdmin[M: Model](ServiceAdmin[M]):
    """Pilots and scenarios: named by a code, set when created; versioned; acted on in code
    order."""

    fixed_fields = ["code"]
    versioned = True
    action_ordering = ["code"]


@admin.register(PilotProject)
class PilotProjectAdmin(CodedAdmin[PilotProject]):
    form = PilotProjectAdminForm
    list_display = [
        "code",
        "name",
        "lead_display",
        "scenario_name",
        "region_name",
        "status",
        "year_selected",
        "updated_at",
    ]
    list_display_links = ["code", "name"]
    list_filter = ["status", "year_selected", "region", "industry", "scenario", "service_platform"]
    search_fields = ["code", "name", "name_en", "lead_sme_name", "lead_platform__name"]
    list_select_related = ["lead_platform", "scenario", "region"]
    autocomplete_fields = ["resources"]
    readonly_fields = [*PILOT_WORKFLOW, *SERVER_KEPT]
    actions = ["select_selected", "start_selected", "complete_selected", "terminate_selected"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["code", "status", "year_selected", "termination_reason", "version"]}),
        (_("Description"), {"fields": ["name", "name_en", "summary"]}),
        (
            _("Lead (a platform, or an SME with its credit code)"),
            {"fields": ["lead_platform", "lead_sme_name", "lead_sme_credit_code"]},
        ),
        (
            _("What and where"),
            {
                "fields": [
                    "participants",
                    "resources",
                    "scenario",
                    "service_platform",
                    "region",
                    "industry",
                ]
            },
        ),
        (_("Progress"), {"fields": ["milestones", "outcomes", "evidence_links"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]
    create_service = services.pilot_create
    update_service = services.pilot_update
    service_key = "pilot_id"
    service_fields = PILOT_FORM

    select_selected = ServiceAction(
        services.pilot_select,
        description=_("Select…"),
        form=SelectForm,
        title=_("Select pilot projects"),
        question=_("Which year were these pilot projects selected in?"),
        allowed=[PilotStatus.PROPOSED],
        done=PILOTS_MOVED,
    )
    start_selected = ServiceAction(services.pilot_start, description=_("Start"), done=PILOTS_MOVED)
    complete_selected = ServiceAction(
        services.pilot_complete, description=_("Complete"), done=PILOTS_MOVED
    )
    terminate_selected = ServiceAction(
        services.pilot_terminate,
        description=_("Terminate…"),
        form=TerminateForm,
        title=_("Terminate pilot projects"),
        question=_("Why are these pilot projects terminated? The reason is shown with each one."),
        allowed=[PilotStatus.SELECTED, PilotStatus.IN_PROGRESS],
        done=PILOTS_MOVED,
    )

    @admin.display(description=_("lead"))
    def lead_display(self, obj: PilotProject) -> str:
        return obj.lead_platform.name if obj.lead_platform else obj.lead_sme_name

    @admin.display(description=_("scenario"), ordering="scenario__code")
    def scenario_name(self, obj: PilotProject) -> str:
        return (
            str(obj.scenario) if obj.scenario else "—"
        )  # wraps, as a foreign key's column does not

    @admin.display(description=_("region"), ordering="region__code")
    def region_name(self, obj: PilotProject) -> str:
        return obj.region.name


# Scenarios --------------------------------------------------------------------------------------


class ScenarioAdminForm(forms.ModelForm[Scenario]):
    class Meta:
        model = Scenario
        fields = SCENARIO_EDITABLE


@admin.register(Scenario)
class ScenarioAdmin(CodedAdmin[Scenario]):
    form = ScenarioAdminForm
    list_display = [
        "code",
        "name",
        "industry_name",
        "ai_capability",
        "maturity",
        "implementable_at",
        "version",
    ]
    list_display_links = ["code", "name"]
    list_filter = ["maturity", "ai_capability", "industry"]
    list_select_related = ["industry"]
    search_fields = ["code", "name", "name_en", "description"]
    readonly_fields = ["maturity", "implementable_at", "version", "created_at", "updated_at"]
    actions = ["mark_implementable_selected"]
    fieldsets = [
        (None, {"fields": ["code", "maturity", "implementable_at", "version"]}),
        (_("Description"), {"fields": ["name", "name_en", "description"]}),
        (_("Classification"), {"fields": ["industry", "ai_capability"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]
    create_service = services.scenario_create
    update_service = services.scenario_update
    service_key = "scenario_id"
    service_fields = SCENARIO_EDITABLE

    mark_implementable_selected = ServiceAction(
        services.scenario_mark_implementable,
        description=_("Mark implementable"),
        done=ngettext_lazy(
            "%(count)d scenario marked implementable.",
            "%(count)d scenarios marked implementable.",
            "count",
        ),
    )

    @admin.display(description=_("industry"), ordering="industry__code")
    def industry_name(self, obj: Scenario) -> str:
        return str(obj.industry)  # wraps, as a foreign key's column does not


# Service platforms ------------------------------------------------------------------------------


class ServicePlatformAdminForm(forms.ModelForm[ServicePlatform]):
    class Meta:
        model = ServicePlatform
        fields = SERVICE_PLATFORM_EDITABLE

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("nationwide") and cleaned.get("regions"):
            self.add_error("regions", gettext("A nationwide service platform lists no regions."))
        return cleaned


@admin.register(ServicePlatform)
class ServicePlatformAdmin(ServiceAdmin[ServicePlatform]):
    form = ServicePlatformAdminForm
    list_display = ["name", "slug", "operator", "launched_year", "nationwide", "version"]
    list_filter = ["launched_year", "nationwide", "operator"]
    search_fields = ["slug", "name", "name_en", "operator__name"]
    list_select_related = ["operator"]
    filter_horizontal = ["regions"]
    readonly_fields = ["version", "created_at", "updated_at"]
    create_service = services.service_platform_create
    update_service = services.service_platform_update
    service_key = "service_platform_id"
    service_fields = SERVICE_PLATFORM_EDITABLE
    fixed_fields = ["slug"]
    versioned = True
