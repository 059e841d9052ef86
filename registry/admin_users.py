"""Users and groups in the curators' admin: curators manage accounts without staff flags."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

from config.admin import CuratorPermissionsMixin

User = get_user_model()


class CuratorUserAdmin(CuratorPermissionsMixin, UserAdmin):
    list_display = ["username", "email", "is_active", "date_joined", "last_login"]
    list_filter = ["is_active", "groups"]


class CuratorGroupAdmin(CuratorPermissionsMixin, GroupAdmin):
    pass


for model, model_admin in ((User, CuratorUserAdmin), (Group, CuratorGroupAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
