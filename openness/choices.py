from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for submissions")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")


class EntryStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    LISTED = "listed", _("Listed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


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


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for its next attempt")
    SENDING = "sending", _("Being sent")
    SUCCEEDED = "succeeded", _("Delivered")
    DEAD = "dead", _("Failed for good")
    PULL = "pull", _("Recorded for the pull feed (no webhook)")
