"""The audit trail: every change to an audited object is recorded by ``record``, with its events.

Services compute the state of an object before and after a change with the object's ``*_state``
function below (plain JSON: M2M relations as sorted lists of codes) and record the difference.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from core.events import NewEvent, emit
from core.models import ChangeRecord

State = dict[str, Any]


def model_state(
    obj: models.Model, fields: Sequence[str], m2m: dict[str, str] | None = None
) -> State:
    """The JSON state of ``obj``: the ``fields`` as stored, and each M2M as a sorted list.

    ``m2m`` maps a relation name to the attribute of the related objects to list (their code or
    name). Reads M2M through ``.all()`` so a prefetch is used when present.
    """
    state: State = {}
    for name in fields:
        value = getattr(obj, getattr(obj._meta.get_field(name), "attname", name))
        state[name] = (
            value
            if isinstance(value, str | int | float | bool | dict | list) or value is None
            else str(value)
        )
    for name, attribute in (m2m or {}).items():
        state[name] = sorted(str(getattr(item, attribute)) for item in getattr(obj, name).all())
    return state


def apply_fields[M: models.Model](
    obj: M, data: dict[str, Any], state: Callable[[M], State]
) -> tuple[State, State]:
    """Sets the fields of ``data`` on ``obj``; its ``state`` before and after (equal when the
    change changes nothing)."""
    before = state(obj)
    for name, value in data.items():
        setattr(obj, name, value)
    return before, state(obj)


def diff(before: State | None, after: State | None) -> dict[str, dict[str, Any]]:
    """Each field whose value differs, as ``{"before": …, "after": …}``."""
    before, after = before or {}, after or {}
    return {
        name: {"before": before.get(name), "after": after.get(name)}
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def record(
    *,
    subject: models.Model,
    action: str,
    actor: Any,
    before: State | None,
    after: State | None,
    reason: str = "",
    version: int | None = None,
    event: NewEvent | None = None,
    events: Iterable[NewEvent] = (),
) -> ChangeRecord:
    """Records the change of ``subject`` by ``actor`` (the difference of ``before`` and
    ``after``), then writes ``event`` and ``events`` (``core.events.emit``), in the change's
    transaction: the one call every service makes for a change."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    change = ChangeRecord.objects.create(
        subject_type=ContentType.objects.get_for_model(subject, for_concrete_model=True),
        subject_id=str(subject.pk),
        version=version,
        action=action,
        actor=user,
        actor_name=user.get_username() if user else "system",
        at=timezone.now(),
        reason=reason,
        changes=diff(before, after),
    )
    emit(*([event] if event else []), *events)
    return change


def history_of(subject: models.Model) -> models.QuerySet[ChangeRecord]:
    return ChangeRecord.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject, for_concrete_model=True),
        subject_id=str(subject.pk),
    ).order_by("id")
