"""Background tasks (``django.tasks``, run by ``manage.py db_worker``). Thin: the work is in
``openness.matching`` and ``openness.delivery``; the queue is a table of the same database, so a
task enqueued inside a transaction exists exactly when that transaction commits."""

from django.tasks import task

from openness import delivery, matching


@task()
def match_events() -> int:
    """Matches the events not matched yet against the active subscriptions."""
    return matching.match_pending_events()


@task()
def deliver(subscription_id: int) -> int:
    """Attempts the subscription's due webhook deliveries."""
    return delivery.deliver_due(subscription_id)


@task()
def deliver_each(subscription_ids: list[int]) -> int:
    """Enqueues ``deliver`` for each subscription: one task from the matching transaction
    rather than thousands, which would hold it open."""
    for subscription_id in subscription_ids:
        deliver.enqueue(subscription_id)
    return len(subscription_ids)
