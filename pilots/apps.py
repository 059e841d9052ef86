from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    """Pilot projects, application scenarios and service platforms."""

    name = "pilots"
    verbose_name = _("Pilots and scenarios")
