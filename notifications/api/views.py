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
from config.api.views import RegistryViewSet
from core.models import Event
from notifications import services
from notifications.api.serializers import (
    DeliverySerializer,
    MatchedEventSerializer,
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
        tags=TAGS,
    ),
    retrieve=extend_schema(summary="Get a subscription", description=OWNER_ONLY, tags=TAGS),
    create=extend_schema(
        summary="Create a subscription",
        description="A standing search (`query`, any query the resource search accepts) and the "
        "event types to hear about; with a `webhook_url` the events are POSTed there, signed "
        "(Standard Webhooks), otherwise they wait in the subscription's pull feed. The answer "
        "holds the signing `secret`, shown only here and on rotation.",
        request=SubscriptionWriteSerializer,
        responses={201: SubscriptionWithSecretSerializer},
        tags=TAGS,
    ),
    partial_update=extend_schema(
        summary="Change a subscription",
        description="Any of name, query, event types, webhook URL and active. Setting `active` "
        "to true reactivates a disabled subscription. " + OWNER_ONLY,
        request=SubscriptionWriteSerializer,
        responses={200: SubscriptionSerializer},
        tags=TAGS,
    ),
    destroy=extend_schema(
        summary="Delete a subscription",
        description="The subscription and its deliveries. " + OWNER_ONLY,
        tags=TAGS,
    ),
)
class SubscriptionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    RegistryViewSet,
):
    queryset = Subscription.objects.all()
    serializer_class = SubscriptionSerializer
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    permission_policy = dict.fromkeys(
        [
            "list",
            "retrieve",
            "create",
            "partial_update",
            "destroy",
            "rotate_secret",
            "ping",
            "reactivate",
            "events",
            "deliveries",
        ],
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

    def get_queryset(self) -> QuerySet[Subscription]:
        if getattr(self, "swagger_fake_view", False):
            return Subscription.objects.none()
        return Subscription.objects.owned_by(self.request.user).order_by("id")

    def get_throttles(self) -> list[BaseThrottle]:
        throttles = super().get_throttles()
        if self.action == "ping":
            throttles.append(PingRateThrottle())
        return throttles

    def _respond(
        self, subscription: Subscription, *, secret: str = "", status: int = 200
    ) -> Response:
        context = {**self.get_serializer_context(), "secret": secret}
        serializer_class = SubscriptionWithSecretSerializer if secret else SubscriptionSerializer
        return Response(serializer_class(subscription, context=context).data, status=status)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = SubscriptionWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        subscription, secret = services.subscription_create(
            owner=request.user, data=dict(body.validated_data)
        )
        return self._respond(subscription, secret=secret, status=201)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        subscription = self.get_object()
        body = SubscriptionWriteSerializer(subscription, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        subscription = services.subscription_update(
            subscription_id=subscription.pk, data=dict(body.validated_data)
        )
        return self._respond(subscription)

    @extend_schema(
        summary="Rotate the signing secret",
        description="A new secret, shown only in this answer. For the next 24 hours deliveries "
        "carry two signatures, one with each secret, so the receiver can switch without losing "
        "any.",
        request=None,
        responses={200: SubscriptionWithSecretSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, pk: str) -> Response:
        subscription, secret = services.subscription_rotate_secret(
            subscription_id=self.get_object().pk
        )
        return self._respond(subscription, secret=secret)

    @extend_schema(
        summary="Reactivate a subscription",
        description="Active again after it was disabled (410 Gone, or days of failures); the "
        "deliveries still pending are sent.",
        request=None,
        responses={200: SubscriptionSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def reactivate(self, request: Request, pk: str) -> Response:
        return self._respond(services.subscription_reactivate(subscription_id=self.get_object().pk))

    @extend_schema(
        summary="Send a ping",
        description="A `ping` event for this subscription alone, delivered now (to the pull feed "
        "when there is no webhook). Rate-limited per user.",
        request=None,
        responses={202: DeliverySerializer},
        tags=TAGS,
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
        responses={200: MatchedEventSerializer(many=True)},
        tags=TAGS,
    )
    @action(detail=True, methods=["get"], pagination_class=FeedPagination)
    def events(self, request: Request, pk: str) -> Response:
        subscription = self.get_object()
        deliveries = Delivery.objects.filter(subscription=subscription)
        events = Event.objects.filter(pk__in=deliveries.values("event_id")).order_by("id")
        page = self.paginate_queryset(events)
        assert page is not None  # the action always paginates
        by_event = {d.event_id: d for d in deliveries.filter(event_id__in=[e.pk for e in page])}
        context = {**self.get_serializer_context(), "deliveries": by_event}
        return self.get_paginated_response(
            MatchedEventSerializer(page, many=True, context=context).data
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
        tags=TAGS,
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
        tags=TAGS,
    ),
)
class DeliveryViewSet(mixins.RetrieveModelMixin, RegistryViewSet):
    queryset = Delivery.objects.all()
    serializer_class = DeliverySerializer
    lookup_value_regex = "[0-9]+"
    permission_policy = {"retrieve": Rule.AUTHENTICATED, "redeliver": Rule.AUTHENTICATED}
    error_statuses = {"retrieve": [401, 404], "redeliver": [401, 404, 409, 429]}

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

    @extend_schema(
        summary="Redeliver",
        description="Sends the delivery again now, with the same `webhook-id`, whatever became "
        "of it (dead ones included); once: a delivery already waiting to be sent now is left "
        "as it is, and one being sent is refused (409). Rate-limited per user.",
        request=None,
        responses={202: DeliverySerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def redeliver(self, request: Request, pk: str) -> Response:
        delivery = services.delivery_redeliver(delivery_id=self.get_object().pk)
        return Response(self.get_serializer(delivery).data, status=202)
