"""Batches in the curators' admin: created and edited through ``openness.services``
(``batch_create``/``batch_update``), opened, closed and published by actions (publication
confirmed on the intermediate page, which shows what it will list), never deleted. Each batch's
page lists its entries, the first ``BATCH_ENTRIES_SHOWN`` of them, and leads to the rest in the
entry list.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, F, Q, QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin_services import ServiceAction, ServiceAdmin
from openness import services
from openness.choices import BatchStatus, EntryStatus
from openness.field_lists import BATCH_EDITABLE
from openness.models import Batch

# The batch page lists this many of its entries; the entry list, filtered on it, has them all.
BATCH_ENTRIES_SHOWN = 100


class BatchAdminForm(forms.ModelForm[Batch]):
    """Refuses an edit of a published batch with the workflow's own reason."""

    class Meta:
        model = Batch
        fields = BATCH_EDITABLE

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk is not None and self.instance.status == BatchStatus.PUBLISHED:
            raise forms.ValidationError(
                gettext("A published batch is final and cannot be changed."), code="batch_final"
            )
        return cleaned


def _count(status: str) -> Count:
    return Count("entries", filter=Q(entries__status=status))


def _count_column(annotation: str, description: Any) -> Callable[[Any, Batch], int]:
    """A list column showing the count ``get_queryset`` annotated as ``annotation``."""

    @admin.display(description=description, ordering=annotation)
    def column(model_admin: Any, obj: Batch) -> int:
        return getattr(obj, annotation, 0)

    return column


def publication_summary(batches: list[Batch]) -> dict[str, Any]:
    """The publication page's table: what each batch would list, what still awaits review, and
    whether it can be published; the button only when one can."""
    rows, ready_any = [], False
    for batch in batches:
        approved = batch.entries.filter(status=EntryStatus.APPROVED).count()
        awaiting = batch.entries.filter(status=EntryStatus.SUBMITTED).count()
        ready = batch.status == BatchStatus.REVIEW and not awaiting
        ready_any = ready_any or ready
        if ready:
            verdict: Any = gettext("Ready to publish.")
        else:
            refusal = (
                gettext("Cannot be published: approve or reject the waiting entries first.")
                if awaiting
                else gettext("Cannot be published: only a batch in review can be.")
            )
            verdict = format_html('<strong class="errornote-inline">{}</strong>', refusal)
        reference = f" ({batch.document_reference})" if batch.document_reference else ""
        rows.append(
            [f"{batch}{reference}", batch.get_status_display(), approved, awaiting, verdict]
        )
    headings = [
        gettext("Batch"),
        gettext("Status"),
        gettext("Entries to be listed"),
        gettext("Still awaiting review"),
        "",
    ]
    return {
        "summary": {"headings": headings, "rows": rows},
        "submit": gettext("Yes, publish") if ready_any else "",
    }


@admin.register(Batch)
class BatchAdmin(ServiceAdmin[Batch]):
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
    create_service = services.batch_create
    update_service = services.batch_update
    service_key = "batch_id"
    service_fields = BATCH_EDITABLE
    refreshed_fields = ["number", "status"]  # its name in the messages is its number
    action_ordering = ["number"]

    open_selected = ServiceAction(
        services.batch_open,
        description=_("Open for submissions"),
        done_each=lambda batch: gettext("Batch %(number)d is open.") % {"number": batch.number},
    )
    close_selected = ServiceAction(
        services.batch_close,
        description=_("Close for review"),
        done_each=lambda batch: (
            gettext("Batch %(number)d is closed for review.") % {"number": batch.number}
        ),
    )
    publish_selected = ServiceAction(
        services.batch_publish,
        description=_("Publish…"),
        confirm=True,
        title=_("Publish batches"),
        question=_(
            "Publication is final: every approved entry is listed with a number and a frozen "
            "snapshot of its resource, and the batch can never change again (a listed entry can "
            "only be withdrawn)."
        ),
        page=publication_summary,
        done_each=lambda batch: (
            gettext("Batch %(number)d is published.") % {"number": batch.number}
        ),
    )

    # The list's counts, annotated by get_queryset.
    entry_count = _count_column("entry_total", _("entries"))
    awaiting_count = _count_column("awaiting", _("awaiting review"))
    approved_count = _count_column("approved", _("approved"))
    listed_count = _count_column("listed", _("listed"))
    withdrawn_count = _count_column("withdrawn", _("withdrawn"))

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

    def refusal(self, obj: Batch, message: str) -> str:
        return gettext("Batch %(number)d: %(error)s") % {"number": obj.number, "error": message}


def _entry_list(batch: Batch, status: str = "") -> str:
    """The entry list, filtered on ``batch`` (and on ``status``)."""
    query = {"batch__id__exact": str(batch.pk)}
    if status:
        query["status__exact"] = status
    return f"{reverse('admin:openness_entry_changelist')}?{urlencode(query)}"
