"""The admin is the curators' tool: members of the ``curators`` group (and superusers) sign in
and manage everything the registry holds, without Django's per-model permission bookkeeping."""

from collections.abc import Mapping
from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from core.roles import is_curator


class CuratorAuthenticationForm(AdminAuthenticationForm):
    def confirm_login_allowed(self, user: Any) -> None:
        if not (user.is_active and is_curator(user)):
            # Django's own wording for a non-staff sign-in.
            raise self.get_invalid_login_error()


class CuratorAdminSite(admin.AdminSite):
    site_header = "平台开放目录 · Platform Openness Registry"
    site_title = _("Openness Registry admin")
    index_title = _("Curation")
    login_form = CuratorAuthenticationForm
    # Without the sidebar of every model beside each page: at 1,280 px it took 300 of them from
    # the lists, whose columns then scrolled sideways. The index and the breadcrumbs lead on.
    enable_nav_sidebar = False

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and is_curator(request.user))


class CuratorPermissionsMixin:
    """Curators may view, add, change and delete; a subclass narrows that where the domain does."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_curator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_curator(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_curator(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_curator(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_curator(request.user)


class LabelledValuesFilter(admin.SimpleListFilter):
    """Filters a text column that has no choices (a copy of another model's, such as an entry's
    ``resource_type``) by its values, offered by their labels rather than as raw keys."""

    field_name: str = ""
    labels: Mapping[str, Any] = {}

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return list(self.labels.items())

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return queryset.filter(**{self.field_name: value}) if value else queryset


def related_filter(title: Any) -> type[admin.RelatedFieldListFilter]:
    """Django's filter on a foreign key, under ``title``: for a key declared without a verbose
    name, whose filter would be titled with the field's bare (English) name."""

    class TitledRelatedFieldListFilter(admin.RelatedFieldListFilter):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.title = title

    return TitledRelatedFieldListFilter


def labelled_filter(
    field_name: str, title: Any, labels: Mapping[str, Any]
) -> type[LabelledValuesFilter]:
    """A ``LabelledValuesFilter`` on ``field_name``, with the parameter Django's own filter would
    have (``<field>__exact``), so the lists' addresses stay as they were."""
    attributes = {
        "field_name": field_name,
        "parameter_name": f"{field_name}__exact",
        "title": title,
        "labels": labels,
    }
    return type(f"{field_name.title().replace('_', '')}Filter", (LabelledValuesFilter,), attributes)


def breaking_anywhere(text: str) -> SafeString:
    """``text`` (a URL, a query string) allowed to wrap anywhere, so a list column holding it
    stays narrow."""
    return format_html('<span style="overflow-wrap: anywhere">{}</span>', text)


def label_of(labels: Mapping[str, Any], value: str) -> str:
    """The label of ``value`` (its raw key when it has none)."""
    return str(labels.get(value, value))
