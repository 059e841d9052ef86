"""The ``data`` of the resource events (``registry.services._resource_event``), for the OpenAPI
document (``core.event_schemas``)."""

from typing import Any

from rest_framework import serializers

from config.api.fields import ChoiceField
from core.choices import EventType
from core.event_schemas import event_schema, register
from registry.choices import ResourceStatus, ResourceType


class ResourceEventDataSerializer(serializers.Serializer[Any]):
    resource = serializers.UUIDField()
    platform = serializers.SlugField(help_text="The platform's slug.")
    resource_type = ChoiceField(choices=ResourceType.choices)
    name = serializers.CharField()
    status = ChoiceField(choices=ResourceStatus.choices)
    version = serializers.IntegerField(help_text="The resource's version after the change.")
    url = serializers.URLField()


class ResourceUpdatedEventDataSerializer(ResourceEventDataSerializer):
    changed = serializers.ListField(
        child=serializers.CharField(), help_text="The fields the change touched."
    )


class ResourceWithdrawnEventDataSerializer(ResourceEventDataSerializer):
    reason = serializers.CharField(allow_blank=True, help_text="Why it was withdrawn.")


def register_resource_events() -> None:
    register(
        event_schema(
            EventType.RESOURCE_ACTIVATED,
            "ResourceActivated",
            ResourceEventDataSerializer,
            "A resource was activated: it is public, and may be submitted to a batch.",
        ),
        event_schema(
            EventType.RESOURCE_UPDATED,
            "ResourceUpdated",
            ResourceUpdatedEventDataSerializer,
            "A public resource was changed.",
        ),
        event_schema(
            EventType.RESOURCE_WITHDRAWN,
            "ResourceWithdrawn",
            ResourceWithdrawnEventDataSerializer,
            "A resource was withdrawn from the registry (and its listed entries with it).",
        ),
    )
