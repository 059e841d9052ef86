"""Subscriptions and background tasks for tests, made the way the registry makes them.

``subscription_of`` makes a subscription as its owner would (through the service, the query
written canonically), and ``run_tasks`` runs the background tasks that are due, in the test's
process and transaction, as ``manage.py db_worker`` would.
"""

from typing import Any

from django_tasks_db.models import DBTaskResult

from core.choices import SUBSCRIBABLE_EVENT_TYPES
from notifications.matching import normalise_query
from notifications.models import Subscription
from notifications.services import subscription_create


class TaskFailed(AssertionError):
    """A background task raised: tests should see it, as an operator would in the task's row."""


def run_tasks(max_rounds: int = 50) -> int:
    """Runs the django-tasks-db tasks that are ready now (``run_after`` passed on the current,
    possibly fake, clock) in this process, round after round, until none is ready; returns how
    many ran.

    ``manage.py db_worker --batch`` would do the same, but it closes "old" connections between
    tasks, and on PostgreSQL that closes the test's transaction; so each row is claimed, called
    and marked here, as the worker does. A task that raises is marked failed and its error
    raised again (as ``TaskFailed``, unless it is a ``BaseException`` a test raised on purpose).
    """
    ran = 0
    for _ in range(max_rounds):
        ready = list(DBTaskResult.objects.ready())
        if not ready:
            return ran
        for row in ready:
            row.claim("tests")
            arguments = row.args_kwargs
            try:
                value = row.task.call(*arguments["args"], **arguments["kwargs"])
            except Exception as exc:
                row.set_failed(exc)
                raise TaskFailed(f"{row.task_path} failed: {exc!r}") from exc
            except BaseException as exc:
                row.set_failed(exc)
                raise
            row.set_successful(value)
            ran += 1
    raise AssertionError(f"Tasks were still ready after {max_rounds} rounds.")


def ready_tasks() -> list[str]:
    """The paths of the tasks ready to run now (``notifications.tasks.deliver``, …)."""
    return [row.task_path for row in DBTaskResult.objects.ready()]


ALL_EVENT_TYPES = [event_type.value for event_type in SUBSCRIBABLE_EVENT_TYPES]


def subscription_of(owner: Any, query: str = "", **data: Any) -> tuple[Subscription, str]:
    """A subscription made through the service, its query checked and written canonically as
    the API would; returns it with its signing secret. Pull-only unless ``webhook_url`` is given."""
    fields = {"name": "关注", "event_types": ALL_EVENT_TYPES, **data}
    fields["query"] = normalise_query(query)
    return subscription_create(owner=owner, data=fields)
