"""Each resource's search document: its tokens with positions and weights, kept in one column.

The document is written as a PostgreSQL ``tsvector`` literal (``'a800':1A,9C '算力':2A …``), built
here from the tokens of ``registry.search.tokens`` so PostgreSQL's own parser never splits them
again. On PostgreSQL the column is a real ``tsvector`` under a GIN index, matched with ``@@`` and
ranked with ``ts_rank``; on SQLite the same text is matched token by token with ``LIKE`` (every
lexeme appears as ``'token':``). The weights:

| weight | fields |
|---|---|
| A | name, English name |
| B | tags, the type's names, the platform's names |
| C | summary, English summary |
| D | description, English description |

Services refresh a resource's document whenever its text, tags or platform name changes;
``manage.py rebuild_search_index`` rebuilds them all.
"""

from collections.abc import Iterable, Iterator
from typing import Any

from registry.attributes import TYPE_SPECS
from registry.search.tokens import document_tokens

MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_POSITIONS_PER_LEXEME = 256


def lexeme(token: str) -> str:
    """A token quoted as a tsvector or tsquery lexeme."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def build_document(weighted: Iterable[tuple[str, str]]) -> str:
    """The tsvector literal of ``(weight, text)`` pairs, positions counted across them."""
    positions: dict[str, list[str]] = {}
    position = 0
    for weight, text in weighted:
        for token in document_tokens(text or ""):
            position = min(position + 1, MAX_POSITION)
            found = positions.setdefault(token, [])
            if len(found) < MAX_POSITIONS_PER_LEXEME:
                found.append(f"{position}{weight}")
    return " ".join(f"{lexeme(token)}:{','.join(places)}" for token, places in positions.items())


def resource_fields(
    resource: Any, *, tags: Iterable[str] | None = None, platform: tuple[str, str] | None = None
) -> list[tuple[str, str]]:
    """What a resource's document is made of, by weight. ``tags`` and the platform's names are
    read from the resource unless given (for resources not saved yet)."""
    spec = TYPE_SPECS.get(resource.resource_type)
    if tags is None:
        tags = [tag.name for tag in resource.tags.all()]
    if platform is None:
        platform = (resource.platform.name, resource.platform.name_en)
    return [
        ("A", resource.name),
        ("A", resource.name_en),
        ("B", " ".join(tags)),
        ("B", f"{spec.name} {spec.name_en}" if spec else ""),
        ("B", " ".join(platform)),
        ("C", resource.summary),
        ("C", resource.summary_en),
        ("D", resource.description),
        ("D", resource.description_en),
    ]


def _chunks(queryset: Any, size: int) -> Iterator[list[Any]]:
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def refresh_documents(queryset: Any, *, chunk_size: int = 500) -> Iterator[int]:
    """Rebuilds the documents of ``queryset``'s resources, a chunk at a time; yields each chunk's
    size (for a progress bar). Works with historical models in migrations too."""
    model = queryset.model
    for ids in _chunks(queryset, chunk_size):
        resources = list(
            model.objects.filter(pk__in=ids).select_related("platform").prefetch_related("tags")
        )
        for resource in resources:
            resource.search_document = build_document(resource_fields(resource))
        model.objects.bulk_update(resources, ["search_document"], batch_size=chunk_size)
        yield len(ids)


def refresh(resource_ids: Iterable[Any]) -> None:
    """Rebuilds the documents of these resources now."""
    from registry.models import Resource

    for _done in refresh_documents(Resource.objects.filter(pk__in=list(resource_ids))):
        pass
