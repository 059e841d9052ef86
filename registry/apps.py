from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Registry: platforms and resources")

    def ready(self) -> None:
        from registry.models import Platform
        from registry.search.entities import forget_platforms

        # The platforms' names this process understands in ``q`` (other processes: within a
        # minute, ``ENTITIES_TTL``).
        post_save.connect(forget_platforms, sender=Platform, dispatch_uid="search-platforms")
        post_delete.connect(forget_platforms, sender=Platform, dispatch_uid="search-platforms-gone")
