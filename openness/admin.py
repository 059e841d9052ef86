"""The curators' admin for the openness lists: batches run through their workflow (each batch's
page lists its entries, the first ``BATCH_ENTRIES_SHOWN`` of them, and leads to the rest in the
entry list) and the review list of entries (the events' admin is core's). Columns copied without
choices (an entry's resource type) are shown by their labels, not their keys.

Every change goes through ``openness.services``, like the registry's admin: a batch is created
and edited with ``batch_create``/``batch_update``; opened, closed and published with admin actions
(publication confirmed on an intermediate page); entries are approved, rejected and withdrawn with
actions (a reason asked for on an intermediate page). A refusal of the workflow (``DomainError``)
is reported with ``messages.error``. Nothing is deleted.
"""

import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count, F, Q, QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from config.admin import label_of, labelled_filter, related_filter
from core.admin import AuditedAdmin
from core.errors import DomainError
from core.roles import is_curator
from openness import services
from openness.choices import BatchStatus, EntryStatus
from openness.models import Batch, Entry
from registry.choices import ResourceType

RESOURCE_TYPES = dict(ResourceType.choices)
# The batch page lists this many of its entries; the entry list, filtered on it, has them all.
BATCH_ENTRIES_SHOWN = 100

# Batches ----------------------------------------------------------------------------------------


class BatchAdminForm(forms.ModelForm[Batch]):
    """Refuses an edit of a published batch with the workflow's own reason."""

    class Meta:
        model = Batch
        fields = services.BATCH_FIELDS

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk is not None and self.instance.status == BatchStatus.PUBLISHED:
            raise forms.ValidationError(
                gettext("A published batch is final and cannot be changed."), code="batch_final"
            )
        return cleaned


def _count(status: str) -> Count:
    return Count("entries", filter=Q(entries__status=status))


@admin.register(Batch)
class BatchAdmin(AuditedAdmin, admin.ModelAdmin[Batch]):
    form = BatchAdminForm
    list_display = [
        "number",
        "title",
        "year",
        "status",
        "published_at",
        "entry_count",
        "awaiting_count",
        "approved_count",
        "listed_count",
        "withdrawn_count",
    ]
    list_display_links = ["number", "title"]
    list_filter = ["status", "year"]
    search_fields = ["title", "title_en", "document_reference"]
    readonly_fields = ["number", "status", "published_at", "created_at", "updated_at"]
    actions = ["open_selected", "close_selected", "publish_selected"]
    fieldsets = [
        (None, {"fields": ["number", "status", "published_at"]}),
        (_("List"), {"fields": ["title", "title_en", "year", "document_reference"]}),
        (_("Submissions"), {"fields": ["submission_opens_at", "submission_closes_at"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]
    entries_fieldset = (_("Entries"), {"fields": ["entries_table"], "classes": ["wide"]})

    def get_fieldsets(self, request: HttpRequest, obj: Batch | None = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        return fieldsets if obj is None else [*fieldsets, self.entries_fieldset]

    def get_readonly_fields(self, request: HttpRequest, obj: Batch | None = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        return fields if obj is None else [*fields, "entries_table"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Batch]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                entry_total=Count("entries"),
                awaiting=_count(EntryStatus.SUBMITTED),
                approved=_count(EntryStatus.APPROVED),
                listed=_count(EntryStatus.LISTED),
                withdrawn=_count(EntryStatus.WITHDRAWN),
            )
        )

    @admin.display(description=_("entries"), ordering="entry_total")
    def entry_count(self, obj: Batch) -> int:
        return getattr(obj, "entry_total", 0)

    @admin.display(description=_("awaiting review"), ordering="awaiting")
    def awaiting_count(self, obj: Batch) -> int:
        return getattr(obj, "awaiting", 0)

    @admin.display(description=_("approved"), ordering="approved")
    def approved_count(self, obj: Batch) -> int:
        return getattr(obj, "approved", 0)

    @admin.display(description=_("listed"), ordering="listed")
    def listed_count(self, obj: Batch) -> int:
        return getattr(obj, "listed", 0)

    @admin.display(description=_("withdrawn"), ordering="withdrawn")
    def withdrawn_count(self, obj: Batch) -> int:
        return getattr(obj, "withdrawn", 0)

    @admin.display(description=_("entries"))
    def entries_table(self, obj: Batch) -> str:
        """The batch's entries, listed ones by number, then the others as submitted: the first
        ``BATCH_ENTRIES_SHOWN`` of them, the counts by status, and links to the entry list
        filtered on the batch (and on each status) for the rest."""
        shown = list(
            obj.entries.select_related("resource", "platform")
            .only(
                "sequence",
                "status",
                "decided_at",
                "batch_id",
                "resource__name",
                "platform__name",
            )
            .order_by(F("sequence").asc(nulls_last=True), "submitted_at", "pk")[
                :BATCH_ENTRIES_SHOWN
            ]
        )
        for entry in shown:
            entry.batch = obj  # the citation needs the number; no query per entry
        counted = obj.entries.values("status").annotate(count=Count("pk")).order_by()
        by_status = {row["status"]: row["count"] for row in counted}
        statuses = [
            {"label": label, "count": by_status[status], "url": _entry_list(obj, status)}
            for status, label in EntryStatus.choices
            if by_status.get(status)
        ]
        total = sum(by_status.values())
        return render_to_string(
            "admin/openness/batch/entries.html",
            {
                "entries": shown,
                "total": total,
                "more": total - len(shown),
                "statuses": statuses,
                "all_url": _entry_list(obj),
            },
        )

    def has_change_permission(self, request: HttpRequest, obj: Batch | None = None) -> bool:
        """A published batch is view-only."""
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.status != BatchStatus.PUBLISHED)

    def has_delete_permission(self, request: HttpRequest, obj: Batch | None = None) -> bool:
        return False  # batches keep their numbers and history; none is deleted

    def save_model(self, request: HttpRequest, obj: Batch, form: Any, change: bool) -> None:
        """Saves through the services (validated and recorded)."""
        data = {
            name: form.cleaned_data[name]
            for name in services.BATCH_FIELDS
            if name in form.cleaned_data
        }
        try:
            if change:
                saved = services.batch_update(actor=request.user, batch_id=obj.pk, data=data)
            else:
                saved = services.batch_create(actor=request.user, data=data)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return
        obj.pk, obj.number, obj.status = saved.pk, saved.number, saved.status
        obj._state.adding = False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # a batch has no relations edited here

    def _move(
        self,
        request: HttpRequest,
        queryset: QuerySet[Batch],
        service: Callable[..., Batch],
        done_message: str,
    ) -> None:
        """Moves each batch with ``service``; each success and each refusal is reported."""
        for batch in queryset.order_by("number"):
            try:
                service(actor=request.user, batch_id=batch.pk)
            except DomainError as exc:
                messages.error(
                    request,
                    gettext("Batch %(number)d: %(error)s")
                    % {"number": batch.number, "error": exc.message},
                )
            else:
                messages.success(request, done_message % {"number": batch.number})

    @admin.action(description=_("Open for submissions"))
    def open_selected(self, request: HttpRequest, queryset: QuerySet[Batch]) -> None:
        self._move(request, queryset, services.batch_open, gettext("Batch %(number)d is open."))

    @admin.action(description=_("Close for review"))
    def close_selected(self, request: HttpRequest, queryset: QuerySet[Batch]) -> None:
        self._move(
            request,
            queryset,
            services.batch_close,
            gettext("Batch %(number)d is closed for review."),
        )

    @admin.action(description=_("Publish…"))
    def publish_selected(
        self, request: HttpRequest, queryset: QuerySet[Batch]
    ) -> TemplateResponse | None:
        """Asks for confirmation first, showing what publication will list."""
        if request.POST.get("post") == "yes":
            self._move(
                request,
                queryset,
                services.batch_publish,
                gettext("Batch %(number)d is published."),
            )
            return None
        batches = []
        for batch in queryset.order_by("number"):
            approved = batch.entries.filter(status=EntryStatus.APPROVED).count()
            awaiting = batch.entries.filter(status=EntryStatus.SUBMITTED).count()
            ready = batch.status == BatchStatus.REVIEW and not awaiting
            batches.append(
                {"batch": batch, "to_list": approved, "awaiting": awaiting, "ready": ready}
            )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Publish batches"),
            "subtitle": None,
            "opts": self.opts,
            "batches": batches,
            "publishable": any(row["ready"] for row in batches),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/openness/batch/publish_confirmation.html", context)


def _entry_list(batch: Batch, status: str = "") -> str:
    """The entry list, filtered on ``batch`` (and on ``status``)."""
    query = {"batch__id__exact": str(batch.pk)}
    if status:
        query["status__exact"] = status
    return f"{reverse('admin:openness_entry_changelist')}?{urlencode(query)}"


# Entries ----------------------------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("Shown with each entry; required."),
    )


@admin.register(Entry)
class EntryAdmin(AuditedAdmin, admin.ModelAdmin[Entry]):
    """The review list. Entries are submitted by publishers (the API) and decided here, by actions:
    the change page is read-only."""

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

    def get_queryset(self, request: HttpRequest) -> QuerySet[Entry]:
        return super().get_queryset(request).select_related("batch", "resource", "platform")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # publishers submit through the API

    def has_change_permission(self, request: HttpRequest, obj: Entry | None = None) -> bool:
        return False  # decided by the actions below, never edited

    def has_delete_permission(self, request: HttpRequest, obj: Entry | None = None) -> bool:
        return False

    def has_review_permission(self, request: HttpRequest) -> bool:
        return is_curator(request.user)

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
        text = json.dumps(obj.snapshot, ensure_ascii=False, indent=2, sort_keys=True)
        return format_html('<pre style="white-space: pre-wrap">{}</pre>', text)

    def _decide(
        self,
        request: HttpRequest,
        entries: QuerySet[Entry],
        call: Callable[[Entry], object],
        done: Callable[[int], str],
    ) -> None:
        count = 0
        for entry in entries.order_by("batch__number", "submitted_at", "pk"):
            try:
                call(entry)
            except DomainError as exc:
                messages.error(request, f"{_entry_label(entry)}: {exc.message}")
            else:
                count += 1
        if count:
            messages.success(request, done(count))

    @admin.action(description=_("Approve selected entries"), permissions=["review"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Entry]) -> None:
        self._decide(
            request,
            queryset,
            lambda entry: services.entry_approve(actor=request.user, entry_id=entry.pk),
            lambda n: (
                ngettext("%(count)d entry approved.", "%(count)d entries approved.", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Reject selected entries…"), permissions=["review"])
    def reject_selected(
        self, request: HttpRequest, queryset: QuerySet[Entry]
    ) -> TemplateResponse | None:
        return self._with_reason(
            request,
            queryset,
            action="reject_selected",
            title=gettext("Reject entries"),
            question=gettext(
                "Why are these entries rejected? The reason is shown to their publishers."
            ),
            call=lambda entry, reason: services.entry_reject(
                actor=request.user, entry_id=entry.pk, reason=reason
            ),
            done=lambda n: (
                ngettext("%(count)d entry rejected.", "%(count)d entries rejected.", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Withdraw selected listed entries…"), permissions=["review"])
    def withdraw_selected(
        self, request: HttpRequest, queryset: QuerySet[Entry]
    ) -> TemplateResponse | None:
        return self._with_reason(
            request,
            queryset,
            action="withdraw_selected",
            title=gettext("Withdraw listed entries"),
            question=gettext(
                "Why are these entries withdrawn? They keep their numbers and stay readable as "
                "withdrawn, with this reason."
            ),
            call=lambda entry, reason: services.entry_withdraw(
                actor=request.user, entry_id=entry.pk, reason=reason
            ),
            done=lambda n: (
                ngettext("%(count)d entry withdrawn.", "%(count)d entries withdrawn.", n)
                % {"count": n}
            ),
            only=EntryStatus.LISTED,
        )

    def _with_reason(
        self,
        request: HttpRequest,
        queryset: QuerySet[Entry],
        *,
        action: str,
        title: str,
        question: str,
        call: Callable[[Entry, str], object],
        done: Callable[[int], str],
        only: str | None = None,
    ) -> TemplateResponse | None:
        """An intermediate page asks for the reason (required); the entries are then decided one
        by one, each refusal reported."""
        form = ReasonForm(request.POST if request.POST.get("post") == "yes" else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self._decide(request, queryset, lambda entry: call(entry, reason), done)
            return None
        entries = list(queryset.order_by("batch__number", "submitted_at", "pk"))
        skipped = [entry for entry in entries if only is not None and entry.status != only]
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "question": question,
            "opts": self.opts,
            "form": form,
            "entries": entries,
            "skipped": skipped,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/openness/entry/reason_form.html", context)


def _entry_label(entry: Entry) -> str:
    return entry.citation or f"{entry.resource.name} ({entry.batch.number})"
