from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpennessConfig(AppConfig):
    """Batches (the openness lists), their entries and the change feed."""

    name = "openness"
    verbose_name = _("Openness lists")

    def ready(self) -> None:
        from openness.event_schemas import register_list_events

        register_list_events()  # the OpenAPI document's event types (core.event_schemas)
