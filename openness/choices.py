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
