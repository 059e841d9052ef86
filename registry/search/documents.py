"""Each resource's index document, read from the database (``registry.search.index`` says what
its fields hold).

Documents are built for many resources at a time: one statement for the resources with their
platforms, one per related table (tags, regions, industries, the batches that list them). The
text fields hold ``registry.search.tokens``'s tokens joined by spaces.
"""

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from openness.selectors import listed_batch_numbers
from registry.attributes import TYPE_SPECS
from registry.choices import ELIGIBILITY_COLUMNS
from registry.field_lists import RESOURCE_ELIGIBILITY, RESOURCE_TEXTS
from registry.search.entities import platform_aliases
from registry.search.index import NATIONWIDE, NEVER, recency
from registry.search.tokens import document_tokens

COLUMNS = (
    "id",
    "resource_type",
    *RESOURCE_TEXTS,
    "attributes",
    "nationwide",
    "access_model",
    *RESOURCE_ELIGIBILITY,
    "status",
    "updated_at",
    "listed_at",
    "platform_id",
    "platform__slug",
    "platform__name",
    "platform__name_en",
)


def _text(*texts: str) -> str:
    return " ".join(token for text in texts if text for token in document_tokens(text))


def _attribute_text(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in _attribute_text(item)]
    if isinstance(value, list):
        return [text for item in value for text in _attribute_text(item)]
    if isinstance(value, bool) or value is None:
        return []
    return [str(value)]


def _related(ids: list[Any]) -> dict[str, dict[Any, list[str]]]:
    from registry.models import Resource

    related: dict[str, dict[Any, list[str]]] = {
        "tags": defaultdict(list),
        "regions": defaultdict(list),
        "industries": defaultdict(list),
        "batches": defaultdict(list),
    }
    through = {
        "tags": (Resource.tags.through, "tag__name"),
        "regions": (Resource.regions.through, "region_id"),
        "industries": (Resource.industries.through, "industry_id"),
    }
    for name, (model, value) in through.items():
        rows = model._default_manager.filter(resource_id__in=ids).values_list("resource_id", value)
        for resource_id, item in rows.order_by("pk"):
            related[name][resource_id].append(str(item))
    for resource_id, number in listed_batch_numbers(ids):
        related["batches"][resource_id].append(str(number))
    return related


def _document(row: dict[str, Any], related: dict[str, dict[Any, list[str]]]) -> dict[str, Any]:
    pk = row["id"]
    spec = TYPE_SPECS.get(row["resource_type"])
    tags = related["tags"].get(pk, [])
    platform = (row["platform__name"], row["platform__name_en"], row["platform__slug"])
    updated: datetime = row["updated_at"]
    return {
        "id": str(pk),
        "kind_of": "resource",
        "name": _text(row["name"], row["name_en"]),
        "tags": _text(*tags),
        # The type's names weigh as the summary does, the attributes as the description: one
        # field each (every field more is a scorer more for every word of every query).
        "platform": _text(*platform, *sorted(platform_aliases(*platform))),
        "summary": _text(
            row["summary"], row["summary_en"], *((spec.name, spec.name_en) if spec else ())
        ),
        "description": _text(
            row["description"], row["description_en"], *_attribute_text(row["attributes"] or {})
        ),
        "resource_type": row["resource_type"],
        "platform_slug": row["platform__slug"],
        "platform_id": str(row["platform_id"]),
        "regions": [NATIONWIDE] if row["nationwide"] else related["regions"].get(pk, []),
        "industries": related["industries"].get(pk, []),
        "access_model": row["access_model"],
        "sizes": [size for column, size in ELIGIBILITY_COLUMNS if row[column]],
        "tag": tags,
        "batches": related["batches"].get(pk, []),
        "status": row["status"],
        "name_sort": row["name"],
        "display_name": row["name"],
        "display_name_en": row["name_en"],
        "updated_at": updated,
        "listed_at": row["listed_at"] or NEVER,
        "recency": recency(updated),
    }


def documents(queryset: QuerySet[Any]) -> list[dict[str, Any]]:
    """The documents of ``queryset``'s resources."""
    rows = list(queryset.order_by().values(*COLUMNS))
    related = _related([row["id"] for row in rows])
    return [_document(row, related) for row in rows]


def all_documents(*, chunk_size: int = 2000) -> Iterator[list[dict[str, Any]]]:
    """Every resource's document, a chunk at a time, in id order."""
    from registry.models import Resource

    ids = list(Resource.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk_size):
        yield documents(Resource.objects.filter(pk__in=ids[start : start + chunk_size]))
