"""Subscriptions, their pull feeds and their deliveries: each visible to its owner alone."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from config.api.accepted import refusal_message
from config.api.pagination import KeysetPagination
from config.api.permissions import Rule
from config.api.throttling import PingRateThrottle, RedeliverRateThrottle
from config.api.transitions import transition
from config.api.viewsets import ServiceCreateMixin, ServiceUpdateMixin, ServiceViewSet
from core.event_schemas import event_union
from core.models import Event
from notifications import services
from notifications.api.serializers import (
    DeliveredEventSerializer,
    DeliverySerializer,
    SubscriptionSerializer,
    SubscriptionWithSecretSerializer,
    SubscriptionWriteSerializer,
)
from notifications.choices import DeliveryStatus
from notifications.models import Delivery, Subscription
from openness.api.views import FeedPagination

TAGS = ["subscriptions"]
OWNER_ONLY = "Only the subscription's owner sees it: anyone else gets 404."


@extend_schema_view(
    list=extend_schema(
        summary="List your subscriptions",
        description="Your standing searches, oldest first.",
    ),
    retrieve=extend_schema(summary="Get a subscription", description=OWNER_ONLY),
    create=extend_schema(
        summary="Create a subscription",
        description="A standing search (`query`, any query the resource search accepts) and the "
        "event types to hear about; with a `webhook_url` the events are POSTed there, signed "
        "(Standard Webhooks), otherwise they wait in the subscription's pull feed. The answer "
        "holds the signing `secret`, shown only here and on rotation.",
        request=SubscriptionWriteSerializer,
        responses={201: SubscriptionWithSecretSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a subscription",
        description="Any of name, query, event types, webhook URL and active. Setting `active` "
        "to true reactivates a disabled subscription. " + OWNER_ONLY,
        request=SubscriptionWriteSerializer,
        responses={200: SubscriptionSerializer},
    ),
    destroy=extend_schema(
        summary="Delete a subscription",
        description="The subscription and its deliveries. " + OWNER_ONLY,
    ),
)
class SubscriptionViewSet(
    mixins.ListModelMixin,
    mixins.DestroyModelMixin,
    ServiceCreateMixin,
    ServiceUpdateMixin,
    ServiceViewSet,
):
    queryset = Subscription.objects.all()
    serializer_class = SubscriptionSerializer
    write_serializer_class = SubscriptionWriteSerializer
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    schema_tags = TAGS
    versioned = False
    located = False
    service_actor = None  # the queryset holds the owner's subscriptions alone
    update_service = services.subscription_update
    service_key = "subscription_id"
    permission_policy = dict.fromkeys(
        ["list", "retrieve", "create", "partial_update", "destroy", "ping", "events", "deliveries"],
        Rule.AUTHENTICATED,
    )
    error_statuses = {
        "list": [401],
        "retrieve": [401, 404],
        "create": [400, 401, 409],
        "partial_update": [400, 401, 404],
        "ping": [401, 404, 409, 429],
        "events": [400, 401, 404],
        "deliveries": [400, 401, 404],
    }
    extra_query_params_by_action = {
        "events": ("cursor", "page_size"),
        "deliveries": ("cursor", "page_size", "status"),
    }

    rotate_secret = transition(
        services.subscription_rotate_secret,
        rule=Rule.AUTHENTICATED,
        errors=(),
        response=SubscriptionWithSecretSerializer,
        summary="Rotate the signing secret",
        description="A new secret, shown only in this answer. For the next 24 hours deliveries "
        "carry two signatures, one with each secret, so the receiver can switch without losing "
        "any.",
    )
    reactivate = transition(
        services.subscription_reactivate,
        rule=Rule.AUTHENTICATED,
        errors=(),
        summary="Reactivate a subscription",
        description="Active again after it was disabled (410 Gone, or days of failures); the "
        "deliveries still pending are sent.",
    )

    def get_queryset(self) -> QuerySet[Subscription]:
        if getattr(self, "swagger_fake_view", False):
            return Subscription.objects.none()
        return Subscription.objects.owned_by(self.request.user).order_by("id")

    def get_throttles(self) -> list[BaseThrottle]:
        throttles = super().get_throttles()
        if self.action == "ping":
            throttles.append(PingRateThrottle())
        return throttles

    def create_object(self, data: dict[str, Any]) -> Any:
        return services.subscription_create(owner=self.request.user, data=data)

    def respond(self, obj: Any, status: int = 200) -> Response:
        """Creating a subscription and rotating its secret answer it with the new secret (the
        services give both): the only time the secret is shown."""
        if not isinstance(obj, tuple):
            return super().respond(obj, status=status)
        subscription, secret = obj
        context = {**self.get_serializer_context(), "secret": secret}
        data = SubscriptionWithSecretSerializer(subscription, context=context).data
        return Response(data, status=status)

    @extend_schema(
        summary="Send a ping",
        description="A `ping` event for this subscription alone, delivered now (to the pull feed "
        "when there is no webhook). Rate-limited per user.",
        request=None,
        responses={202: DeliverySerializer},
    )
    @action(detail=True, methods=["post"])
    def ping(self, request: Request, pk: str) -> Response:
        delivery = services.subscription_ping(subscription_id=self.get_object().pk)
        data = DeliverySerializer(delivery, context=self.get_serializer_context()).data
        return Response(data, status=202)

    @extend_schema(
        summary="The subscription's pull feed",
        description="The events that matched, oldest first, with why each matched; follow "
        "`next` to keep up (it is never null). Works with or without a webhook.",
        responses={200: event_union(many=True)},
    )
    @action(detail=True, methods=["get"], pagination_class=FeedPagination)
    def events(self, request: Request, pk: str) -> Response:
        subscription = self.get_object()
        deliveries = Delivery.objects.filter(subscription=subscription)
        events = Event.objects.filter(pk__in=deliveries.values("event_id")).order_by("id")
        page = self.paginate_queryset(events)
        assert page is not None  # the action always paginates
        by_event = {d.event_id: d for d in deliveries.filter(event_id__in=[e.pk for e in page])}
        for event in page:  # each delivery with its event and subscription, read once
            by_event[event.pk].event = event
            by_event[event.pk].subscription = subscription
        delivered = [by_event[event.pk] for event in page]
        return self.get_paginated_response(
            DeliveredEventSerializer(
                delivered, many=True, context=self.get_serializer_context()
            ).data
        )

    @extend_schema(
        summary="The subscription's deliveries",
        description="Newest first: status, attempts, the last status code and error, the next "
        "attempt, and why each matched.",
        parameters=[
            OpenApiParameter(
                "status",
                str,
                enum=[s.value for s in DeliveryStatus],
                description="Only deliveries with this status.",
            )
        ],
        responses={200: DeliverySerializer(many=True)},
    )
    @action(detail=True, methods=["get"], pagination_class=KeysetPagination)
    def deliveries(self, request: Request, pk: str) -> Response:
        subscription = self.get_object()
        deliveries = Delivery.objects.filter(subscription=subscription).select_related("event")
        status = request.query_params.get("status")
        if status:
            if status not in DeliveryStatus.values:
                message, code = refusal_message([status], DeliveryStatus.values)
                raise ValidationError({"status": [ErrorDetail(message, code=code)]})
            deliveries = deliveries.filter(status=status)
        page = self.paginate_queryset(deliveries.order_by("-id"))
        return self.get_paginated_response(
            DeliverySerializer(page, many=True, context=self.get_serializer_context()).data
        )


@extend_schema_view(
    retrieve=extend_schema(
        summary="Get a delivery",
        description="One delivery of one of your subscriptions.",
    ),
)
class DeliveryViewSet(ServiceViewSet):
    queryset = Delivery.objects.all()
    serializer_class = DeliverySerializer
    lookup_value_regex = "[0-9]+"
    schema_tags = TAGS
    versioned = False
    service_actor = None  # the queryset holds the deliveries of the owner's subscriptions alone
    service_key = "delivery_id"
    permission_policy = {"retrieve": Rule.AUTHENTICATED}
    error_statuses = {"retrieve": [401, 404]}

    redeliver = transition(
        services.delivery_redeliver,
        rule=Rule.AUTHENTICATED,
        errors=(401, 404, 409, 429),
        status=202,
        summary="Redeliver",
        description="Sends the delivery again now, with the same `webhook-id`, whatever became "
        "of it (dead ones included); once: a delivery already waiting to be sent now is left "
        "as it is, and one being sent is refused (409). Rate-limited per user.",
    )

    def get_queryset(self) -> QuerySet[Delivery]:
        if getattr(self, "swagger_fake_view", False):
            return Delivery.objects.none()
        owned = Subscription.objects.owned_by(self.request.user)
        return Delivery.objects.filter(subscription__in=owned).select_related("event")

    def get_throttles(self) -> list[BaseThrottle]:
        throttles = super().get_throttles()
        if self.action == "redeliver":
            throttles.append(RedeliverRateThrottle())
        return throttles
