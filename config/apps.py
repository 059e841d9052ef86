from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """Holds the project-wide templates (problem pages, the Redoc page without web fonts)."""

    name = "config"
    verbose_name = "Configuration"
