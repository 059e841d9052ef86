"""The curators' admin for pilot projects, scenarios and service platforms.

Every change goes through ``pilots.services``, like the registry's and the openness lists' admins:
objects are created and edited with the services (versioned and recorded), and the workflows run as
admin actions — select, start, complete and terminate pilots (select asks for the year, terminate
for the reason, on an intermediate page), mark scenarios implementable. A refusal of the workflow
(``DomainError``) is reported with ``messages.error``. Nothing is deleted.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedAdmin
from core.errors import DomainError
from pilots import services
from pilots.choices import PilotStatus
from pilots.models import PilotProject, Scenario, ServicePlatform

PILOT_FORM_FIELDS = [
    "code",
    "name",
    "name_en",
    "summary",
    "lead_platform",
    "lead_sme_name",
    "lead_sme_credit_code",
    "participants",
    "resources",
    "scenario",
    "service_platform",
    "region",
    "industry",
    "milestones",
    "outcomes",
    "evidence_links",
]
SCENARIO_FORM_FIELDS = services.SCENARIO_EDITABLE
SERVICE_PLATFORM_FORM_FIELDS = services.SERVICE_PLATFORM_EDITABLE


def _data(form: Any, names: list[str]) -> dict[str, Any]:
    """The form's values as the services take them (relations as model objects or lists)."""
    data: dict[str, Any] = {}
    for name in names:
        if name in form.cleaned_data:
            value = form.cleaned_data[name]
            data[name] = list(value) if isinstance(value, QuerySet) else value
    return data


def _save(
    request: HttpRequest,
    obj: Model,
    change: bool,
    create: Callable[[], Model],
    update: Callable[[], Model],
) -> None:
    """Saves through the services; a refusal of the workflow is reported, not raised."""
    try:
        saved = update() if change else create()
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return
    obj.pk = saved.pk
    obj._state.adding = False


def _run(
    request: HttpRequest,
    objects: QuerySet[Any],
    call: Callable[[Any], object],
    done: Callable[[int], str],
) -> None:
    """Runs ``call`` on each object; each refusal is reported, the successes counted."""
    count = 0
    for obj in objects:
        try:
            call(obj)
        except DomainError as exc:
            messages.error(request, f"{obj}: {exc.message}")
        except ValidationError as exc:
            messages.error(request, f"{obj}: {'; '.join(exc.messages)}")
        else:
            count += 1
    if count:
        messages.success(request, done(count))


# Pilot projects ---------------------------------------------------------------------------------


class PilotProjectAdminForm(forms.ModelForm[PilotProject]):
    """Checks what the services check — one lead, resources listed in a published batch, an edit
    the status allows — so a refusal shows on the form, not as an error page."""

    class Meta:
        model = PilotProject
        fields = PILOT_FORM_FIELDS

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


class ActionForm(forms.Form):
    """The one value a workflow action asks for on its intermediate page."""


class SelectForm(ActionForm):
    year = forms.IntegerField(
        label=_("Year selected"),
        min_value=2000,
        max_value=2100,
        initial=lambda: timezone.localdate().year,
        help_text=_("The year the pilots were selected in."),
    )


class TerminateForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("Shown with each pilot and in its history; required."),
    )


@admin.register(PilotProject)
class PilotProjectAdmin(AuditedAdmin, admin.ModelAdmin[PilotProject]):
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
    readonly_fields = [
        "status",
        "year_selected",
        "termination_reason",
        "version",
        "created_at",
        "updated_at",
    ]
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

    def get_readonly_fields(
        self, request: HttpRequest, obj: PilotProject | None = None
    ) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "code"] if obj is not None else fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # pilots keep their history: a failed one is terminated

    def save_model(self, request: HttpRequest, obj: PilotProject, form: Any, change: bool) -> None:
        data = _data(form, PILOT_FORM_FIELDS)
        if change:
            data.pop("code", None)
        _save(
            request,
            obj,
            change,
            create=lambda: services.pilot_create(actor=request.user, data=data),
            update=lambda: services.pilot_update(
                actor=request.user, pilot_id=obj.pk, data=data, if_match=None
            ),
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # the resources were saved by save_model, through the services

    def _ordered(self, queryset: QuerySet[PilotProject]) -> QuerySet[PilotProject]:
        return queryset.order_by("code")

    @admin.action(description=_("Select…"))
    def select_selected(
        self, request: HttpRequest, queryset: QuerySet[PilotProject]
    ) -> TemplateResponse | None:
        return self._with_form(
            request,
            queryset,
            action="select_selected",
            form_class=SelectForm,
            title=gettext("Select pilot projects"),
            question=gettext("Which year were these pilot projects selected in?"),
            allowed=PilotStatus.PROPOSED,
            call=lambda pilot, data: services.pilot_select(
                actor=request.user, pilot_id=pilot.pk, year=data["year"]
            ),
        )

    @admin.action(description=_("Start"))
    def start_selected(self, request: HttpRequest, queryset: QuerySet[PilotProject]) -> None:
        _run(
            request,
            self._ordered(queryset),
            lambda pilot: services.pilot_start(actor=request.user, pilot_id=pilot.pk),
            _done,
        )

    @admin.action(description=_("Complete"))
    def complete_selected(self, request: HttpRequest, queryset: QuerySet[PilotProject]) -> None:
        _run(
            request,
            self._ordered(queryset),
            lambda pilot: services.pilot_complete(actor=request.user, pilot_id=pilot.pk),
            _done,
        )

    @admin.action(description=_("Terminate…"))
    def terminate_selected(
        self, request: HttpRequest, queryset: QuerySet[PilotProject]
    ) -> TemplateResponse | None:
        return self._with_form(
            request,
            queryset,
            action="terminate_selected",
            form_class=TerminateForm,
            title=gettext("Terminate pilot projects"),
            question=gettext(
                "Why are these pilot projects terminated? The reason is shown with each one."
            ),
            allowed=(PilotStatus.SELECTED, PilotStatus.IN_PROGRESS),
            call=lambda pilot, data: services.pilot_terminate(
                actor=request.user, pilot_id=pilot.pk, reason=data["reason"]
            ),
        )

    def _with_form(
        self,
        request: HttpRequest,
        queryset: QuerySet[PilotProject],
        *,
        action: str,
        form_class: type[ActionForm],
        title: str,
        question: str,
        allowed: str | tuple[str, ...],
        call: Callable[[PilotProject, dict[str, Any]], object],
    ) -> TemplateResponse | None:
        """An intermediate page asks for the action's value; the pilots are then moved one by
        one, each refusal reported."""
        form = form_class(request.POST if request.POST.get("post") == "yes" else None)
        pilots = list(self._ordered(queryset))
        if form.is_valid():
            _run(
                request,
                self._ordered(queryset),
                lambda pilot: call(pilot, form.cleaned_data),
                _done,
            )
            return None
        statuses = (allowed,) if isinstance(allowed, str) else allowed
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "question": question,
            "opts": self.opts,
            "form": form,
            "objects": pilots,
            "skipped": [pilot for pilot in pilots if pilot.status not in statuses],
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/pilots/action_form.html", context)


def _done(count: int) -> str:
    return ngettext(
        "%(count)d pilot project moved on.", "%(count)d pilot projects moved on.", count
    ) % {"count": count}


# Scenarios --------------------------------------------------------------------------------------


class ScenarioAdminForm(forms.ModelForm[Scenario]):
    class Meta:
        model = Scenario
        fields = SCENARIO_FORM_FIELDS


@admin.register(Scenario)
class ScenarioAdmin(AuditedAdmin, admin.ModelAdmin[Scenario]):
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

    @admin.display(description=_("industry"), ordering="industry__code")
    def industry_name(self, obj: Scenario) -> str:
        return str(obj.industry)  # wraps, as a foreign key's column does not

    def get_readonly_fields(self, request: HttpRequest, obj: Scenario | None = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "code"] if obj is not None else fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Scenario, form: Any, change: bool) -> None:
        data = _data(form, SCENARIO_FORM_FIELDS)
        if change:
            data.pop("code", None)
        _save(
            request,
            obj,
            change,
            create=lambda: services.scenario_create(actor=request.user, data=data),
            update=lambda: services.scenario_update(
                actor=request.user, scenario_id=obj.pk, data=data, if_match=None
            ),
        )

    @admin.action(description=_("Mark implementable"))
    def mark_implementable_selected(
        self, request: HttpRequest, queryset: QuerySet[Scenario]
    ) -> None:
        _run(
            request,
            queryset.order_by("code"),
            lambda scenario: services.scenario_mark_implementable(
                actor=request.user, scenario_id=scenario.pk
            ),
            lambda n: (
                ngettext(
                    "%(count)d scenario marked implementable.",
                    "%(count)d scenarios marked implementable.",
                    n,
                )
                % {"count": n}
            ),
        )


# Service platforms ------------------------------------------------------------------------------


class ServicePlatformAdminForm(forms.ModelForm[ServicePlatform]):
    class Meta:
        model = ServicePlatform
        fields = SERVICE_PLATFORM_FORM_FIELDS

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("nationwide") and cleaned.get("regions"):
            self.add_error("regions", gettext("A nationwide service platform lists no regions."))
        return cleaned


@admin.register(ServicePlatform)
class ServicePlatformAdmin(AuditedAdmin, admin.ModelAdmin[ServicePlatform]):
    form = ServicePlatformAdminForm
    list_display = ["name", "slug", "operator", "launched_year", "nationwide", "version"]
    list_filter = ["launched_year", "nationwide", "operator"]
    search_fields = ["slug", "name", "name_en", "operator__name"]
    list_select_related = ["operator"]
    filter_horizontal = ["regions"]
    readonly_fields = ["version", "created_at", "updated_at"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: ServicePlatform | None = None
    ) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "slug"] if obj is not None else fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: ServicePlatform, form: Any, change: bool
    ) -> None:
        data = _data(form, SERVICE_PLATFORM_FORM_FIELDS)
        if change:
            data.pop("slug", None)
        _save(
            request,
            obj,
            change,
            create=lambda: services.service_platform_create(actor=request.user, data=data),
            update=lambda: services.service_platform_update(
                actor=request.user, service_platform_id=obj.pk, data=data, if_match=None
            ),
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # the regions were saved by save_model, through the services
