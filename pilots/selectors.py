"""What the registry below may ask of the pilots: the one door through which ``registry`` reaches
up into ``pilots`` (the import contract in ``pyproject.toml`` allows this module, and the brief
representations of ``pilots.api.briefs`` that the registry's API embeds, and nothing else).

``pilots`` is imported lazily, inside the functions, because ``registry``'s models are loaded
before ``pilots``'s.
"""

from functools import cache

from django.db.models import Prefetch


def pilot_briefs_prefetch(to_attr: str = "pilot_briefs") -> Prefetch:
    """The pilots that use a resource, with only what their brief shows."""
    from pilots.models import PilotProject

    return Prefetch(
        "pilots",
        queryset=PilotProject.objects.only("code", "name", "name_en", "status", "version"),
        to_attr=to_attr,
    )


@cache
def pilot_brief_rows_sql() -> str:
    """The statement that reads the pilots using a page of resources, for the resource list's
    fast path (``registry/api/resource_rows.py``): per row the resource's id and what a pilot's
    brief shows, by pilot code; ``{in_page}`` is the condition on the resource's id."""
    from pilots.models import PilotProject

    link = PilotProject.resources.through._meta.db_table
    # Names from the models and the enumeration: nothing from a request.
    return (
        "SELECT link.resource_id, pilot.code, pilot.name, pilot.name_en, pilot.status "  # noqa: S608
        f"FROM {link} link JOIN {PilotProject._meta.db_table} pilot "
        "ON pilot.id = link.pilotproject_id "
        "WHERE link.resource_id {in_page} ORDER BY pilot.code"
    )


def platform_pilots_prefetches() -> list[Prefetch]:
    """The service platforms a platform runs and the pilots it leads, each in code order."""
    from pilots.models import PilotProject, ServicePlatform

    return [
        Prefetch("service_platforms", queryset=ServicePlatform.objects.order_by("slug")),
        Prefetch("pilots", queryset=PilotProject.objects.order_by("code")),
    ]
