"""What the registry below may ask of the pilots: the one door through which ``registry`` reaches
up into ``pilots`` (the import contract in ``pyproject.toml`` allows this module, and the brief
representations of ``pilots.api.briefs`` that the registry's API embeds, and nothing else).

``pilots`` is imported lazily, inside the functions, because ``registry``'s models are loaded
before ``pilots``'s.
"""

from django.db.models import Prefetch


def pilot_briefs_prefetch(to_attr: str = "pilot_briefs") -> Prefetch:
    """The pilots that use a resource, with only what their brief shows."""
    from pilots.models import PilotProject

    return Prefetch(
        "pilots",
        queryset=PilotProject.objects.only("code", "name", "name_en", "status", "version"),
        to_attr=to_attr,
    )


def platform_pilots_prefetches() -> list[Prefetch]:
    """The service platforms a platform runs and the pilots it leads, each in code order."""
    from pilots.models import PilotProject, ServicePlatform

    return [
        Prefetch("service_platforms", queryset=ServicePlatform.objects.order_by("slug")),
        Prefetch("pilots", queryset=PilotProject.objects.order_by("code")),
    ]
