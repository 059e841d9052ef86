from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ConfigConfig(AppConfig):
    """Holds the project-wide templates (problem pages, the Redoc page without web fonts)."""

    name = "config"
    verbose_name = "Configuration"


class RegistryAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on the curators' site (``config.admin.CuratorAdminSite``)."""

    default = False
    default_site = "config.admin.CuratorAdminSite"
