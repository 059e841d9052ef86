"""Building pilots for tests the way the registry builds them: through the services.

``listed_resource`` gives a resource listed in a published batch (the only kind a pilot may use),
``pilot_in`` a pilot moved through the workflow to the status asked for, and ``raw_pilot`` the one
shortcut: a row inserted directly in any status, for checking the transition tables whole.
"""

from typing import Any

from pilots import services
from pilots.choices import PilotStatus
from pilots.models import PilotProject, Scenario
from registry.models import Platform, Resource
from tests.factories import PilotProjectFactory, ScenarioFactory
from tests.openness.helpers import active_resource, published_batch

# The actions that lead from proposed to each status.
PATH = {
    PilotStatus.PROPOSED: [],
    PilotStatus.SELECTED: ["select"],
    PilotStatus.IN_PROGRESS: ["select", "start"],
    PilotStatus.COMPLETED: ["select", "start", "complete"],
    PilotStatus.TERMINATED: ["select", "terminate"],
}


def listed_resource(platform: Platform, **fields: Any) -> Resource:
    """An active resource of ``platform``, listed in a (new) published batch."""
    resource = active_resource(platform, **fields)
    published_batch(None, [resource], title="试点用清单")
    return resource


def pilot_data(platform: Platform, **data: Any) -> dict[str, Any]:
    """What ``pilot_create`` takes for a pilot led by ``platform`` (codes for the vocabularies)."""
    from registry.models import Industry, Region

    return {
        "code": "PILOT-T-001",
        "name": "算力普惠试点",
        "lead_platform": platform,
        "region": Region.objects.get(code="440000"),
        "industry": Industry.objects.get(code="C"),
        **data,
    }


def pilot_body(**fields: Any) -> dict[str, Any]:
    """A valid body for ``POST /api/v1/pilots/``: a pilot led by the platform ``lead-platform``
    unless ``fields`` say otherwise."""
    return {
        "code": "PILOT-API-001",
        "name": "算力普惠试点",
        "lead": {"platform": "lead-platform"},
        "region": "440000",
        "industry": "C",
        **fields,
    }


def move(pilot: PilotProject, status: str, actor: Any = None) -> PilotProject:
    """``pilot`` (proposed) moved through the services to ``status``."""
    for action in PATH[PilotStatus(status)]:
        call = getattr(services, f"pilot_{action}")
        extra = {"reason": "牵头单位退出"} if action == "terminate" else {}
        pilot = call(actor=actor, pilot_id=pilot.pk, **extra)
    return pilot


def pilot_in(status: str, *, code: str = "PILOT-T-001", **fields: Any) -> PilotProject:
    """A pilot made proposed, then moved through the services to ``status``."""
    return move(PilotProjectFactory(code=code, **fields), status)


def raw_pilot(status: str, **fields: Any) -> PilotProject:
    """A pilot inserted directly in ``status`` (no history)."""
    return PilotProjectFactory(status=status, **fields)


def implementable_scenario(code: str = "SCN-IMPL") -> Scenario:
    scenario = ScenarioFactory(code=code)
    return services.scenario_mark_implementable(actor=None, scenario_id=scenario.pk)
