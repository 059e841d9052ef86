"""The audit trail and the outbox in the admin, read-only: the services write them, never here."""

import json
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from config.admin import CuratorPermissionsMixin, label_of, labelled_filter, related_filter
from core.audit import history_of
from core.models import ChangeRecord, Event


def json_block(value: Any) -> SafeString:
    """``value`` (an event's data, a snapshot) as indented JSON, wrapping in its column."""
    text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
    return format_html('<pre style="white-space: pre-wrap">{}</pre>', text)


class ReadOnlyAdmin(CuratorPermissionsMixin):
    """The admin of what only the services write (the audit trail, the outbox, deliveries):
    curators read it; nothing is added, edited or deleted here."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# Change records ---------------------------------------------------------------------------------

# What each action the services record (``ChangeRecord.action``) is called in the admin.
CHANGE_ACTIONS = {
    "created": _("Created"),
    "updated": _("Changed"),
    "activated": _("Activated"),
    "withdrawn": _("Withdrawn"),
    "deleted": _("Deleted"),
    "member_added": _("Publisher added"),
    "member_removed": _("Publisher removed"),
    "open": _("Opened for submissions"),
    "close": _("Closed for review"),
    "published": _("Published"),
    "submitted": _("Submitted"),
    "retracted": _("Retracted"),
    "approved": _("Approved"),
    "rejected": _("Rejected"),
    "selected": _("Selected"),
    "started": _("Started"),
    "completed": _("Completed"),
    "terminated": _("Terminated"),
    "marked_implementable": _("Marked implementable"),
}


@admin.register(ChangeRecord)
class ChangeRecordAdmin(ReadOnlyAdmin, admin.ModelAdmin[ChangeRecord]):
    """The audit trail, read-only: records are never edited or deleted."""

    list_display = [
        "at",
        "subject_kind",
        "subject_id_display",
        "action_label",
        "version",
        "actor_name",
    ]
    list_filter = [
        labelled_filter("action", _("action"), CHANGE_ACTIONS),
        ("subject_type", related_filter(_("subject type"))),
    ]
    fields = (
        "at",
        "subject_kind",
        "subject_id_display",
        "action_label",
        "version",
        "actor",
        "actor_name",
        "reason",
        "changes",
    )
    readonly_fields = fields
    list_select_related = ["subject_type"]
    search_fields = ["subject_id", "actor_name", "reason"]
    date_hierarchy = "at"
    show_full_result_count = False

    @admin.display(description=_("object"), ordering="subject_type")
    def subject_kind(self, obj: ChangeRecord) -> str:
        return str(obj.subject_type.name)  # the model's verbose name, in the reader's language

    @admin.display(description=_("subject id"), ordering="subject_id")
    def subject_id_display(self, obj: ChangeRecord) -> str:
        return obj.subject_id

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, obj: ChangeRecord) -> str:
        return label_of(CHANGE_ACTIONS, obj.action)


class AuditedAdmin(CuratorPermissionsMixin):
    """The admin base of an audited model: its "History" page shows the object's audit trail (the
    change records its services wrote, ``core.audit``), not Django's own log, which the services
    do not write."""

    HISTORY_SHOWN = 200  # the newest records shown; the rest through the change records' list

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        model_admin: Any = self
        obj = model_admin.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not model_admin.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        trail = history_of(obj)
        total = trail.count()
        records = [
            {
                "record": record,
                "action": label_of(CHANGE_ACTIONS, record.action),
                "fields": sorted(record.changes or {}),
            }
            for record in trail.order_by("-id")[: self.HISTORY_SHOWN]
        ]
        subject_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
        query = urlencode({"subject_type__id__exact": subject_type.pk, "q": str(obj.pk)})
        opts = obj._meta
        context = {
            **model_admin.admin_site.each_context(request),
            "title": _("Change history: %s") % obj,
            "subtitle": None,
            "object": obj,
            "opts": opts,
            "records": records,
            "total": total,
            "more": total > len(records),
            "all_url": f"{reverse('admin:core_changerecord_changelist')}?{query}",
            **(extra_context or {}),
        }
        request.current_app = model_admin.admin_site.name
        return TemplateResponse(request, "admin/audit_history.html", context)


# Events -----------------------------------------------------------------------------------------

# What the events are about (``Event.subject_type``), by the models' labels: the admin names
# them in the reader's language without this layer importing the domain apps.
SUBJECT_MODELS = {
    "batch": "openness.Batch",
    "entry": "openness.Entry",
    "resource": "registry.Resource",
    "subscription": "notifications.Subscription",
    "pilot": "pilots.PilotProject",
    "scenario": "pilots.Scenario",
    "service_platform": "pilots.ServicePlatform",
}


def subject_name(subject_type: str) -> Any:
    """The verbose name of the model of an event's subject (lazy: in the reader's language)."""
    return apps.get_model(SUBJECT_MODELS[subject_type])._meta.verbose_name


def subject_label(subject_type: str) -> str:
    """An event's subject type by its model's name, in the reader's language."""
    return str(subject_name(subject_type)) if subject_type in SUBJECT_MODELS else subject_type


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin, admin.ModelAdmin[Event]):
    """The outbox and change feed, read-only: events are written by the services, never here."""

    list_display = ["id", "type", "occurred_at", "subject", "public"]
    list_filter = [
        "type",
        "public",
        labelled_filter(
            "subject_type",
            _("subject type"),
            {key: subject_name(key) for key in SUBJECT_MODELS},
        ),
    ]
    search_fields = ["subject_id"]
    date_hierarchy = "occurred_at"
    show_full_result_count = False
    fields = ("id", "type", "occurred_at", "subject_kind", "subject_id", "public", "data_display")
    readonly_fields = fields

    @admin.display(description=_("subject"), ordering="subject_id")
    def subject(self, obj: Event) -> str:
        return f"{subject_label(obj.subject_type)} {obj.subject_id}"

    @admin.display(description=_("subject type"), ordering="subject_type")
    def subject_kind(self, obj: Event) -> str:
        return subject_label(obj.subject_type)

    @admin.display(description=_("data"))
    def data_display(self, obj: Event) -> str:
        return json_block(obj.data)
