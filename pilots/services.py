"""Writes to pilot projects, scenarios and service platforms: every change goes through here.

Like ``registry.services`` and ``openness.services``: each service runs in one transaction, locks
the row it changes, compares the client's If-Match with the version (412 when stale), checks the
workflow's transition table (409 ``transition-not-allowed``), bumps the version and records the
change with its actor (``core.audit``). Views, the admin and commands call these.

Two lifecycles, one table each:

- a pilot project: ``proposed → selected → in_progress → completed``, or ``terminated`` (with a
  reason) from ``selected`` or ``in_progress``; it can be edited until it is terminated;
- a scenario: ``candidate → implementable``.

A pilot's resources must be listed (not withdrawn) in a published batch when they are linked; a
resource linked earlier stays linked if its listing is withdrawn later.
"""

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import State, model_state, record_change
from core.errors import (
    TransitionNotAllowed,
    locked_at_version,
    require_reason,
)
from core.events import emit
from openness.choices import BatchStatus, EntryStatus
from openness.models import Entry
from pilots.choices import PilotStatus, ScenarioMaturity
from pilots.models import PilotProject, Scenario, ServicePlatform
from pilots.validators import (
    normalise_milestones,
    normalise_participants,
    validate_milestones,
    validate_participants,
)

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

# What a curator edits (the API's write serializers and the admin's forms take these).
SCENARIO_EDITABLE = ["code", "name", "name_en", "description", "industry", "ai_capability"]
SERVICE_PLATFORM_EDITABLE = [
    "slug",
    "name",
    "name_en",
    "operator",
    "services",
    "description",
    "website",
    "regions",
    "nationwide",
    "launched_year",
]

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
_ACTION_RECORDED = {
    "select": "selected",
    "start": "started",
    "complete": "completed",
    "terminate": "terminated",
    "mark_implementable": "marked_implementable",
}

PILOT_FIELDS = [
    "code",
    "name",
    "name_en",
    "summary",
    "lead_sme_name",
    "lead_sme_credit_code",
    "participants",
    "region",
    "industry",
    "status",
    "year_selected",
    "milestones",
    "outcomes",
    "evidence_links",
    "termination_reason",
]
SCENARIO_FIELDS = [
    "code",
    "name",
    "name_en",
    "description",
    "industry",
    "ai_capability",
    "maturity",
]
SERVICE_PLATFORM_FIELDS = [
    "slug",
    "name",
    "name_en",
    "services",
    "description",
    "website",
    "nationwide",
    "launched_year",
]


# States, as the history records them -----------------------------------------------------------


def _key(obj: Any, attribute: str) -> Any:
    return getattr(obj, attribute) if obj is not None else None


def pilot_state(pilot: PilotProject) -> State:
    """The pilot as plain JSON: related objects by their public keys, resources by id."""
    state = model_state(pilot, PILOT_FIELDS, {"resources": "pk"} if pilot.pk else None)
    state["resources"] = state.get("resources", [])
    state["lead_platform"] = _key(pilot.lead_platform, "slug")
    state["scenario"] = _key(pilot.scenario, "code")
    state["service_platform"] = _key(pilot.service_platform, "slug")
    return state


def scenario_state(scenario: Scenario) -> State:
    state = model_state(scenario, SCENARIO_FIELDS)
    moment = scenario.implementable_at
    state["implementable_at"] = moment.astimezone(UTC).isoformat() if moment else None
    return state


def service_platform_state(service_platform: ServicePlatform) -> State:
    state = model_state(
        service_platform,
        SERVICE_PLATFORM_FIELDS,
        {"regions": "code"} if service_platform.pk else None,
    )
    state["regions"] = state.get("regions", [])
    state["operator"] = _key(service_platform.operator, "slug")
    return state


# Guards -----------------------------------------------------------------------------------------


def _guard(kind: str, status: str, status_label: str, table: dict[str, str], action: str) -> str:
    if status not in table:
        raise TransitionNotAllowed(
            _("A %(kind)s that is “%(status)s” does not allow “%(action)s”.")
            % {"kind": kind, "status": status_label, "action": _ACTION_LABELS[action]}
        )
    return table[status]


def _guard_pilot(pilot: PilotProject, action: str) -> str:
    return _guard(
        _("pilot project"),
        pilot.status,
        pilot.get_status_display(),
        PILOT_TRANSITIONS[action],
        action,
    )


def _guard_scenario(scenario: Scenario, action: str) -> str:
    return _guard(
        _("scenario"),
        scenario.maturity,
        scenario.get_maturity_display(),
        SCENARIO_TRANSITIONS[action],
        action,
    )


def _save_new(obj: models.Model, key: str) -> None:
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


# Links ------------------------------------------------------------------------------------------


def unlisted_resources(resource_ids: Iterable[Any]) -> list[str]:
    """The ids among ``resource_ids`` that no published batch lists (withdrawn listings do not
    count), in the order given."""
    wanted = [str(pk) for pk in dict.fromkeys(resource_ids)]
    if not wanted:
        return []
    listed = {
        str(pk)
        for pk in Entry.objects.filter(
            resource_id__in=wanted,
            status=EntryStatus.LISTED,
            batch__status=BatchStatus.PUBLISHED,
        ).values_list("resource_id", flat=True)
    }
    return [pk for pk in wanted if pk not in listed]


def check_resources(resource_ids: Iterable[Any]) -> None:
    """400 naming ``resources`` (and the offending ids) unless every one is listed."""
    unlisted = unlisted_resources(resource_ids)
    if unlisted:
        raise ValidationError(
            {
                "resources": _(
                    "A pilot may only use resources listed in a published batch; these are "
                    "not: %(ids)s."
                )
                % {"ids": ", ".join(unlisted)}
            }
        )


def check_lead(pilot: PilotProject) -> None:
    """A pilot is led by a platform, or by an SME named with its credit code: exactly one."""
    has_platform = pilot.lead_platform_id is not None
    has_sme = bool(pilot.lead_sme_name.strip() or pilot.lead_sme_credit_code)
    if has_platform and has_sme:
        raise ValidationError(
            {"lead": _("A pilot is led by a platform or by an SME, not by both.")}
        )
    if not has_platform and not has_sme:
        raise ValidationError(
            {"lead": _("Name the lead: a platform, or an SME with its credit code.")}
        )
    if has_sme and not (pilot.lead_sme_name.strip() and pilot.lead_sme_credit_code):
        raise ValidationError(
            {"lead": _("An SME lead needs both its name and its unified social credit code.")}
        )


def _resource_ids(resources: Iterable[Any]) -> list[Any]:
    return sorted({str(getattr(resource, "pk", resource)) for resource in resources})


# Pilot projects ---------------------------------------------------------------------------------


def _apply_pilot(pilot: PilotProject, data: dict[str, Any]) -> None:
    for name, value in data.items():
        if name == "participants" and _valid(validate_participants, value):
            value = normalise_participants(value)
        elif name == "milestones" and _valid(validate_milestones, value):
            value = normalise_milestones(value)
        setattr(pilot, name, value)


def _valid(validator: Any, value: Any) -> bool:
    """Whether ``value`` can be normalised (otherwise ``full_clean`` reports what is wrong)."""
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def _full_clean_pilot(pilot: PilotProject) -> None:
    check_lead(pilot)
    pilot.full_clean(exclude=["resources"])


# The change feed's name for each kind of object, and its key.
_FEED_KINDS: dict[type[models.Model], tuple[str, str]] = {
    PilotProject: ("pilot", "code"),
    Scenario: ("scenario", "code"),
    ServicePlatform: ("service_platform", "slug"),
}


def _record(
    *,
    subject: PilotProject | Scenario | ServicePlatform,
    action: str,
    actor: Any,
    before: State | None,
    after: State,
    version: int,
    reason: str = "",
) -> None:
    """Records the change in the history and writes its event to the public change feed
    (``pilot.created``, ``pilot.updated`` …), in the change's transaction."""
    record_change(
        subject=subject,
        action=action,
        actor=actor,
        before=before,
        after=after,
        reason=reason,
        version=version,
    )
    kind, key = _FEED_KINDS[type(subject)]
    state = getattr(subject, "status", None) or getattr(subject, "maturity", None)
    emit(
        f"{kind}.{'created' if action == 'created' else 'updated'}",
        subject_type=kind,
        subject_id=getattr(subject, key),
        data={
            key: getattr(subject, key),
            "name": subject.name,
            "action": action,
            **(
                {"changed": sorted(name for name in after if before.get(name) != after[name])}
                if before is not None
                else {}
            ),
            **({"status": state} if state else {}),
            "version": version,
            "url": subject.get_absolute_url(),
        },
        public=True,
    )


@transaction.atomic
def pilot_create(*, actor: Any, data: dict[str, Any]) -> PilotProject:
    """A new proposed pilot; its resources must be listed in a published batch."""
    data = dict(data)
    resource_ids = _resource_ids(data.pop("resources", []))
    pilot = PilotProject(status=PilotStatus.PROPOSED, version=1)
    _apply_pilot(pilot, data)
    _full_clean_pilot(pilot)
    check_resources(resource_ids)
    _save_new(pilot, "code")
    pilot.resources.set(resource_ids)
    _record(
        subject=pilot,
        action="created",
        actor=actor,
        before=None,
        after={**pilot_state(pilot), "resources": resource_ids},
        version=pilot.version,
    )
    return pilot


@transaction.atomic
def pilot_update(
    *, actor: Any, pilot_id: Any, data: dict[str, Any], if_match: frozenset[int] | None
) -> PilotProject:
    """Changes the fields in ``data``; a change that changes nothing keeps the version. Resources
    added must be listed in a published batch; those already linked may stay."""
    pilot = locked_at_version(PilotProject.objects.all(), pilot_id, if_match)
    _guard_pilot(pilot, "edit")
    before = pilot_state(pilot)
    data = dict(data)
    resources = data.pop("resources", None)
    _apply_pilot(pilot, data)
    after = pilot_state(pilot)
    after["resources"] = before["resources"]
    if resources is not None:
        after["resources"] = _resource_ids(resources)
    if after == before:
        return pilot
    _full_clean_pilot(pilot)
    check_resources(set(after["resources"]) - set(before["resources"]))
    pilot.version += 1
    pilot.save()
    if resources is not None:
        pilot.resources.set(after["resources"])
    _record(
        subject=pilot,
        action="updated",
        actor=actor,
        before=before,
        after=after,
        version=pilot.version,
    )
    return pilot


def _move_pilot(
    actor: Any,
    pilot_id: Any,
    action: str,
    if_match: frozenset[int] | None,
    *,
    reason: str = "",
    **changes: Any,
) -> PilotProject:
    pilot = locked_at_version(PilotProject.objects.all(), pilot_id, if_match)
    new_status = _guard_pilot(pilot, action)
    before = pilot_state(pilot)
    pilot.status = new_status
    for name, value in changes.items():
        setattr(pilot, name, value)
    pilot.version += 1
    pilot.save(update_fields=["status", *changes, "version", "updated_at"])
    _record(
        subject=pilot,
        action=_ACTION_RECORDED[action],
        actor=actor,
        before=before,
        after=pilot_state(pilot),
        reason=reason,
        version=pilot.version,
    )
    return pilot


def _check_year(year: int, field: str, *, latest: int = YEARS[-1]) -> None:
    """``year`` is one the registry knows, and not after ``latest``."""
    last = min(latest, YEARS[-1])
    if year not in YEARS or year > last:
        raise ValidationError(
            {
                field: _("Give a year from %(first)d to %(last)d.")
                % {"first": YEARS[0], "last": last}
            }
        )


@transaction.atomic
def pilot_select(
    *, actor: Any, pilot_id: Any, year: int | None = None, if_match: frozenset[int] | None = None
) -> PilotProject:
    """proposed → selected, in ``year`` (the current year unless given; never a later one: a
    selection is something that has happened, and only what has happened counts toward the plan)."""
    this_year = timezone.localdate().year
    if year is not None:
        _check_year(year, "year", latest=this_year)
    return _move_pilot(
        actor, pilot_id, "select", if_match, year_selected=this_year if year is None else year
    )


@transaction.atomic
def pilot_start(
    *, actor: Any, pilot_id: Any, if_match: frozenset[int] | None = None
) -> PilotProject:
    """selected → in_progress."""
    return _move_pilot(actor, pilot_id, "start", if_match)


@transaction.atomic
def pilot_complete(
    *, actor: Any, pilot_id: Any, if_match: frozenset[int] | None = None
) -> PilotProject:
    """in_progress → completed (outcomes and evidence may still be added afterwards)."""
    return _move_pilot(actor, pilot_id, "complete", if_match)


@transaction.atomic
def pilot_terminate(
    *, actor: Any, pilot_id: Any, reason: str, if_match: frozenset[int] | None = None
) -> PilotProject:
    """selected or in_progress → terminated, with a reason; a terminated pilot is final."""
    reason = require_reason(reason)
    return _move_pilot(
        actor, pilot_id, "terminate", if_match, reason=reason, termination_reason=reason
    )


# Scenarios --------------------------------------------------------------------------------------


@transaction.atomic
def scenario_create(*, actor: Any, data: dict[str, Any]) -> Scenario:
    """A new candidate scenario."""
    scenario = Scenario(maturity=ScenarioMaturity.CANDIDATE, version=1, **data)
    scenario.full_clean()
    _save_new(scenario, "code")
    _record(
        subject=scenario,
        action="created",
        actor=actor,
        before=None,
        after=scenario_state(scenario),
        version=scenario.version,
    )
    return scenario


@transaction.atomic
def scenario_update(
    *, actor: Any, scenario_id: Any, data: dict[str, Any], if_match: frozenset[int] | None
) -> Scenario:
    scenario = locked_at_version(Scenario.objects.all(), scenario_id, if_match)
    _guard_scenario(scenario, "edit")
    before = scenario_state(scenario)
    for name, value in data.items():
        setattr(scenario, name, value)
    after = scenario_state(scenario)
    if after == before:
        return scenario
    scenario.full_clean()
    scenario.version += 1
    scenario.save()
    _record(
        subject=scenario,
        action="updated",
        actor=actor,
        before=before,
        after=after,
        version=scenario.version,
    )
    return scenario


@transaction.atomic
def scenario_mark_implementable(
    *,
    actor: Any,
    scenario_id: Any,
    at: datetime | None = None,
    if_match: frozenset[int] | None = None,
) -> Scenario:
    """candidate → implementable, found so ``at`` (now unless given; never in the future)."""
    if at is not None:
        if at > timezone.now():
            raise ValidationError({"implementable_at": _("This moment is in the future.")})
        _check_year(at.astimezone(UTC).year, "implementable_at")
    scenario = locked_at_version(Scenario.objects.all(), scenario_id, if_match)
    before = scenario_state(scenario)
    scenario.maturity = _guard_scenario(scenario, "mark_implementable")
    scenario.implementable_at = at or timezone.now()
    scenario.version += 1
    scenario.save(update_fields=["maturity", "implementable_at", "version", "updated_at"])
    _record(
        subject=scenario,
        action=_ACTION_RECORDED["mark_implementable"],
        actor=actor,
        before=before,
        after=scenario_state(scenario),
        version=scenario.version,
    )
    return scenario


# Service platforms ------------------------------------------------------------------------------


@transaction.atomic
def service_platform_create(*, actor: Any, data: dict[str, Any]) -> ServicePlatform:
    data = dict(data)
    regions = _region_codes(data.pop("regions", []))
    service_platform = ServicePlatform(version=1, **data)
    _check_regions(service_platform, regions)
    service_platform.full_clean()
    _save_new(service_platform, "slug")
    service_platform.regions.set(regions)
    _record(
        subject=service_platform,
        action="created",
        actor=actor,
        before=None,
        after={**service_platform_state(service_platform), "regions": regions},
        version=service_platform.version,
    )
    return service_platform


@transaction.atomic
def service_platform_update(
    *,
    actor: Any,
    service_platform_id: Any,
    data: dict[str, Any],
    if_match: frozenset[int] | None,
) -> ServicePlatform:
    service_platform = locked_at_version(
        ServicePlatform.objects.all(), service_platform_id, if_match
    )
    before = service_platform_state(service_platform)
    data = dict(data)
    given = data.pop("regions", None)
    for name, value in data.items():
        setattr(service_platform, name, value)
    regions = _region_codes(given) if given is not None else before["regions"]
    if service_platform.nationwide and given is None:
        regions = []  # becoming nationwide clears the regions
    _check_regions(service_platform, regions)
    after = {**service_platform_state(service_platform), "regions": regions}
    if after == before:
        return service_platform
    service_platform.full_clean()
    service_platform.version += 1
    service_platform.save()
    service_platform.regions.set(regions)
    _record(
        subject=service_platform,
        action="updated",
        actor=actor,
        before=before,
        after=after,
        version=service_platform.version,
    )
    return service_platform


def _region_codes(regions: Iterable[Any]) -> list[Any]:
    return sorted({str(getattr(region, "code", region)) for region in regions})


def _check_regions(service_platform: ServicePlatform, regions: list[Any]) -> None:
    if service_platform.nationwide and regions:
        raise ValidationError({"regions": _("A nationwide service platform lists no regions.")})
