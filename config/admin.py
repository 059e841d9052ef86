"""The admin is the curators' tool: members of the ``curators`` group (and superusers) sign in
and manage everything the registry holds, without Django's per-model permission bookkeeping."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from config.roles import is_curator


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
