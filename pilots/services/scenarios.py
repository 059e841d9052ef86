"""Scenarios: found as candidates, edited, and marked implementable."""

from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import State, apply_fields, model_state
from core.errors import locked_at_version
from pilots.choices import ScenarioMaturity
from pilots.field_lists import SCENARIO_AUDITED
from pilots.models import Scenario
from pilots.services.workflow import (
    ACTION_RECORDED,
    check_year,
    guard_scenario,
    record_change,
    save_changed,
    save_created,
)


def scenario_state(scenario: Scenario) -> State:
    state = model_state(scenario, SCENARIO_AUDITED)
    moment = scenario.implementable_at
    state["implementable_at"] = moment.astimezone(UTC).isoformat() if moment else None
    return state


@transaction.atomic
def scenario_create(*, actor: Any, data: dict[str, Any]) -> Scenario:
    """A new candidate scenario."""
    scenario = Scenario(maturity=ScenarioMaturity.CANDIDATE, version=1, **data)
    scenario.full_clean()
    save_created(scenario, "code", actor=actor, state=scenario_state)
    return scenario


@transaction.atomic
def scenario_update(
    *, actor: Any, scenario_id: Any, data: dict[str, Any], if_match: frozenset[int] | None
) -> Scenario:
    scenario = locked_at_version(Scenario.objects.all(), scenario_id, if_match)
    guard_scenario(scenario, "edit")
    before, after = apply_fields(scenario, data, scenario_state)
    if after == before:
        return scenario
    scenario.full_clean()
    save_changed(scenario, actor=actor, before=before, after=after)
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
        check_year(at.astimezone(UTC).year, "implementable_at")
    scenario = locked_at_version(Scenario.objects.all(), scenario_id, if_match)
    before = scenario_state(scenario)
    scenario.maturity = guard_scenario(scenario, "mark_implementable")
    scenario.implementable_at = at or timezone.now()
    scenario.version += 1
    scenario.save(update_fields=["maturity", "implementable_at", "version", "updated_at"])
    after = scenario_state(scenario)
    record_change(
        scenario, ACTION_RECORDED["mark_implementable"], actor=actor, before=before, after=after
    )
    return scenario
