from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpennessConfig(AppConfig):
    """Batches (the openness lists), their entries, the change feed and subscriptions."""

    name = "openness"
    verbose_name = _("Openness lists")

    def ready(self) -> None:
        from core.events import on_matchable

        # A public event that subscriptions may ask for is matched against them by a task,
        # enqueued in the transaction that writes the event.
        on_matchable(_enqueue_matching)


def _enqueue_matching() -> None:
    from openness import tasks

    tasks.match_events.enqueue()
