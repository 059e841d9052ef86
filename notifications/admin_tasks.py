"""The background tasks (django-tasks-db's results) in the admin, in the reader's language.

The library's own admin shows the results with English labels it does not mark for translation
("run after", the task's function name); this one, registered in its place, labels every column
and names our tasks. It stays read-only, as the library's is. The app's name is ours too
(``config.apps.TasksConfig``); the labels the library does mark for translation are in our
catalogue (``config.library_messages``).
"""

from datetime import datetime

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from config.admin import label_of

# The registry's tasks (notifications.tasks), by their paths; results from before the move to
# notifications carry the old paths (openness.tasks), named the same.
TASKS = {
    f"{package}.tasks.{name}": label
    for package in ("notifications", "openness")
    for name, label in {
        "match_events": _("Match new events with the subscriptions"),
        "deliver": _("Send a subscription's deliveries"),
        "deliver_each": _("Send the deliveries of several subscriptions"),
    }.items()
}


class TaskResultAdmin(DBTaskResultAdmin):
    list_display_links = ("enqueued_at",)

    def get_list_display(self, request: HttpRequest) -> tuple[str, ...]:
        return (
            "enqueued_at",
            "task_label",
            "status",
            "started_at",
            "finished_at",
            "priority",
            "queue_name",
        )

    @admin.display(description=_("task"), ordering="task_path")
    def task_label(self, obj: DBTaskResult) -> str:
        return label_of(TASKS, obj.task_path)

    @admin.display(description=_("traceback"))
    def formatted_traceback(self, obj: DBTaskResult) -> str:
        return super().formatted_traceback(obj)

    @admin.display(description=_("run after"))
    def display_run_after(self, obj: DBTaskResult) -> datetime | str:
        return super().display_run_after(obj)


if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
