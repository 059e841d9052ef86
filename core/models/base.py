"""What the registry's models share: when a row was made and changed, and its version."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Timestamped(models.Model):
    """When the row was made, and when it last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Versioned(Timestamped):
    """Timestamped, with a version: 1 when made and one more at every change, which the services
    bump and the API shows as the ETag and compares with If-Match."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta(Timestamped.Meta):
        abstract = True
