"""Background tasks (``django.tasks``, run by ``manage.py db_worker``), and the runs that enqueue
what comes next: matching the pending events a chunk at a time, attempting a subscription's due
deliveries. What an event matches is ``notifications.matching``'s business and how a delivery is
claimed, sent and recorded ``notifications.delivery``'s; this module imports them, never the
other way round. The queue is a table of the same
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
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.models import Event
from notifications import delivery, delivery_rows, matching
from notifications.choices import DeliveryStatus
from notifications.models import Delivery
from notifications.webhooks.transport import Reply
from registry import search

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


# Matching ---------------------------------------------------------------------------------------


def match_pending_events(*, chunk: int = matching.CHUNK) -> int:
    """Matches every event not matched yet, a chunk per transaction; returns the deliveries made.

    Before any work, a follow-up run is enqueued (and committed) for ``matching.MATCHING_LEASE``
    later: if this worker dies mid-chunk, the chunk's transaction rolls back and the follow-up
    matches its events. When it finds nothing to do it enqueues nothing, so the chain ends.
    """
    if not Event.objects.filter(matched_at__isnull=True).exists():
        return 0
    if not search.wait_until_current(timeout=settings.SEARCH_MATCH_WAIT_SECONDS):
        # The index has not taken in these events' changes yet: judge them a little later.
        with transaction.atomic():
            match_events.using(run_after=timezone.now() + matching.INDEX_RETRY).enqueue()
        return 0
    with transaction.atomic():
        run_after = timezone.now() + matching.MATCHING_LEASE
        match_events.using(run_after=run_after).enqueue()
    made = 0
    while True:
        with transaction.atomic():
            events = list(
                Event.objects.filter(matched_at__isnull=True)
                .select_for_update(skip_locked=True)
                .order_by("id")[:chunk]
            )
            if not events:
                return made
            matches = matching.match_events(events)
            delivery_rows.insert(matches)
            Event.objects.filter(pk__in=[e.pk for e in events]).update(matched_at=timezone.now())
            to_send = sorted({m.subscription_id for m in matches if m.webhook})
            if to_send:
                deliver_each.enqueue(to_send)
            made += len(matches)


# Delivering -------------------------------------------------------------------------------------


def deliver_due(subscription_id: int) -> int:
    """Attempts the subscription's due deliveries, oldest event first; returns how many.

    Stops after a failed attempt, after ``delivery.PER_RUN`` attempts and once
    ``WEBHOOK_TASK_SECONDS`` have passed; what is still due then is left to a new task at the
    back of the queue."""
    started = time.monotonic()
    done = 0
    ok = True
    while done < delivery.PER_RUN:
        claimed = _claim(subscription_id)
        if claimed is None:
            return done
        reply = _attempt(claimed)
        done += 1
        if reply is None:
            return done  # the subscription was deleted meanwhile: nothing is left to send
        ok = reply.ok
        if not ok or time.monotonic() - started >= settings.WEBHOOK_TASK_SECONDS:
            break
    if delivery.due(subscription_id):
        priority = 0 if ok else delivery.FAILING_PRIORITY
        deliver.using(priority=priority).enqueue(subscription_id)
    return done


def _claim(subscription_id: int) -> Delivery | None:
    with transaction.atomic():
        claimed = delivery.claim(subscription_id)
        if claimed is not None:
            # If this worker dies mid-attempt, this task sends the delivery again once the
            # lease ends.
            deliver.using(run_after=claimed.lease_until).enqueue(subscription_id)
        return claimed


def _attempt(claimed: Delivery) -> Reply | None:
    """Sends a claimed delivery and records the outcome, enqueueing the retry in the same
    transaction; None when the delivery was deleted (with its subscription) meanwhile."""
    reply = delivery.send(claimed)
    with transaction.atomic():
        recorded = delivery.record_attempt(claimed.pk, reply)
        if recorded is None:
            return None
        if recorded.status == DeliveryStatus.PENDING:
            deliver.using(
                run_after=recorded.next_attempt_at, priority=delivery.FAILING_PRIORITY
            ).enqueue(recorded.subscription_id)
    return reply


# The tasks --------------------------------------------------------------------------------------


@task()
def match_events() -> int:
    """Matches the events not matched yet against the active subscriptions."""
    _sweep_now_and_then()
    return match_pending_events()


@task()
def deliver(subscription_id: int) -> int:
    """Attempts the subscription's due webhook deliveries."""
    _sweep_now_and_then()
    return deliver_due(subscription_id)


@task()
def deliver_each(subscription_ids: list[int]) -> int:
    """Enqueues ``deliver`` for each subscription: one task from the matching transaction
    rather than thousands, which would hold it open."""
    for subscription_id in subscription_ids:
        deliver.enqueue(subscription_id)
    return len(subscription_ids)
