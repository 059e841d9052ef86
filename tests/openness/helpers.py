"""Building openness lists for tests the way the registry builds them: through the services.

``published_batch`` runs the whole workflow (create, open, submit, review, close, publish), so a
test starts from a batch exactly as a curator would leave it. ``raw_entry`` is the one shortcut: it
inserts a row directly, for states the workflow cannot reach (a listed entry in an open batch), so
the transition tables can be checked for every combination.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Max
from django.utils import timezone

from openness import services
from openness.choices import BatchStatus, EntryStatus
from openness.models import Batch, Entry
from registry.models import Platform, Resource
from registry.snapshots import resource_snapshot
from tests.factories import CuratorFactory, ResourceFactory, UserFactory

COMPLETE = {"summary": "面向中小企业开放", "contact": "sme@example.cn"}


def curator_user() -> Any:
    return CuratorFactory(username="curator")


def publisher_of(platform: Platform, username: str) -> Any:
    user = UserFactory(username=username)
    platform.members.add(user)
    return user


def active_resource(platform: Platform, **fields: Any) -> Resource:
    """A resource (active unless told otherwise) complete enough to be submitted and listed."""
    return ResourceFactory(platform=platform, **{"status": "active", **COMPLETE, **fields})


def new_batch(actor: Any, **data: Any) -> Batch:
    return services.batch_create(
        actor=actor, data={"title": "第n批平台开放清单", "year": 2026, **data}
    )


def open_batch(actor: Any, **data: Any) -> Batch:
    batch = new_batch(actor, **data)
    return services.batch_open(actor=actor, batch_id=batch.pk)


def submit(batch: Batch, resource: Resource, actor: Any = None) -> Entry:
    return services.entry_submit(actor=actor, batch_id=batch.pk, resource=resource)


def published_batch(
    actor: Any,
    listed: Sequence[Resource],
    *,
    rejected: Iterable[Resource] = (),
    **data: Any,
) -> Batch:
    """A batch that went the whole way: the ``listed`` resources submitted (in that order) and
    approved, the ``rejected`` ones submitted and rejected, then closed and published."""
    batch = open_batch(actor, **data)
    for resource in listed:
        entry = submit(batch, resource, actor)
        services.entry_approve(actor=actor, entry_id=entry.pk)
    for resource in rejected:
        entry = submit(batch, resource, actor)
        services.entry_reject(actor=actor, entry_id=entry.pk, reason="不符合条件")
    services.batch_close(actor=actor, batch_id=batch.pk)
    return services.batch_publish(actor=actor, batch_id=batch.pk)


def batch_in(status: str, actor: Any) -> Batch:
    """A batch moved through the services to ``status`` (with no entries)."""
    batch = new_batch(actor)
    path = [BatchStatus.OPEN, BatchStatus.REVIEW, BatchStatus.PUBLISHED]
    moves = [services.batch_open, services.batch_close, services.batch_publish]
    for step, move in zip(path, moves, strict=True):
        if batch.status == status:
            break
        batch = move(actor=actor, batch_id=batch.pk)
        assert batch.status == step
    assert batch.status == status
    return batch


def raw_batch(status: str) -> Batch:
    """A batch inserted directly in ``status`` (for states the workflow cannot reach)."""
    number = (Batch.objects.aggregate(last=Max("number"))["last"] or 0) + 1
    return Batch.objects.create(
        number=number,
        title=f"第{number}批",
        year=2026,
        status=status,
        published_at=timezone.now() if status == BatchStatus.PUBLISHED else None,
    )


def raw_entry_in(batch_status: str, resource: Resource, status: str) -> Entry:
    """An entry in ``status`` in a new batch in ``batch_status``, both inserted directly. Nothing
    can be inserted into a published batch (the model and a trigger refuse), so a published one is
    inserted in review and then marked published."""
    batch = raw_batch(BatchStatus.REVIEW if batch_status == BatchStatus.PUBLISHED else batch_status)
    entry = raw_entry(batch, resource, status)
    if batch_status == BatchStatus.PUBLISHED:
        Batch.objects.filter(pk=batch.pk).update(status=batch_status, published_at=timezone.now())
    return Entry.objects.select_related("batch").get(pk=entry.pk)


def raw_entry(batch: Batch, resource: Resource, status: str) -> Entry:
    """An entry inserted directly in ``status``; listed and withdrawn ones get a number and a
    snapshot. Only for states the workflow cannot reach."""
    now = timezone.now()
    published = status in (EntryStatus.LISTED, EntryStatus.WITHDRAWN)
    snapshot = resource_snapshot(resource)
    entry = unsaved_entry(
        batch,
        resource,
        status,
        sequence=1 if published else None,
        snapshot=snapshot if published else None,
        listed_version=resource.version if published else None,
        listed_at=now if published else None,
        reason="撤回" if status == EntryStatus.WITHDRAWN else "",
    )
    entry.save()
    return entry


def unsaved_entry(batch: Batch, resource: Resource, status: str, **fields: Any) -> Entry:
    """An entry of ``resource`` in ``batch``, not saved yet, its search columns copied from the
    resource as a submission copies them (for ``raw_entry`` and ``bulk_create``)."""
    return Entry(
        batch=batch,
        resource=resource,
        status=status,
        platform_id=resource.platform_id,
        resource_type=resource.resource_type,
        access_model=resource.access_model,
        nationwide=resource.nationwide,
        submitted_at=timezone.now(),
        **fields,
    )
