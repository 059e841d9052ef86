"""The background tasks' old paths, for the tasks queued before they moved to notifications.

django-tasks-db stores a queued task by its path (``DBTaskResult.task_path``) and the worker imports
it from there when it runs the task: a delivery retry scheduled before the move still says
``openness.tasks.deliver``. These names keep such tasks running; new ones are queued under
``notifications.tasks``. Remove this module once no queued task names it:
``DBTaskResult.objects.filter(task_path__startswith="openness.tasks.", status="READY")``.
Nothing else imports it (the one upward import the layers contract allows for openness).
"""

from notifications.tasks import deliver, deliver_each, match_events

__all__ = ["deliver", "deliver_each", "match_events"]
