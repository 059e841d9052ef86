"""API tokens in the curators' admin: see them, find them, revoke them; never create or read one.

Tokens are issued through the API (``POST /api/v1/auth/tokens/``) to their owner alone, and only
their digest is stored, so the admin has no secret to show; it shows no digest either.
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.admin import CuratorPermissionsMixin
from registry.models import ApiToken
from registry.tokens import tokens_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(CuratorPermissionsMixin, admin.ModelAdmin[ApiToken]):
    list_display = [
        "user",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "is_revoked",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "expires_at", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email", "name", "prefix"]
    fields = ("user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    readonly_fields = fields  # revoke with the action; the digest is never shown
    actions = ["revoke_tokens"]
    ordering = ["-created_at", "-id"]

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False  # issued through the API, to their owner only

    @admin.display(boolean=True, description=_("revoked"), ordering="revoked_at")
    def is_revoked(self, token: ApiToken) -> bool:
        return token.revoked

    @admin.action(description=_("Revoke selected tokens"), permissions=["change"])
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = tokens_revoke(tokens=queryset)
        self.message_user(
            request,
            ngettext("Revoked %(count)d token.", "Revoked %(count)d tokens.", count)
            % {"count": count},
            messages.SUCCESS,
        )
