"""The kinds of event in the outbox, every domain's: the feed and the subscriptions name them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    BATCH_OPENED = "batch.opened", _("Batch opened")
    BATCH_CLOSED = "batch.closed", _("Batch closed for review")
    BATCH_PUBLISHED = "batch.published", _("Batch published")
    ENTRY_LISTED = "entry.listed", _("Entry listed")
    ENTRY_WITHDRAWN = "entry.withdrawn", _("Entry withdrawn")
    RESOURCE_ACTIVATED = "resource.activated", _("Resource activated")
    RESOURCE_UPDATED = "resource.updated", _("Resource updated")
    RESOURCE_WITHDRAWN = "resource.withdrawn", _("Resource withdrawn")
    PING = "ping", _("Ping (a test delivery an owner asked for)")
    PILOT_CREATED = "pilot.created", _("Pilot project created")
    PILOT_UPDATED = "pilot.updated", _("Pilot project changed")
    SCENARIO_CREATED = "scenario.created", _("Scenario created")
    SCENARIO_UPDATED = "scenario.updated", _("Scenario changed")
    SERVICE_PLATFORM_CREATED = "service_platform.created", _("Service platform created")
    SERVICE_PLATFORM_UPDATED = "service_platform.updated", _("Service platform changed")


# What a subscription may ask for: the public events about resources and lists, and ``ping``.
SUBSCRIBABLE_EVENT_TYPES = [
    EventType.BATCH_PUBLISHED,
    EventType.ENTRY_LISTED,
    EventType.ENTRY_WITHDRAWN,
    EventType.RESOURCE_ACTIVATED,
    EventType.RESOURCE_UPDATED,
    EventType.RESOURCE_WITHDRAWN,
]
