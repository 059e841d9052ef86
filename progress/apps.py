from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    """The plan's progress: the stats (``/api/v1/stats/``) and the ``/progress/`` page."""

    name = "progress"
    label = "progress"
    verbose_name = _("Progress")

    def ready(self) -> None:
        from progress import invalidation

        invalidation.connect_invalidation()
