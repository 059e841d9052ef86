"""The pilots' workflow rules: the transition tables, their guards, and what a change records.

Two lifecycles, one table each:

- a pilot project: ``proposed → selected → in_progress → completed``, or ``terminated`` (with a
  reason) from ``selected`` or ``in_progress``; it can be edited until it is terminated;
- a scenario: ``candidate → implementable``.

Every change is recorded in the history with its event in the public change feed (``pilot.created``,
``pilot.updated`` …), by ``record_change`` below.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import State, record
from core.errors import TransitionNotAllowed
from core.events import NewEvent
from pilots.choices import PilotStatus, ScenarioMaturity
from pilots.models import PilotProject, Scenario, ServicePlatform

# For each action: the statuses it may start from, and the status it leads to. Anything not
# listed is a 409.
PILOT_TRANSITIONS: dict[str, dict[str, str]] = {
    "edit": {
        status: status
        for status in (
            PilotStatus.PROPOSED,
            PilotStatus.SELECTED,
            PilotStatus.IN_PROGRESS,
            PilotStatus.COMPLETED,
        )
    },
    "select": {PilotStatus.PROPOSED: PilotStatus.SELECTED},
    "start": {PilotStatus.SELECTED: PilotStatus.IN_PROGRESS},
    "complete": {PilotStatus.IN_PROGRESS: PilotStatus.COMPLETED},
    "terminate": {
        PilotStatus.SELECTED: PilotStatus.TERMINATED,
        PilotStatus.IN_PROGRESS: PilotStatus.TERMINATED,
    },
}
SCENARIO_TRANSITIONS: dict[str, dict[str, str]] = {
    "edit": {status: status for status in ScenarioMaturity},
    "mark_implementable": {ScenarioMaturity.CANDIDATE: ScenarioMaturity.IMPLEMENTABLE},
}

# The years a pilot may be selected in, or a scenario found implementable (as batches' years).
YEARS = range(2000, 2101)

# What each action is called in a refusal, in the reader's language.
_ACTION_LABELS = {
    "edit": gettext_lazy("edit"),
    "select": gettext_lazy("select"),
    "start": gettext_lazy("start"),
    "complete": gettext_lazy("complete"),
    "terminate": gettext_lazy("terminate"),
    "mark_implementable": gettext_lazy("mark implementable"),
}
# What each action is called in the history.
ACTION_RECORDED = {
    "select": "selected",
    "start": "started",
    "complete": "completed",
    "terminate": "terminated",
    "mark_implementable": "marked_implementable",
}

# Guards -----------------------------------------------------------------------------------------


def _guard(kind: str, status: str, status_label: str, table: dict[str, str], action: str) -> str:
    if status not in table:
        raise TransitionNotAllowed(
            _("A %(kind)s that is “%(status)s” does not allow “%(action)s”.")
            % {"kind": kind, "status": status_label, "action": _ACTION_LABELS[action]}
        )
    return table[status]


def guard_pilot(pilot: PilotProject, action: str) -> str:
    return _guard(
        _("pilot project"),
        pilot.status,
        pilot.get_status_display(),
        PILOT_TRANSITIONS[action],
        action,
    )


def guard_scenario(scenario: Scenario, action: str) -> str:
    return _guard(
        _("scenario"),
        scenario.maturity,
        scenario.get_maturity_display(),
        SCENARIO_TRANSITIONS[action],
        action,
    )


def save_new(obj: models.Model, key: str) -> None:
    """Saves a new row; a duplicate key that slipped past ``full_clean`` (a concurrent create)
    is a field error, not a server error."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise ValidationError(
            {
                key: _("%(kind)s with this %(key)s already exists.")
                % {"kind": str(obj._meta.verbose_name).capitalize(), "key": key}
            }
        ) from exc


def save_created(
    subject: PilotProject | Scenario | ServicePlatform,
    key: str,
    *,
    actor: Any,
    state: Callable[[Any], State],
    relations: dict[str, list[Any]] | None = None,
) -> None:
    """Saves a new subject that has been checked (a taken ``key`` is a field error), sets its
    many-to-many ``relations`` and records its creation: its ``state`` with those relations."""
    save_new(subject, key)
    relations = relations or {}
    for name, values in relations.items():
        getattr(subject, name).set(values)
    after = {**state(subject), **relations}
    record_change(subject, "created", actor=actor, before=None, after=after)


def save_changed(
    subject: PilotProject | Scenario | ServicePlatform,
    *,
    actor: Any,
    before: State,
    after: State,
    relations: dict[str, list[Any]] | None = None,
) -> None:
    """Saves an edit that has been checked at the subject's next version, sets the many-to-many
    ``relations`` given and records the change from ``before`` to ``after``."""
    subject.version += 1
    subject.save()
    for name, values in (relations or {}).items():
        getattr(subject, name).set(values)
    record_change(subject, "updated", actor=actor, before=before, after=after)


def check_year(year: int, field: str, *, latest: int = YEARS[-1]) -> None:
    """``year`` is one the registry knows, and not after ``latest``."""
    last = min(latest, YEARS[-1])
    if year not in YEARS or year > last:
        raise ValidationError(
            {
                field: _("Give a year from %(first)d to %(last)d.")
                % {"first": YEARS[0], "last": last}
            }
        )


# The change feed's name for each kind of object, and its key.
_FEED_KINDS: dict[type[models.Model], tuple[str, str]] = {
    PilotProject: ("pilot", "code"),
    Scenario: ("scenario", "code"),
    ServicePlatform: ("service_platform", "slug"),
}


def record_change(
    subject: PilotProject | Scenario | ServicePlatform,
    action: str,
    *,
    actor: Any,
    before: State | None,
    after: State,
    reason: str = "",
) -> None:
    """Records the change at the subject's (new) version in the history, with its event in the
    public change feed (``pilot.created``, ``pilot.updated`` …), in the change's transaction."""
    kind, key = _FEED_KINDS[type(subject)]
    state = getattr(subject, "status", None) or getattr(subject, "maturity", None)
    data = {
        key: getattr(subject, key),
        "name": subject.name,
        "action": action,
        **(
            {"changed": sorted(name for name in after if before.get(name) != after[name])}
            if before is not None
            else {}
        ),
        **({"status": state} if state else {}),
        "version": subject.version,
        "url": subject.get_absolute_url(),
    }
    event_type = f"{kind}.{'created' if action == 'created' else 'updated'}"
    record(
        subject=subject,
        action=action,
        actor=actor,
        before=before,
        after=after,
        reason=reason,
        version=subject.version,
        event=NewEvent(event_type, kind, getattr(subject, key), data, public=True),
    )


def related_key(obj: Any, attribute: str) -> Any:
    """A related object's public key (its code or slug), None without one."""
    return getattr(obj, attribute) if obj is not None else None
