from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    """Pilot projects, application scenarios and service platforms."""

    name = "pilots"
    verbose_name = _("Pilots and scenarios")

    def ready(self) -> None:
        from pilots.event_schemas import register_pilot_events

        register_pilot_events()  # the OpenAPI document's event types (core.event_schemas)
