"""Pilot projects: proposed, edited, selected, started, completed or terminated.

A pilot's resources must be listed (not withdrawn) in a published batch when they are linked; a
resource linked earlier stays linked if its listing is withdrawn later.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import State, model_state
from core.errors import locked_at_version, require_reason
from openness.choices import BatchStatus, EntryStatus
from openness.models import Entry
from pilots.choices import PilotStatus
from pilots.field_lists import PILOT_AUDITED
from pilots.models import PilotProject
from pilots.services.workflow import (
    ACTION_RECORDED,
    check_year,
    guard_pilot,
    record_change,
    related_key,
    save_changed,
    save_created,
)
from pilots.validators import (
    normalise_milestones,
    normalise_participants,
    validate_milestones,
    validate_participants,
)


def pilot_state(pilot: PilotProject) -> State:
    """The pilot as plain JSON: related objects by their public keys, resources by id."""
    state = model_state(pilot, PILOT_AUDITED, {"resources": "pk"} if pilot.pk else None)
    state["resources"] = state.get("resources", [])
    state["lead_platform"] = related_key(pilot.lead_platform, "slug")
    state["scenario"] = related_key(pilot.scenario, "code")
    state["service_platform"] = related_key(pilot.service_platform, "slug")
    return state


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


@transaction.atomic
def pilot_create(*, actor: Any, data: dict[str, Any]) -> PilotProject:
    """A new proposed pilot; its resources must be listed in a published batch."""
    data = dict(data)
    resource_ids = _resource_ids(data.pop("resources", []))
    pilot = PilotProject(status=PilotStatus.PROPOSED, version=1)
    _apply_pilot(pilot, data)
    _full_clean_pilot(pilot)
    check_resources(resource_ids)
    save_created(
        pilot, "code", actor=actor, state=pilot_state, relations={"resources": resource_ids}
    )
    return pilot


@transaction.atomic
def pilot_update(
    *, actor: Any, pilot_id: Any, data: dict[str, Any], if_match: frozenset[int] | None
) -> PilotProject:
    """Changes the fields in ``data``; a change that changes nothing keeps the version. Resources
    added must be listed in a published batch; those already linked may stay."""
    pilot = locked_at_version(PilotProject.objects.all(), pilot_id, if_match)
    guard_pilot(pilot, "edit")
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
    relations = {"resources": after["resources"]} if resources is not None else None
    save_changed(pilot, actor=actor, before=before, after=after, relations=relations)
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
    new_status = guard_pilot(pilot, action)
    before = pilot_state(pilot)
    pilot.status = new_status
    for name, value in changes.items():
        setattr(pilot, name, value)
    pilot.version += 1
    pilot.save(update_fields=["status", *changes, "version", "updated_at"])
    after = pilot_state(pilot)
    record_change(
        pilot, ACTION_RECORDED[action], actor=actor, before=before, after=after, reason=reason
    )
    return pilot


@transaction.atomic
def pilot_select(
    *, actor: Any, pilot_id: Any, year: int | None = None, if_match: frozenset[int] | None = None
) -> PilotProject:
    """proposed → selected, in ``year`` (the current year unless given; never a later one: a
    selection is something that has happened, and only what has happened counts toward the plan)."""
    this_year = timezone.localdate().year
    if year is not None:
        check_year(year, "year", latest=this_year)
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
