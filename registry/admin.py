import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from config.admin import CuratorPermissionsMixin
from core.admin_services import ServiceAction, ServiceAdmin
from core.errors import DomainError

# admin_users and admin_tokens register the User, Group and ApiToken admins on import.
from registry import admin_tokens, admin_users, services  # noqa: F401
from registry.attributes import TYPE_SPECS
from registry.choices import ResourceStatus
from registry.field_lists import RESOURCE_TEXTS
from registry.models import Industry, Platform, Region, Resource, SynonymGroup, Tag
from registry.search.query import forget_synonyms
from registry.validators import fold_name, normalize_name


@admin.register(Region)
class RegionAdmin(CuratorPermissionsMixin, admin.ModelAdmin[Region]):
    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name", "name_en"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a shipped vocabulary (GB/T 2260)

    def has_delete_permission(self, request: HttpRequest, obj: Region | None = None) -> bool:
        return False


@admin.register(Industry)
class IndustryAdmin(CuratorPermissionsMixin, admin.ModelAdmin[Industry]):
    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name", "name_en"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a shipped vocabulary (GB/T 4754-2017)

    def has_delete_permission(self, request: HttpRequest, obj: Industry | None = None) -> bool:
        return False


@admin.register(Tag)
class TagAdmin(CuratorPermissionsMixin, admin.ModelAdmin[Tag]):
    search_fields = ["name"]


@admin.register(SynonymGroup)
class SynonymGroupAdmin(CuratorPermissionsMixin, admin.ModelAdmin[SynonymGroup]):
    """Curators extend the search's synonyms here; a change applies to the next searches (every
    web process reads the groups again within a minute), with no re-indexing."""

    list_display = ["__str__", "note", "active", "updated_at"]
    list_filter = ["active"]
    search_fields = ["terms", "note"]

    def save_model(self, request: HttpRequest, obj: SynonymGroup, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        forget_synonyms()

    def delete_model(self, request: HttpRequest, obj: SynonymGroup) -> None:
        super().delete_model(request, obj)
        forget_synonyms()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[SynonymGroup]) -> None:
        super().delete_queryset(request, queryset)
        forget_synonyms()


class PlatformAdminForm(forms.ModelForm[Platform]):
    """Refuses a slug another platform has, ignoring case (as ``services.platform_create`` does),
    with a form error rather than a failed save."""

    class Meta:
        model = Platform
        fields = ["slug"]  # the admin's fieldsets add the rest

    def clean_slug(self) -> str:
        slug = normalize_name(self.cleaned_data["slug"])
        others = Platform.objects.filter(slug__iexact=slug).exclude(pk=self.instance.pk)
        if any(
            fold_name(other) == fold_name(slug) for other in others.values_list("slug", flat=True)
        ):
            raise forms.ValidationError(
                _("Another platform already has this slug, ignoring case."), code="unique"
            )
        return slug


@admin.register(Platform)
class PlatformAdmin(ServiceAdmin[Platform]):
    form = PlatformAdminForm
    list_display = ["name", "name_en", "slug", "credit_code", "headquarters_region", "verified"]
    list_filter = ["verified", "headquarters_region"]
    search_fields = ["name", "name_en", "slug", "credit_code"]
    prepopulated_fields = {"slug": ["name_en"]}
    filter_horizontal = ["members"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "name_en", "slug", "credit_code", "verified"]}),
        (
            _("Profile"),
            {"fields": ["website", "headquarters_region", "description", "description_en"]},
        ),
        (_("Contact"), {"fields": ["contact_name", "contact_email", "contact_phone"]}),
        (_("Publishers"), {"fields": ["members"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]
    create_service = services.platform_create
    update_service = services.platform_update
    service_key = "platform_id"
    service_fields = services.PLATFORM_FIELDS

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Membership changes go through the services, so each one is recorded."""
        platform = Platform.objects.get(pk=form.instance.pk)
        wanted = set(form.cleaned_data.get("members", []))
        current = set(platform.members.all())
        for user in wanted - current:
            services.member_add(actor=request.user, platform=platform, user=user)
        for user in current - wanted:
            services.member_remove(actor=request.user, platform=platform, user=user)


class RegionFilter(admin.SimpleListFilter):
    """Resources by where they are available: nationwide ones, or those naming a province (the
    provinces some resource names, in code order). A province's list leaves out the nationwide
    resources, which have a choice of their own."""

    title = _("region")
    parameter_name = "region"
    NATIONWIDE = "nationwide"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        named = Resource.regions.through.objects.filter(region_id=OuterRef("pk"))
        provinces = Region.objects.filter(Exists(named)).order_by("code")
        return [(self.NATIONWIDE, _("Nationwide")), *((r.code, r.name) for r in provinces)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Resource]) -> QuerySet[Resource]:
        value = self.value()
        if value == self.NATIONWIDE:
            return queryset.filter(nationwide=True)
        if value:
            return queryset.filter(regions__code=value)
        return queryset


# What a curator edits of a resource (its status moves by the workflow only).
RESOURCE_FORM_FIELDS = [
    *(name for name in services.RESOURCE_FIELDS if name != "status"),
    *services.RESOURCE_M2M,
]


class ResourceAdminForm(forms.ModelForm[Resource]):
    """Refuses, with the workflow's own reason, an edit the resource's status does not allow."""

    class Meta:
        model = Resource
        fields = RESOURCE_FORM_FIELDS

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk is not None:
            try:
                services.ensure_editable(self.instance)
            except DomainError as exc:
                raise forms.ValidationError(
                    str(exc.message), code="transition_not_allowed"
                ) from exc
        return cleaned


@admin.register(Resource)
class ResourceAdmin(ServiceAdmin[Resource]):
    form = ResourceAdminForm
    # A foreign key's column never wraps in the admin's lists: the platform's (long) name is
    # shown by a method instead, which does.
    list_display = [
        "name",
        "platform_name",
        "resource_type",
        "access_model",
        "status",
        "updated_at",
    ]
    list_filter = [
        "resource_type",
        "status",
        "access_model",
        RegionFilter,
        "platform",
        "industries",
    ]
    search_fields = ["name", "name_en", "summary", "platform__name", "tags__name"]
    list_select_related = ["platform"]
    autocomplete_fields = ["tags"]
    filter_horizontal = ["industries", "regions"]
    readonly_fields = [
        "id",
        "status",
        "version",
        "listed_at",
        "created_at",
        "updated_at",
        "attributes_table",
    ]
    actions = ["activate_selected"]
    date_hierarchy = "updated_at"
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["id", "platform", "resource_type", "status", "version"]}),
        (
            _("Description"),
            {"fields": [*RESOURCE_TEXTS, "tags"]},
        ),
        (_("Where and for whom"), {"fields": ["industries", "nationwide", "regions"]}),
        (
            _("Access and SME terms"),
            {
                "fields": [
                    "access_model",
                    "sme_free_quota",
                    "sme_discount",
                    "eligible_micro",
                    "eligible_small",
                    "eligible_medium",
                    "sme_conditions",
                ]
            },
        ),
        (
            _("Links"),
            {"fields": ["application_url", "documentation_url", "api_endpoint", "contact"]},
        ),
        (_("Type attributes"), {"fields": ["attributes_table", "attributes"]}),
        (_("Record"), {"fields": ["listed_at", "created_at", "updated_at"]}),
    ]
    create_service = services.resource_create
    update_service = services.resource_update
    delete_service = services.resource_delete
    service_key = "resource_id"
    service_fields = RESOURCE_FORM_FIELDS
    related_keys = services.RESOURCE_M2M  # tags by name, industries and regions by code
    fixed_fields = ["platform"]
    versioned = True
    refusal_level = messages.WARNING

    activate_selected = ServiceAction(
        services.resource_activate,
        description=_("Activate the selected drafts"),
        done=_("%(count)d resource(s) activated."),
        done_level=messages.INFO,
        done_when_none=True,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Resource]:
        return super().get_queryset(request).select_related("platform")

    def has_delete_permission(self, request: HttpRequest, obj: Resource | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.status == ResourceStatus.DRAFT)

    def create_object(self, request: HttpRequest, data: dict[str, Any]) -> Resource:
        platform = data.pop("platform")
        return services.resource_create(actor=request.user, platform=platform, data=data)

    @admin.display(description=_("platform"), ordering="platform__name")
    def platform_name(self, obj: Resource) -> str:
        return obj.platform.name

    @admin.display(description=_("Attributes"))
    def attributes_table(self, obj: Resource) -> str:
        """The type attributes as a readable table, labelled with the schema's descriptions."""
        spec = TYPE_SPECS.get(obj.resource_type)
        if spec is None or not obj.attributes:
            return "—"
        properties = spec.schema["properties"]
        rows = []
        for key, value in obj.attributes.items():
            label = properties.get(key, {}).get("description", key)
            shown = (
                ", ".join(map(str, value))
                if isinstance(value, list)
                else json.dumps(value, ensure_ascii=False).strip('"')
            )
            rows.append((key, shown, label))
        # format_html() without arguments is a TypeError since Django 6.0: join the escaped rows.
        body = format_html_join("", "<tr><th>{}</th><td><code>{}</code></td><td>{}</td></tr>", rows)
        return format_html("<table>{}</table>", body)
