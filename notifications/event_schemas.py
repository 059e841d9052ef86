"""The ``data`` of ``ping``, the test delivery a subscription's owner asks for
(``notifications.services.subscription_ping``), for the OpenAPI document
(``core.event_schemas``)."""

from typing import Any

from rest_framework import serializers

from core.choices import EventType
from core.event_schemas import event_schema, register


class PingEventDataSerializer(serializers.Serializer[Any]):
    subscription = serializers.IntegerField()
    url = serializers.URLField(help_text="The subscription.")


def register_ping() -> None:
    register(
        event_schema(
            EventType.PING,
            "Ping",
            PingEventDataSerializer,
            "A test delivery the subscription's owner asked for; only that subscription gets it.",
        )
    )
