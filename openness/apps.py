from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpennessConfig(AppConfig):
    """Batches (the openness lists), their entries, the change feed and subscriptions."""

    name = "openness"
    verbose_name = _("Openness lists")
