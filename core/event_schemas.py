"""What an event looks like, type by type, for the OpenAPI document (``core.event_body`` builds it).

Each app declares the ``data`` of its own event types and registers them when it is ready
(``registry.event_schemas``, ``openness.event_schemas``, ``pilots.event_schemas``,
``notifications.event_schemas``), as the subscriptions' app registers its matching with
``core.events.on_matchable``: this layer names no domain app. ``event_union()`` is then the
``Event`` component, one schema per type chosen by ``type`` (``oneOf`` with a discriminator),
used by the change feed, a subscription's feed, a delivery and the ``webhooks`` section.

A test (``tests/core/test_event_schemas.py``) validates an event of every type, as the feed
shows it and as a webhook carries it, against this document.
"""

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

_SCHEMAS: dict[str, type[serializers.Serializer[Any]]] = {}


class EventSubjectSerializer(serializers.Serializer[Any]):
    type = serializers.CharField(help_text="What the event is about: `resource`, `entry`, `batch`…")
    id = serializers.CharField(help_text="Its identifier: the resource's UUID, the batch's number…")
    url = serializers.URLField(allow_null=True, help_text="Where to read it now.")


class EventSubscriptionSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.URLField()


class EventDeliverySerializer(serializers.Serializer[Any]):
    webhook_id = serializers.CharField(
        help_text="The delivery's `webhook-id` (`msg_…`), the same on every retry: the key to "
        "deduplicate."
    )
    subscription = EventSubscriptionSerializer()
    matched = serializers.DictField(
        help_text="Why the event matched: its type, the query, the matching resources (at most "
        "10) and how many there were."
    )


class EventTypeField(serializers.CharField):
    """An event's ``type``, one value (``const`` in the document: the discriminator's)."""

    def __init__(self, event_type: str, **kwargs: Any) -> None:
        self.event_type = event_type
        super().__init__(**kwargs)


class EventTypeFieldExtension(OpenApiSerializerFieldExtension):
    target_class = EventTypeField

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        return {"type": "string", "const": self.target.event_type}


def event_schema(
    event_type: str, name: str, data: type[serializers.Serializer[Any]], summary: str
) -> type[serializers.Serializer[Any]]:
    """The schema of one event type (component ``{name}Event``), whose ``data`` is ``data``."""
    event_type = str(event_type)  # the value of an ``EventType``
    kind = EventTypeField(event_type, help_text=summary)
    fields = {
        "id": serializers.IntegerField(help_text="The event's id; it only grows (the cursor)."),
        "type": kind,
        "occurred_at": serializers.DateTimeField(help_text="When the change was made."),
        "subject": EventSubjectSerializer(),
        "data": data(),
        "delivery": EventDeliverySerializer(
            required=False,
            help_text="Only in a webhook and in a subscription's feed: the delivery and why it "
            "matched.",
        ),
    }
    return type(
        f"{name}EventSerializer", (serializers.Serializer,), {**fields, "event_type": event_type}
    )


def register(*schemas: type[serializers.Serializer[Any]]) -> None:
    """Adds event types' schemas (from ``event_schema``) to the ``Event`` union."""
    for schema in schemas:
        _SCHEMAS[schema.event_type] = schema  # type: ignore[attr-defined]


def registered() -> dict[str, Any]:
    return dict(sorted(_SCHEMAS.items()))


def event_union(**kwargs: Any) -> PolymorphicProxySerializer:
    """The ``Event`` component: one of the registered types, by ``type``."""
    return PolymorphicProxySerializer(
        component_name="Event", serializers=registered, resource_type_field_name="type", **kwargs
    )
