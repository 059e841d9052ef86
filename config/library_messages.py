"""Messages of Django and of the libraries we use that their own Chinese catalogues lack.

They are marked for translation where they are written, but nothing translates them: django-tasks-db
ships no catalogue, and Django's Simplified Chinese one misses a few of its newer messages. Listed
here, ``makemessages`` keeps them in ours (``locale/zh_Hans``), which the settings' ``LOCALE_PATHS``
put before every library's, so the admin shows them in Chinese too.

This module is never imported: only ``makemessages`` reads it (``manage.py translations``). Each
message must be written exactly as its library writes it.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# Django (django/contrib/admin/templates/admin/date_hierarchy.html, django/db/models/fields,
# django/contrib/admin/options.py).
gettext_noop("Filter by %(field_name)s")
gettext_noop("- Select an option -")
ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects.")

# django-tasks-db (django_tasks_db/models.py): the task results' names and fields.
gettext_noop("Task Result")
gettext_noop("Task Results")
gettext_noop("enqueued at")
gettext_noop("started at")
gettext_noop("finished at")
gettext_noop("args kwargs")
gettext_noop("priority")
gettext_noop("task path")
gettext_noop("worker id")
gettext_noop("queue name")
gettext_noop("backend name")
gettext_noop("run after")
gettext_noop("return value")
gettext_noop("exception class path")
gettext_noop("traceback")
