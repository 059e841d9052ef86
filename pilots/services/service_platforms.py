"""Service platforms: the public AI service platforms pilots may build on, added and edited."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import State, model_state
from core.errors import locked_at_version
from pilots.field_lists import SERVICE_PLATFORM_AUDITED
from pilots.models import ServicePlatform
from pilots.services.workflow import related_key, save_changed, save_created


def service_platform_state(service_platform: ServicePlatform) -> State:
    state = model_state(
        service_platform,
        SERVICE_PLATFORM_AUDITED,
        {"regions": "code"} if service_platform.pk else None,
    )
    state["regions"] = state.get("regions", [])
    state["operator"] = related_key(service_platform.operator, "slug")
    return state


@transaction.atomic
def service_platform_create(*, actor: Any, data: dict[str, Any]) -> ServicePlatform:
    data = dict(data)
    regions = _region_codes(data.pop("regions", []))
    service_platform = ServicePlatform(version=1, **data)
    _check_regions(service_platform, regions)
    service_platform.full_clean()
    save_created(
        service_platform,
        "slug",
        actor=actor,
        state=service_platform_state,
        relations={"regions": regions},
    )
    return service_platform


@transaction.atomic
def service_platform_update(
    *,
    actor: Any,
    service_platform_id: Any,
    data: dict[str, Any],
    if_match: frozenset[int] | None,
) -> ServicePlatform:
    service_platform = locked_at_version(
        ServicePlatform.objects.all(), service_platform_id, if_match
    )
    before = service_platform_state(service_platform)
    data = dict(data)
    given = data.pop("regions", None)
    for name, value in data.items():
        setattr(service_platform, name, value)
    regions = _region_codes(given) if given is not None else before["regions"]
    if service_platform.nationwide and given is None:
        regions = []  # becoming nationwide clears the regions
    _check_regions(service_platform, regions)
    after = {**service_platform_state(service_platform), "regions": regions}
    if after == before:
        return service_platform
    service_platform.full_clean()
    save_changed(
        service_platform, actor=actor, before=before, after=after, relations={"regions": regions}
    )
    return service_platform


def _region_codes(regions: Iterable[Any]) -> list[Any]:
    return sorted({str(getattr(region, "code", region)) for region in regions})


def _check_regions(service_platform: ServicePlatform, regions: list[Any]) -> None:
    if service_platform.nationwide and regions:
        raise ValidationError({"regions": _("A nationwide service platform lists no regions.")})
