"""The DCAT export written as it is read: never one graph of the whole catalogue.

The document's head is written once (Turtle's ``@prefix`` lines; JSON-LD's ``@context`` and the
opening of ``@graph``), then the registry's catalogue and vocabularies, the platforms, each
published batch and its listed entries, and the resources, each read ``CHUNK`` rows at a time by
primary key into a small rdflib graph that is serialized and dropped: Turtle without its prefix
lines (the head declares the same ones), JSON-LD as nodes compacted with the head's context, so
the chunks join into one document. Memory stays flat whatever the size of the catalogue.

What the public may see, nothing else: active resources, the platforms that have one, published
batches and their listed entries of active resources.
"""

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol

import orjson
from django.db.models import Exists, Max, OuterRef, QuerySet
from rdflib import Graph
from rdflib.plugins.serializers.jsonld import from_rdf

from openness.choices import BatchStatus, EntryStatus
from openness.dcat.graphs import (
    batch_graph,
    catalogue_graph,
    entries_graph,
    platforms_graph,
    resources_graph,
)
from openness.dcat.terms import CONTEXT, NAMESPACES, Iris
from openness.models import Batch, Entry
from registry.choices import ResourceStatus
from registry.models import Platform, Resource

CHUNK = 500
RESOURCE_COLUMNS = (
    "id",
    "resource_type",
    "name",
    "name_en",
    "summary",
    "summary_en",
    "description",
    "description_en",
    "nationwide",
    "access_model",
    "application_url",
    "documentation_url",
    "api_endpoint",
    "contact",
    "attributes",
    "listed_at",
    "created_at",
    "updated_at",
    "platform__slug",
)
ENTRY_COLUMNS = (
    "id",
    "sequence",
    "listed_at",
    "resource_id",
    "resource__resource_type",
    "resource__attributes",
    "resource__api_endpoint",
    "resource__application_url",
)


class Writer(Protocol):
    def head(self) -> bytes: ...
    def chunk(self, graph: Graph) -> bytes: ...
    def tail(self) -> bytes: ...


PREFIXES = [f"@prefix {prefix}: <{uri}> ." for prefix, uri in sorted(NAMESPACES.items())]


class TurtleWriter:
    def head(self) -> bytes:
        return "".join(f"{line}\n" for line in PREFIXES).encode()

    def chunk(self, graph: Graph) -> bytes:
        """The chunk's statements. rdflib writes the prefixes they use first: those the head
        declares are left out (Turtle takes a prefix anywhere, so any other one stays)."""
        declared = {line.encode() for line in PREFIXES}
        lines = graph.serialize(format="turtle", encoding="utf-8").split(b"\n")
        kept = [line for line in lines if line not in declared]
        return b"\n" + b"\n".join(kept).strip(b"\n") + b"\n"

    def tail(self) -> bytes:
        return b""


class JSONLDWriter:
    def __init__(self) -> None:
        self.written = False

    def head(self) -> bytes:
        return b'{"@context":' + orjson.dumps(CONTEXT) + b',"@graph":['

    def chunk(self, graph: Graph) -> bytes:
        compacted = from_rdf(graph, context_data=CONTEXT)
        compacted.pop("@context", None)
        # Several nodes come as a @graph; a single one as itself.
        nodes = compacted.get("@graph", [compacted])
        if not nodes:
            return b""
        body = b",\n".join(orjson.dumps(node) for node in nodes)
        separator = b",\n" if self.written else b"\n"
        self.written = True
        return separator + body

    def tail(self) -> bytes:
        return b"\n]}\n"


def _by_key(rows: QuerySet[Any]) -> Iterator[list[dict[str, Any]]]:
    """``rows`` (``.values()`` holding ``id``) ``CHUNK`` at a time, by primary key."""
    ordered = rows.order_by("id")
    after = None
    while True:
        page = list((ordered if after is None else ordered.filter(id__gt=after))[:CHUNK])
        if page:
            yield page
        if len(page) < CHUNK:
            return
        after = page[-1]["id"]


def _related(ids: Sequence[Any]) -> dict[str, Mapping[Any, list[str]]]:
    """The chunk's regions and industries (codes) and tags (names), by resource id."""
    through = {
        "regions": Resource.regions.through.objects.filter(resource_id__in=ids)
        .order_by("region_id")
        .values_list("resource_id", "region_id"),
        "industries": Resource.industries.through.objects.filter(resource_id__in=ids)
        .order_by("industry_id")
        .values_list("resource_id", "industry_id"),
        "tags": Resource.tags.through.objects.filter(resource_id__in=ids)
        .order_by("tag__name")
        .values_list("resource_id", "tag__name"),
    }
    related: dict[str, Mapping[Any, list[str]]] = {}
    for name, pairs in through.items():
        grouped: defaultdict[Any, list[str]] = defaultdict(list)
        for resource_id, value in pairs:
            grouped[resource_id].append(value)
        related[name] = grouped
    return related


def dcat_chunks(writer: Writer) -> Iterator[bytes]:
    """The catalogue as DCAT-AP 3.0, chunk by chunk, through ``writer``."""
    iris = Iris.build()
    active = Resource.objects.filter(status=ResourceStatus.ACTIVE)
    yield writer.head()
    modified = active.aggregate(last=Max("updated_at"))["last"]
    yield writer.chunk(catalogue_graph(iris, modified))

    with_active = Exists(active.filter(platform=OuterRef("pk")))
    platforms = Platform.objects.filter(with_active).values(
        "id", "slug", "name", "name_en", "credit_code", "website"
    )
    for rows in _by_key(platforms):
        yield writer.chunk(platforms_graph(iris, rows))

    published = Batch.objects.filter(status=BatchStatus.PUBLISHED).order_by("number")
    columns = ("id", "number", "title", "title_en", "year", "document_reference", "published_at")
    for batch in list(published.values(*columns)):
        yield writer.chunk(batch_graph(iris, batch))
        entries = Entry.objects.filter(
            batch_id=batch["id"],
            status=EntryStatus.LISTED,
            resource__status=ResourceStatus.ACTIVE,
        ).values(*ENTRY_COLUMNS)
        for rows in _by_key(entries):
            yield writer.chunk(entries_graph(iris, batch["number"], rows))

    for rows in _by_key(active.values(*RESOURCE_COLUMNS)):
        related = _related([row["id"] for row in rows])
        yield writer.chunk(resources_graph(iris, rows, related))
    yield writer.tail()
