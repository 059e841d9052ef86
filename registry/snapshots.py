"""A resource frozen as plain JSON: what an openness list keeps of it when it is listed."""

from typing import Any

from registry.field_lists import RESOURCE_LINKS, RESOURCE_TEXTS
from registry.models import Resource

# What a snapshot holds besides the resource's own fields (compared by the batch diff).
SNAPSHOT_FIELDS = [
    "resource_type",
    *RESOURCE_TEXTS,
    "nationwide",
    "access_model",
    *RESOURCE_LINKS,
    "attributes",
]


def resource_snapshot(resource: Resource) -> dict[str, Any]:
    """The resource as it is now: platform brief, fields, relations, SME terms and version."""
    platform = resource.platform
    snapshot: dict[str, Any] = {
        "id": str(resource.pk),
        "platform": {"slug": platform.slug, "name": platform.name, "name_en": platform.name_en},
    }
    snapshot.update({name: getattr(resource, name) for name in SNAPSHOT_FIELDS})
    snapshot["tags"] = sorted(tag.name for tag in resource.tags.all())
    snapshot["industries"] = sorted(industry.code for industry in resource.industries.all())
    snapshot["regions"] = sorted(region.code for region in resource.regions.all())
    snapshot["sme_terms"] = {
        "free_quota": resource.sme_free_quota,
        "discount": resource.sme_discount,
        "eligible_sizes": resource.eligible_sizes,
        "conditions": resource.sme_conditions,
    }
    snapshot["version"] = resource.version
    return snapshot


def snapshot_search_text(snapshot: dict[str, Any]) -> str:
    """The text a batch entry's ``q`` matches: names, summaries, tags and platform, lower-cased."""
    parts = [
        snapshot.get("name", ""),
        snapshot.get("name_en", ""),
        snapshot.get("summary", ""),
        snapshot.get("summary_en", ""),
        snapshot.get("description", ""),
        snapshot.get("description_en", ""),
        " ".join(snapshot.get("tags", [])),
        snapshot.get("platform", {}).get("name", ""),
        snapshot.get("platform", {}).get("name_en", ""),
    ]
    return "\n".join(part for part in parts if part).lower()
