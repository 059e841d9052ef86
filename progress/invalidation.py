"""When the cached stats (``progress.stats.progress_stats``) are forgotten: a generation in the
cache is part of every stats key, and any change to what the stats read starts a new one.
"""

import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from openness.models import Batch, Entry
from pilots import signals as pilots_signals
from pilots.models import PilotProject, Scenario, ServicePlatform
from registry.models import Platform, Resource

GENERATION_KEY = "progress:stats:generation"


def generation() -> str:
    """The current generation of the stats' cache keys, started here when there is none."""
    current = cache.get(GENERATION_KEY)
    if current is None:
        current = uuid.uuid4().hex
        cache.add(GENERATION_KEY, current, None)
        current = cache.get(GENERATION_KEY, current)
    return str(current)


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def invalidate() -> None:
    """Forgets every cached stats: now (so the changing transaction reads its own writes) and
    again when it commits (so stats computed meanwhile from the old rows are not served)."""
    _new_generation()
    transaction.on_commit(_new_generation)


# What the stats read: a save or delete of any of these, or a change to these links, invalidates.
WATCHED_MODELS = (PilotProject, Scenario, ServicePlatform, Batch, Entry, Resource, Platform)
WATCHED_LINKS = (Resource.regions.through, Resource.industries.through)


def _changed(sender: Any, **kwargs: Any) -> None:
    if str(kwargs.get("action", "post_")).startswith("post_"):
        invalidate()


def connect_invalidation() -> None:
    """Wires ``invalidate`` to the changes the stats depend on (``ProgressConfig.ready``)."""
    for model in WATCHED_MODELS:
        uid = f"progress.stats.{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}.delete")
    for through in WATCHED_LINKS:
        m2m_changed.connect(
            _changed, sender=through, dispatch_uid=f"progress.stats.{through._meta.label_lower}"
        )
    pilots_signals.bulk_written.connect(_changed, dispatch_uid="progress.stats.pilots.bulk")
