from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _
from django_tasks_db import apps as tasks_apps


class ConfigConfig(AppConfig):
    """Holds the project-wide templates (problem pages, the Redoc page without web fonts)."""

    name = "config"
    verbose_name = "Configuration"


class RegistryAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on the curators' site (``config.admin.CuratorAdminSite``)."""

    default = False
    default_site = "config.admin.CuratorAdminSite"


class TasksConfig(tasks_apps.TasksAppConfig):
    """django-tasks-db (the queue of ``notifications.tasks``), named in the reader's language: the
    library's own name ("Tasks Database Backend") is not marked for translation."""

    default = False
    verbose_name = _("Background tasks")  # type: ignore[assignment]  # lazy, as Django allows
