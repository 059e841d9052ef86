from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every domain app builds on: the audit trail, the outbox of events, the roles and the
    domain errors. It imports no domain app."""

    name = "core"
    label = "core"
    verbose_name = _("Audit trail and events")
