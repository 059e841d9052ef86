"""Background tasks (``django.tasks``, run by ``manage.py db_worker``). Thin: the work is in
``notifications.matching`` and ``notifications.delivery``; the queue is a table of the same
database, so a task enqueued inside a transaction exists exactly when that transaction commits.
A queued task is stored by its path (``notifications.tasks.deliver``); ``openness.tasks`` keeps
the old paths working for the tasks queued before the move.

django-tasks-db marks a task ``RUNNING`` when a worker claims it and has nothing to notice that
worker dying: a task killed by SIGKILL would stay ``RUNNING`` for ever. Our tasks recover their
own work (delivery leases, the matching run's follow-up), so only the record is wrong; every
worker process sweeps such rows (``RUNNING`` for longer than ``TASKS_STALE_AFTER`` seconds) to
``FAILED``, at most once a ``SWEEP_EVERY`` seconds, when it runs one of these tasks.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from notifications import delivery, matching

logger = logging.getLogger(__name__)

SWEEP_EVERY = 60.0  # seconds, per worker process
LOST = "notifications.tasks.WorkerLost"
_last_sweep: float | None = None


def sweep_stale_tasks() -> int:
    """Marks the tasks ``RUNNING`` for longer than ``TASKS_STALE_AFTER`` seconds failed (their
    worker died); returns how many."""
    cutoff = timezone.now() - timedelta(seconds=settings.TASKS_STALE_AFTER)
    stale = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
    count = stale.update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path=LOST,
        traceback=f"Still running after {settings.TASKS_STALE_AFTER:g} s: its worker was lost.",
    )
    if count:
        logger.warning("Marked %s task(s) lost by their worker as failed", count)
    return count


def _sweep_now_and_then() -> None:
    global _last_sweep  # once per process and minute, not once per task
    now = time.monotonic()
    if _last_sweep is None or now - _last_sweep >= SWEEP_EVERY:
        _last_sweep = now
        sweep_stale_tasks()


@task()
def match_events() -> int:
    """Matches the events not matched yet against the active subscriptions."""
    _sweep_now_and_then()
    return matching.match_pending_events()


@task()
def deliver(subscription_id: int) -> int:
    """Attempts the subscription's due webhook deliveries."""
    _sweep_now_and_then()
    return delivery.deliver_due(subscription_id)


@task()
def deliver_each(subscription_ids: list[int]) -> int:
    """Enqueues ``deliver`` for each subscription: one task from the matching transaction
    rather than thousands, which would hold it open."""
    for subscription_id in subscription_ids:
        deliver.enqueue(subscription_id)
    return len(subscription_ids)
