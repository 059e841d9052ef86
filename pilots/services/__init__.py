"""Writes to pilot projects, scenarios and service platforms: every change goes through here.

Like ``registry.services`` and ``openness.services``: each service runs in one transaction, locks
the row it changes, compares the client's If-Match with the version (412 when stale), checks the
workflow's transition table (409 ``transition-not-allowed``, ``workflow``), bumps the version and
records the change with its actor and its event in the change feed (``core.audit.record``). Views,
the admin and commands call these. By what they change: ``pilots``, ``scenarios`` and
``service_platforms``.
"""

from pilots.services.pilots import (
    check_lead,
    check_resources,
    pilot_complete,
    pilot_create,
    pilot_select,
    pilot_start,
    pilot_state,
    pilot_terminate,
    pilot_update,
    unlisted_resources,
)
from pilots.services.scenarios import (
    scenario_create,
    scenario_mark_implementable,
    scenario_state,
    scenario_update,
)
from pilots.services.service_platforms import (
    service_platform_create,
    service_platform_state,
    service_platform_update,
)
from pilots.services.workflow import PILOT_TRANSITIONS, SCENARIO_TRANSITIONS, YEARS

__all__ = [
    "PILOT_TRANSITIONS",
    "SCENARIO_TRANSITIONS",
    "YEARS",
    "check_lead",
    "check_resources",
    "pilot_complete",
    "pilot_create",
    "pilot_select",
    "pilot_start",
    "pilot_state",
    "pilot_terminate",
    "pilot_update",
    "scenario_create",
    "scenario_mark_implementable",
    "scenario_state",
    "scenario_update",
    "service_platform_create",
    "service_platform_state",
    "service_platform_update",
    "unlisted_resources",
]
