import json

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from registry.attributes import TYPE_SPECS
from registry.models import Industry, Platform, Region, Resource, Tag


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name", "name_en"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a shipped vocabulary (GB/T 2260)

    def has_delete_permission(self, request: HttpRequest, obj: Region | None = None) -> bool:
        return False


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin[Industry]):
    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name", "name_en"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a shipped vocabulary (GB/T 4754-2017)

    def has_delete_permission(self, request: HttpRequest, obj: Industry | None = None) -> bool:
        return False


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin[Tag]):
    search_fields = ["name"]


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin[Platform]):
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


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin[Resource]):
    list_display = [
        "name",
        "platform",
        "resource_type",
        "access_model",
        "status",
        "version",
        "updated_at",
    ]
    list_filter = [
        "resource_type",
        "status",
        "access_model",
        "nationwide",
        "platform",
        "industries",
    ]
    search_fields = ["name", "name_en", "summary", "platform__name", "tags__name"]
    list_select_related = ["platform"]
    autocomplete_fields = ["tags"]
    filter_horizontal = ["industries", "regions"]
    readonly_fields = ["id", "version", "listed_at", "created_at", "updated_at", "attributes_table"]
    date_hierarchy = "updated_at"
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["id", "platform", "resource_type", "status", "version"]}),
        (
            _("Description"),
            {
                "fields": [
                    "name",
                    "name_en",
                    "summary",
                    "summary_en",
                    "description",
                    "description_en",
                    "tags",
                ]
            },
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

    def get_queryset(self, request: HttpRequest) -> QuerySet[Resource]:
        return super().get_queryset(request).select_related("platform")

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
            rows.append(
                format_html(
                    "<tr><th>{}</th><td><code>{}</code></td><td>{}</td></tr>", key, shown, label
                )
            )
        return format_html("<table>{}</table>", format_html("".join(rows)))
