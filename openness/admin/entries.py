"""The review list of entries. Entries are submitted by publishers (the API) and decided here by
actions — approved, rejected and withdrawn (a reason asked for on the intermediate page) through
``openness.services``; the change page is read-only, and nothing is added or deleted."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from config.admin import label_of, labelled_filter, related_filter
from core.admin import json_block
from core.admin_services import ServiceAction, ServiceAdmin, reason_form
from core.roles import is_curator
from openness import services
from openness.choices import EntryStatus
from openness.models import Entry
from registry.choices import ResourceType

RESOURCE_TYPES = dict(ResourceType.choices)


ReasonForm = reason_form(_("Shown with each entry; required."))


@admin.register(Entry)
class EntryAdmin(ServiceAdmin[Entry]):
    """The review list: decided by the actions below, never edited."""

    list_display = [
        "citation_display",
        "batch_number",
        "resource_name",
        "platform_name",
        "type_label",
        "status",
        "submitted_at",
    ]
    list_filter = [
        "batch",
        "status",
        labelled_filter("resource_type", _("resource type"), RESOURCE_TYPES),
        ("platform", related_filter(_("platform"))),  # the entry's copy has no verbose name
    ]
    search_fields = ["resource__name", "resource__name_en"]
    list_select_related = ["batch", "resource", "platform"]
    actions = ["approve_selected", "reject_selected", "withdraw_selected"]
    show_full_result_count = False
    fields = (
        "citation_display",
        "batch",
        "resource",
        "platform_name",
        "type_label",
        "status",
        "reason",
        "submitted_by_display",
        "submitted_at",
        "decided_by_display",
        "decided_at",
        "listed_at",
        "listed_version",
        "withdrawn_by_display",
        "withdrawn_at",
        "snapshot_display",
    )
    readonly_fields = fields
    service_key = "entry_id"
    action_ordering = ["batch__number", "submitted_at", "pk"]

    approve_selected = ServiceAction(
        services.entry_approve,
        description=_("Approve selected entries"),
        permissions=["review"],
        done=ngettext_lazy("%(count)d entry approved.", "%(count)d entries approved.", "count"),
    )
    reject_selected = ServiceAction(
        services.entry_reject,
        description=_("Reject selected entries…"),
        permissions=["review"],
        form=ReasonForm,
        title=_("Reject entries"),
        question=_("Why are these entries rejected? The reason is shown to their publishers."),
        done=ngettext_lazy("%(count)d entry rejected.", "%(count)d entries rejected.", "count"),
    )
    withdraw_selected = ServiceAction(
        services.entry_withdraw,
        description=_("Withdraw selected listed entries…"),
        permissions=["review"],
        form=ReasonForm,
        title=_("Withdraw listed entries"),
        question=_(
            "Why are these entries withdrawn? They keep their numbers and stay readable as "
            "withdrawn, with this reason."
        ),
        allowed=[EntryStatus.LISTED],
        done=ngettext_lazy("%(count)d entry withdrawn.", "%(count)d entries withdrawn.", "count"),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Entry]:
        return super().get_queryset(request).select_related("batch", "resource", "platform")

    def has_review_permission(self, request: HttpRequest) -> bool:
        return is_curator(request.user)

    def refusal(self, obj: Entry, message: str) -> str:
        label = obj.citation or f"{obj.resource.name} ({obj.batch.number})"
        return f"{label}: {message}"

    def action_label(self, obj: Entry) -> str:
        citation = f"{obj.citation} · " if obj.citation else ""
        where = f"{gettext('batch')} {obj.batch.number}, {obj.get_status_display()}"
        return f"{citation}{obj.resource.name} — {obj.platform.name} ({where})"

    def skipped_note(self, count: int) -> str:
        return ngettext(
            "%(counter)s selected entry is not in a status that allows this and will be refused.",
            "%(counter)s selected entries are not in a status that allows this and will be "
            "refused.",
            count,
        ) % {"counter": count}

    @admin.display(description=_("citation"), ordering="sequence")
    def citation_display(self, obj: Entry) -> str:
        return obj.citation or "—"

    @admin.display(description=_("batch"), ordering="batch__number")
    def batch_number(self, obj: Entry) -> int:
        return obj.batch.number

    @admin.display(description=_("resource"), ordering="resource__name")
    def resource_name(self, obj: Entry) -> str:
        return obj.resource.name

    @admin.display(description=_("platform"), ordering="platform__name")
    def platform_name(self, obj: Entry) -> str:
        return obj.platform.name  # a method's column wraps, a foreign key's does not

    @admin.display(description=_("resource type"), ordering="resource_type")
    def type_label(self, obj: Entry) -> str:
        return label_of(RESOURCE_TYPES, obj.resource_type)

    # Who submitted, reviewed and withdrew it: the keys have no verbose names of their own.
    @admin.display(description=_("submitted by"))
    def submitted_by_display(self, obj: Entry) -> str:
        return str(obj.submitted_by or "—")

    @admin.display(description=_("reviewed by"))
    def decided_by_display(self, obj: Entry) -> str:
        return str(obj.decided_by or "—")

    @admin.display(description=_("withdrawn by"))
    def withdrawn_by_display(self, obj: Entry) -> str:
        return str(obj.withdrawn_by or "—")

    @admin.display(description=_("snapshot (as listed)"))
    def snapshot_display(self, obj: Entry) -> str:
        if not obj.snapshot:
            return "—"
        return json_block(obj.snapshot)
