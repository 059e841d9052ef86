from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for its next attempt")
    SENDING = "sending", _("Being sent")
    SUCCEEDED = "succeeded", _("Delivered")
    DEAD = "dead", _("Failed for good")
    PULL = "pull", _("Recorded for the pull feed (no webhook)")
