"""Subscriptions and deliveries in the curators' admin: for operations, mostly read-only.

Curators see every subscription here (the API shows each only to its owner) so that they can
tell why deliveries fail; they can reactivate a disabled subscription and send deliveries again.
Secrets are never shown. Changes go through ``notifications.services``.
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.admin import breaking_anywhere, label_of
from core.admin import ReadOnlyAdmin, json_block
from core.choices import EventType
from core.errors import DomainError
from core.models import Event
from notifications import services
from notifications.field_lists import DELIVERY_ATTEMPTS
from notifications.models import Delivery, Subscription
from notifications.models.delivery import parse_message_id

EVENT_TYPES = dict(EventType.choices)


def event_label(event: Event) -> str:
    """An event by its number and what happened, in the reader's language."""
    return f"#{event.pk} {label_of(EVENT_TYPES, event.type)}"


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin, admin.ModelAdmin[Subscription]):
    list_display = [
        "id",
        "name",
        "owner",
        "query_display",
        "webhook_display",
        "active",
        "last_success_at",
    ]
    list_display_links = ["id", "name"]
    list_filter = ["active"]
    search_fields = ["name", "owner__username", "webhook_url", "query"]
    list_select_related = ["owner"]
    fields = (
        "owner",
        "name",
        "query",
        "event_types_display",
        "webhook_url",
        "active",
        "disabled_reason",
        "disabled_at",
        "failing_since",
        "last_success_at",
        "previous_secret_expires_at",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    actions = ["reactivate"]

    @admin.display(description=_("query"), ordering="query")
    def query_display(self, obj: Subscription) -> str:
        return breaking_anywhere(obj.query) if obj.query else "—"

    @admin.display(description=_("webhook URL"), ordering="webhook_url")
    def webhook_display(self, obj: Subscription) -> str:
        return breaking_anywhere(obj.webhook_url) if obj.webhook_url else "—"

    @admin.display(description=_("event types"))
    def event_types_display(self, obj: Subscription) -> str:
        return "; ".join(label_of(EVENT_TYPES, key) for key in obj.event_types) or "—"

    @admin.action(description=_("Reactivate the selected subscriptions"))
    def reactivate(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        for subscription in queryset:
            services.subscription_reactivate(subscription_id=subscription.pk)
        count = queryset.count()
        self.message_user(
            request,
            ngettext(
                "%(count)d subscription reactivated.", "%(count)d subscriptions reactivated.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin, admin.ModelAdmin[Delivery]):
    list_display = [
        "webhook_id_display",
        "subscription_name",
        "event_display",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
    ]
    list_filter = ["status"]
    search_fields = ["subscription__name"]
    search_help_text = _("A subscription's name, or a webhook id (msg_…).")
    list_select_related = ["subscription", "event"]
    show_full_result_count = False

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Delivery], search_term: str
    ) -> tuple[QuerySet[Delivery], bool]:
        ids = parse_message_id(search_term)
        if ids is not None:  # the id is derived from the event and the subscription, not stored
            event_id, subscription_id = ids
            return queryset.filter(event_id=event_id, subscription_id=subscription_id), False
        return super().get_search_results(request, queryset, search_term)

    fields = (
        "webhook_id_display",
        "subscription",
        "event_display",
        "status",
        "matched_display",
        *DELIVERY_ATTEMPTS,
        "created_at",
    )
    readonly_fields = fields
    actions = ["redeliver"]

    @admin.display(description=_("webhook id"))
    def webhook_id_display(self, obj: Delivery) -> str:
        return obj.webhook_id

    @admin.display(description=_("subscription"), ordering="subscription__name")
    def subscription_name(self, obj: Delivery) -> str:
        return obj.subscription.name  # a method's column wraps, a foreign key's does not

    @admin.display(description=_("event"), ordering="event_id")
    def event_display(self, obj: Delivery) -> str:
        return event_label(obj.event)

    @admin.display(description=_("why it matched"))
    def matched_display(self, obj: Delivery) -> str:
        return json_block(obj.matched)

    @admin.action(description=_("Send the selected deliveries again"))
    def redeliver(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        sent = 0
        for delivery in queryset:
            try:
                services.delivery_redeliver(delivery_id=delivery.pk)
                sent += 1
            except DomainError as refused:
                self.message_user(
                    request, f"{delivery.webhook_id}: {refused.message}", messages.ERROR
                )
        if sent:
            self.message_user(
                request,
                ngettext("%(count)d delivery queued.", "%(count)d deliveries queued.", sent)
                % {"count": sent},
                messages.SUCCESS,
            )


# The background tasks (the queue that matches and sends) register their admin on import.
from notifications import admin_tasks  # noqa: E402, F401
