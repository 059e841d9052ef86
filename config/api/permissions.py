"""Authorization, in one place.

Every view declares a ``permission_policy``: for each action, the rule that admits a request. The
single permission class ``PolicyPermission`` reads it; a view never tests roles itself. An action
with no rule is refused (fail closed). Curators pass every rule. Which objects someone may *see* is
the querysets' business (``Resource.objects.visible_to(user)``): an invisible object is a 404
before any rule is asked, so another platform's private objects never answer 403.

| rule | who passes |
|---|---|
| ``PUBLIC`` | anyone, signed in or not |
| ``AUTHENTICATED`` | any signed-in user |
| ``PUBLISHER`` | members of at least one platform |
| ``OWN_PLATFORM`` | members of the object's platform |
| ``OWNER`` | the user who owns the object (``obj.owner``) |
| ``CURATOR`` | curators only |
"""

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from core.roles import is_curator, platform_ids_of


class Rule(StrEnum):
    PUBLIC = "public"
    AUTHENTICATED = "authenticated"
    PUBLISHER = "publisher"
    OWN_PLATFORM = "own_platform"
    OWNER = "owner"
    CURATOR = "curator"


def platform_of(obj: Any) -> Any:
    """The platform an object belongs to: itself for a platform, else its ``platform``."""
    from registry.models import Platform

    if isinstance(obj, Platform):
        return obj
    return getattr(obj, "platform", None)


def publishes_for(user: Any, platform: models.Model | None) -> bool:
    return platform is not None and platform.pk in platform_ids_of(user)


class PolicyPermission(BasePermission):
    def _rule(self, view: Any) -> Rule | None:
        policy: dict[str, Rule] = getattr(view, "permission_policy", {})
        action = getattr(view, "action", None) or (view.request.method or "").lower()
        if action == "head" and "head" not in policy:
            action = "get"  # HEAD is a GET without the body: allowed wherever GET is
        return policy.get(action)

    def has_permission(self, request: Request, view: Any) -> bool:
        method = (request.method or "").lower()
        if method == "options" or getattr(view, method, None) is None:
            return True  # OPTIONS describes the endpoint; an unsupported method becomes a 405
        rule = self._rule(view)
        if rule is None:
            return False
        if rule is Rule.PUBLIC:
            return True
        user = request.user
        if not getattr(user, "is_authenticated", False):
            return False  # DRF answers 401 when an authenticator can say how to sign in
        if is_curator(user):
            return True
        if rule is Rule.CURATOR:
            return False
        if rule is Rule.PUBLISHER:
            return bool(platform_ids_of(user))
        return True  # AUTHENTICATED; OWN_PLATFORM and OWNER are decided per object

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        rule = self._rule(view)
        if rule in (Rule.PUBLIC, Rule.AUTHENTICATED, Rule.PUBLISHER):
            return True
        user = request.user
        if is_curator(user):
            return True
        if rule is Rule.OWN_PLATFORM:
            return publishes_for(user, platform_of(obj))
        if rule is Rule.OWNER:
            return getattr(obj, "owner_id", None) == user.pk
        return False


def require_publisher_of(user: Any, platform: models.Model) -> None:
    """403 unless ``user`` may publish for ``platform`` (a member of it, or a curator)."""
    if not (is_curator(user) or publishes_for(user, platform)):
        raise PermissionDenied(_("You do not publish for this platform."))


def require_curator_for_fields(
    user: Any, fields: Iterable[str], curator_only: Iterable[str]
) -> None:
    """403 when a non-curator tries to set a field only curators may set."""
    touched = sorted(set(fields) & set(curator_only))
    if touched and not is_curator(user):
        raise PermissionDenied(
            _("Only curators may change %(fields)s.") % {"fields": ", ".join(touched)}
        )
