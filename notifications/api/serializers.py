"""Subscriptions and deliveries in the API."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from config.api.accepted import InvalidChoice
from config.api.fields import ChoiceField
from config.api.serializers import StrictModelSerializer
from core.choices import SUBSCRIBABLE_EVENT_TYPES
from core.event_body import event_body
from core.event_schemas import event_union
from notifications.delivery import delivered_body
from notifications.field_lists import DELIVERY_ATTEMPTS, SUBSCRIPTION_FIELDS, SUBSCRIPTION_WRITABLE
from notifications.matching import normalise_query
from notifications.models import Delivery, Subscription
from notifications.webhooks.addresses import validate_webhook_url


class SubscriptionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:subscription-detail")
    event_types = serializers.ListField(child=serializers.CharField(), read_only=True)
    webhook_url = serializers.URLField(allow_null=True, read_only=True)

    class Meta:
        model = Subscription
        fields = SUBSCRIPTION_FIELDS
        read_only_fields = fields

    def to_representation(self, instance: Subscription) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["webhook_url"] = data["webhook_url"] or None
        return data


class SubscriptionWithSecretSerializer(SubscriptionSerializer):
    """A subscription with its signing secret: only the create and rotate-secret answers."""

    secret = serializers.SerializerMethodField(
        help_text="The signing secret (`whsec_…`). Shown only in this answer: store it now."
    )

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SUBSCRIPTION_FIELDS, "secret"]
        read_only_fields = fields

    def get_secret(self, instance: Subscription) -> str:
        return str(self.context["secret"])


class SubscriptionWriteSerializer(StrictModelSerializer):
    server_controlled = frozenset([*SUBSCRIPTION_FIELDS, "secret"]).difference(
        SUBSCRIPTION_WRITABLE
    )
    query = serializers.CharField(
        max_length=1000,
        required=False,
        allow_blank=True,
        help_text="A resource search, as the query string of `GET /api/v1/resources/` "
        "(`type=compute&region=440000`). Empty: every resource. Saved in a canonical form.",
    )
    event_types = serializers.ListField(
        child=ChoiceField(choices=[t.value for t in SUBSCRIBABLE_EVENT_TYPES]),
        required=False,
        allow_empty=False,
        help_text="The event types to deliver (default: all of them).",
    )
    webhook_url = serializers.URLField(
        max_length=500,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="Where to POST the events (https). Empty or null: a pull-only subscription.",
    )

    class Meta:
        model = Subscription
        fields = SUBSCRIPTION_WRITABLE

    def validate_query(self, value: str) -> str:
        try:
            return normalise_query(value)
        except DjangoValidationError as error:
            # One error per bad search parameter, named ``query.<parameter>`` in the problem, each
            # coded ``invalid_query`` (a refused choice with the accepted values, as in a search).
            raise serializers.ValidationError(
                {
                    name: [ErrorDetail(e.messages[0], code=_query_code(e.code)) for e in errors]
                    for name, errors in error.error_dict.items()
                }
            ) from error

    def validate_event_types(self, value: list[str]) -> list[str]:
        return sorted(set(value))

    def validate_webhook_url(self, value: str | None) -> str:
        if not value:
            return ""
        try:
            validate_webhook_url(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages, code="unsafe_url") from error
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None:
            attrs.setdefault("event_types", sorted(t.value for t in SUBSCRIBABLE_EVENT_TYPES))
            attrs.setdefault("query", "")
        return attrs


def _query_code(code: Any) -> str:
    if isinstance(code, InvalidChoice):
        return InvalidChoice("invalid_query", code.extra)
    return "invalid_query"


class DeliverySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:delivery-detail")
    subscription = serializers.IntegerField(source="subscription_id", read_only=True)
    event = serializers.SerializerMethodField()
    matched = serializers.JSONField(
        read_only=True,
        help_text="Why the event matched: its type, the query, the matching resources (at most "
        "10) and how many there were.",
    )

    class Meta:
        model = Delivery
        fields = [
            "id",
            "url",
            "subscription",
            "webhook_id",
            "status",
            "matched",
            *DELIVERY_ATTEMPTS,
            "created_at",
            "event",
        ]
        read_only_fields = fields

    @extend_schema_field(event_union())
    def get_event(self, delivery: Delivery) -> dict[str, Any]:
        return event_body(delivery.event, self.context["request"].build_absolute_uri)


class DeliveredEventSerializer(serializers.BaseSerializer[Any]):
    """A delivered event, as its webhook carries it (``notifications.delivery.delivered_body``):
    the subscription's pull feed shows the same item."""

    def to_representation(self, instance: Delivery) -> dict[str, Any]:
        return delivered_body(instance, self.context["request"].build_absolute_uri)
