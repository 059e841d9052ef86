from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Registry: platforms and resources")

    def ready(self) -> None:
        from registry.event_schemas import register_resource_events

        register_resource_events()  # the OpenAPI document's event types (core.event_schemas)
        from config.api.accepted import register_vocabulary
        from registry.models import Platform
        from registry.search.entities import forget_platforms
        from registry.vocabularies import industry_codes, region_codes

        # A refused region or industry code points to the vocabulary rather than listing it.
        register_vocabulary(region_codes(), "api:region-list")
        register_vocabulary(industry_codes(), "api:industry-list")

        # The platforms' names this process understands in ``q`` (other processes: within a
        # minute, ``ENTITIES_TTL``).
        post_save.connect(forget_platforms, sender=Platform, dispatch_uid="search-platforms")
        post_delete.connect(forget_platforms, sender=Platform, dispatch_uid="search-platforms-gone")
