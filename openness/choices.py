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
