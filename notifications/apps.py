from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Subscriptions (owners' standing searches), matching events against them, and sending the
    deliveries: webhooks, or the pull feed."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from notifications.event_schemas import register_ping

        register_ping()  # the OpenAPI document's event types (core.event_schemas)
        from core.events import on_matchable

        # A public event that subscriptions may ask for is matched against them by a task,
        # enqueued in the transaction that writes the event.
        on_matchable(_enqueue_matching)


def _enqueue_matching() -> None:
    from notifications import tasks

    tasks.match_events.enqueue()
