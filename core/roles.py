"""Who someone is to the registry: the role predicates every permission check is built from.

Curators are the members of the ``curators`` group (superusers count as curators); publishers are
the members of a platform. Views never test groups or memberships themselves: they go through the
permission classes in ``config.api.permissions`` and the ``visible_to`` querysets, which use these.
"""

from typing import Any

CURATORS_GROUP = "curators"


def is_curator(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_curator", None)
    if cached is None:
        cached = user.groups.filter(name=CURATORS_GROUP).exists()
        user._is_curator = cached
    return bool(cached)


def platform_ids_of(user: Any) -> set[int]:
    """The ids of the platforms ``user`` publishes for (cached on the user for the request)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_platform_ids", None)
    if cached is None:
        cached = set(user.platforms.values_list("pk", flat=True))
        user._platform_ids = cached
    return set(cached)
