from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class SearchChange(models.Model):
    """One line of the search index's change log: this resource may read differently now.

    Written by the database itself (triggers on the resource table, its tag, region and industry
    tables, the platform's names and the batch entries; see ``registry.search.changelog``), in
    the transaction of the change, whatever made it: a service, the admin, a migration, a bulk
    load. Every index follower reads the log in order and re-reads the resources it names; the
    log is the one thing they share. Lines older than ``SEARCH_CHANGES_KEEP_DAYS`` are pruned.
    """

    id = models.BigAutoField(primary_key=True)
    resource_id = models.UUIDField(_("resource"))
    at = models.DateTimeField(_("at"), db_default=Now())

    class Meta:
        verbose_name = _("search change")
        verbose_name_plural = _("search changes")
        indexes = [models.Index(fields=["at"], name="search_change_at")]

    def __str__(self) -> str:
        return f"#{self.id} {self.resource_id}"
