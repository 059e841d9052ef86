"""The ``data`` of the pilot, scenario and service platform events (``pilots.services.workflow
.record_change``), for the OpenAPI document (``core.event_schemas``). They are in the change feed
for integrators to mirror; no subscription asks for them."""

from typing import Any

from rest_framework import serializers

from config.api.fields import ChoiceField
from core.choices import EventType
from core.event_schemas import event_schema, register
from pilots.choices import PilotStatus, ScenarioMaturity

_ACTION = (
    "What was done: `created`, `updated`, `selected`, `started`, `completed`, `terminated`, "
    "`marked_implementable`…"
)
_CHANGED = "The fields the change touched."


def _data(name: str, key: str, state: Any, *, changed: bool) -> type[serializers.Serializer[Any]]:
    fields: dict[str, serializers.Field[Any, Any, Any, Any]] = {
        key: serializers.SlugField(),
        "name": serializers.CharField(),
        "action": serializers.CharField(help_text=_ACTION),
        "version": serializers.IntegerField(help_text="Its version after the change."),
        "url": serializers.URLField(),
    }
    if changed:
        fields["changed"] = serializers.ListField(child=serializers.CharField(), help_text=_CHANGED)
    if state is not None:
        fields["status"] = ChoiceField(choices=state.choices)
    return type(f"{name}EventDataSerializer", (serializers.Serializer,), fields)


_KINDS = [
    (
        "Pilot",
        "code",
        PilotStatus,
        EventType.PILOT_CREATED,
        EventType.PILOT_UPDATED,
        "pilot project",
    ),
    (
        "Scenario",
        "code",
        ScenarioMaturity,
        EventType.SCENARIO_CREATED,
        EventType.SCENARIO_UPDATED,
        "scenario (its `status` is its maturity)",
    ),
    (
        "ServicePlatform",
        "slug",
        None,
        EventType.SERVICE_PLATFORM_CREATED,
        EventType.SERVICE_PLATFORM_UPDATED,
        "service platform",
    ),
]


def register_pilot_events() -> None:
    for name, key, state, created, updated, what in _KINDS:
        register(
            event_schema(
                created,
                f"{name}Created",
                _data(f"{name}Created", key, state, changed=False),
                f"A {what} was created.",
            ),
            event_schema(
                updated,
                f"{name}Updated",
                _data(f"{name}Updated", key, state, changed=True),
                f"A {what} was changed, or moved on in its workflow.",
            ),
        )
