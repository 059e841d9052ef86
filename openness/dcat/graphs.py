"""The small graphs the DCAT export is written as, each built from rows read in one chunk.

- the registry as a ``dcat:Catalog`` published by the registry (a ``foaf:Agent``), with its three
  vocabularies as ``skos:ConceptScheme``s — regions (GB/T 2260), industries (GB/T 4754-2017
  sections) and resource types —, each term a ``skos:Concept`` whose ``skos:notation`` is its code,
  and the four access models as ``dct:RightsStatement``s;
- each platform a ``foaf:Agent`` (and ``foaf:Organization``) whose ``dct:identifier`` and
  ``adms:identifier`` hold its unified social credit code;
- each published batch a ``dcat:Catalog`` inside the registry's (``dcat:catalog``), issued when it
  was published, its ``dcat:record``s the listed entries as ``dcat:CatalogRecord``s whose
  ``dct:identifier`` is the citation (``batch-2/117``);
- each resource a ``dcat:Dataset`` (data, with a ``dcat:Distribution`` when it has an address), a
  ``dcat:DataService`` (an algorithm or model whose attributes say an API serves it, with its
  ``dcat:endpointURL``) or a ``dcat:Resource`` (the rest), in the registry's catalogue and in the
  batches that list it.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.utils import translation
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS

from openness.dcat.terms import (
    ADMS,
    CHINA,
    DCAT,
    LANGUAGES,
    VCARD,
    Iris,
    new_graph,
    text,
    texts,
    when,
)
from registry.choices import ACCESS_MODEL_NAMES, ResourceType
from registry.vocabularies import industries, regions

REGISTRY_NAME = ("平台开放清单登记系统", "Platform Openness Registry")
REGISTRY_DESCRIPTION = (
    "《2026—2028年行动计划》平台开放清单的登记系统：各平台向中小企业开放的数据、算力、算法和模型、"
    "高端芯片、操作系统和智能终端资源，以及逐批发布的平台开放清单。",
    "The system of record for the platform openness lists of the 2026–2028 Action Plan: the "
    "data, computing power, algorithms and models, chips, operating systems and smart terminals "
    "platforms open to SMEs, and the numbered lists that publish them.",
)
REGION_SCHEME = (
    "中华人民共和国行政区划代码（GB/T 2260）：省级行政区",
    "Administrative divisions of China (GB/T 2260): province level",
)
INDUSTRY_SCHEME = (
    "国民经济行业分类（GB/T 4754-2017）：门类",
    "Industrial classification for national economic activities (GB/T 4754-2017): sections",
)
RESOURCE_TYPE_SCHEME = ("平台开放资源类型", "Types of resources platforms open")

# How a resource is catalogued: its class, and the catalogue's property that lists it.
DATASET = (DCAT.Dataset, DCAT.dataset)
SERVICE = (DCAT.DataService, DCAT.service)
RESOURCE = (DCAT.Resource, DCAT.resource)


def resource_kind(
    resource_type: str, attributes: Mapping[str, Any] | None, endpoint: str
) -> tuple[URIRef, URIRef]:
    """Data is a dataset; an algorithm or model served by an API (with an address) is a data
    service; everything else is a resource."""
    if resource_type == ResourceType.DATA:
        return DATASET
    if resource_type == ResourceType.ALGORITHM and (attributes or {}).get("api_available"):
        return SERVICE if endpoint else RESOURCE
    return RESOURCE


def _scheme(
    graph: Graph, scheme: URIRef, title: tuple[str, str], terms: Iterable[tuple[URIRef, str, Any]]
) -> None:
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    for literal in texts(*title):
        graph.add((scheme, DCTERMS.title, literal))
    for concept, code, (zh, en) in terms:
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.notation, Literal(code)))
        for literal in texts(zh, en):
            graph.add((concept, SKOS.prefLabel, literal))
        graph.add((concept, SKOS.inScheme, scheme))
        graph.add((concept, SKOS.topConceptOf, scheme))
        graph.add((scheme, SKOS.hasTopConcept, concept))


def _resource_type_names() -> dict[str, tuple[str, str]]:
    names: dict[str, list[str]] = {str(value): [] for value in ResourceType.values}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value, label in ResourceType.choices:
                names[str(value)].append(str(label))
    return {value: (zh, en) for value, (zh, en) in names.items()}


def catalogue_graph(iris: Iris, modified: datetime | None) -> Graph:
    """The registry's catalogue, its publisher, its vocabularies and the access models."""
    graph = new_graph()
    catalogue, publisher = iris.catalogue, iris.publisher
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    for literal in texts(*REGISTRY_NAME):
        graph.add((catalogue, DCTERMS.title, literal))
        graph.add((publisher, FOAF.name, literal))
    for literal in texts(*REGISTRY_DESCRIPTION):
        graph.add((catalogue, DCTERMS.description, literal))
    graph.add((catalogue, DCTERMS.publisher, publisher))
    graph.add((catalogue, FOAF.homepage, URIRef(iris.site)))
    graph.add((catalogue, DCTERMS.spatial, CHINA))
    for language in LANGUAGES:
        graph.add((catalogue, DCTERMS.language, language))
    if modified is not None:
        graph.add((catalogue, DCTERMS.modified, when(modified)))
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.homepage, URIRef(iris.site)))

    region_scheme, industry_scheme = URIRef(iris.regions), URIRef(iris.industries)
    type_scheme = URIRef(iris.resource_types)
    for scheme in (industry_scheme, type_scheme):
        graph.add((catalogue, DCAT.themeTaxonomy, scheme))
    _scheme(
        graph,
        region_scheme,
        REGION_SCHEME,
        ((iris.region(t["code"]), t["code"], (t["name"], t["name_en"])) for t in regions()),
    )
    _scheme(
        graph,
        industry_scheme,
        INDUSTRY_SCHEME,
        ((iris.industry(t["code"]), t["code"], (t["name"], t["name_en"])) for t in industries()),
    )
    _scheme(
        graph,
        type_scheme,
        RESOURCE_TYPE_SCHEME,
        ((iris.resource_type(key), key, names) for key, names in _resource_type_names().items()),
    )
    for access_model, names in ACCESS_MODEL_NAMES.items():
        rights = iris.access_rights(str(access_model))
        graph.add((rights, RDF.type, DCTERMS.RightsStatement))
        for literal in texts(*names):
            graph.add((rights, RDFS.label, literal))
    return graph


def platforms_graph(iris: Iris, rows: Iterable[Mapping[str, Any]]) -> Graph:
    graph = new_graph()
    for row in rows:
        agent = iris.platform(row["slug"])
        identifier = URIRef(f"{agent}#credit-code")
        graph.add((agent, RDF.type, FOAF.Agent))
        graph.add((agent, RDF.type, FOAF.Organization))
        for literal in texts(row["name"], row["name_en"]):
            graph.add((agent, FOAF.name, literal))
        graph.add((agent, DCTERMS.identifier, Literal(row["credit_code"])))
        graph.add((agent, ADMS.identifier, identifier))
        graph.add((identifier, RDF.type, ADMS.Identifier))
        graph.add((identifier, SKOS.notation, Literal(row["credit_code"])))
        graph.add((identifier, ADMS.schemaAgency, Literal("GB 32100-2015")))
        if row["website"]:
            graph.add((agent, FOAF.homepage, URIRef(row["website"])))
    return graph


def batch_graph(iris: Iris, batch: Mapping[str, Any]) -> Graph:
    """A published batch as a catalogue inside the registry's."""
    graph = new_graph()
    number, reference = batch["number"], batch["document_reference"]
    node = iris.batch(number)
    graph.add((iris.catalogue, DCAT.catalog, node))
    graph.add((node, RDF.type, DCAT.Catalog))
    for literal in texts(batch["title"], batch["title_en"]):
        graph.add((node, DCTERMS.title, literal))
    cited = f"，{reference}" if reference else ""
    cited_en = f", {reference}" if reference else ""
    description = (
        f"第{number}批平台开放清单（{batch['year']}年）{cited}。",
        f"Platform openness list, batch {number} ({batch['year']}){cited_en}.",
    )
    for literal in texts(*description):
        graph.add((node, DCTERMS.description, literal))
    graph.add((node, DCTERMS.publisher, iris.publisher))
    graph.add((node, DCTERMS.identifier, Literal(f"batch-{number}")))
    if reference:
        graph.add((node, DCTERMS.bibliographicCitation, text(reference)))
    graph.add((node, DCTERMS.issued, when(batch["published_at"])))
    graph.add((node, DCTERMS.modified, when(batch["published_at"])))
    return graph


def entries_graph(iris: Iris, number: int, rows: Iterable[Mapping[str, Any]]) -> Graph:
    """Listed entries of batch ``number``: a record each, and the resource it lists."""
    graph = new_graph()
    batch = iris.batch(number)
    for row in rows:
        record, resource = iris.entry(row["id"]), iris.resource(row["resource_id"])
        _kind, listed_by = resource_kind(
            row["resource__resource_type"],
            row["resource__attributes"],
            row["resource__api_endpoint"] or row["resource__application_url"],
        )
        graph.add((batch, listed_by, resource))
        graph.add((batch, DCAT.record, record))
        graph.add((record, RDF.type, DCAT.CatalogRecord))
        graph.add((record, FOAF.primaryTopic, resource))
        graph.add((record, DCTERMS.identifier, Literal(f"batch-{number}/{row['sequence']}")))
        graph.add((record, DCTERMS.issued, when(row["listed_at"])))
        graph.add((record, DCTERMS.modified, when(row["listed_at"])))
    return graph


def _licence(graph: Graph, node: URIRef, licence: str) -> URIRef:
    if licence.startswith(("http://", "https://")):
        return URIRef(licence)
    document = URIRef(f"{node}#licence")
    graph.add((document, RDF.type, DCTERMS.LicenseDocument))
    graph.add((document, RDFS.label, text(licence)))
    return document


def _contact(graph: Graph, node: URIRef, contact: str) -> None:
    kind = URIRef(f"{node}#contact")
    graph.add((node, DCAT.contactPoint, kind))
    graph.add((kind, RDF.type, VCARD.Kind))
    graph.add((kind, VCARD.fn, text(contact)))
    if "@" in contact and " " not in contact.strip():
        graph.add((kind, VCARD.hasEmail, URIRef(f"mailto:{contact.strip()}")))


def resources_graph(
    iris: Iris,
    rows: Iterable[Mapping[str, Any]],
    related: Mapping[str, Mapping[Any, Sequence[str]]],
) -> Graph:
    """Resources, each listed in the registry's catalogue; ``related`` holds, by resource id, the
    codes of its ``regions`` and ``industries`` and the names of its ``tags``."""
    graph = new_graph()
    for row in rows:
        node, pk = iris.resource(row["id"]), row["id"]
        endpoint = row["api_endpoint"] or row["application_url"]
        kind, listed_by = resource_kind(row["resource_type"], row["attributes"], endpoint)
        graph.add((iris.catalogue, listed_by, node))
        graph.add((node, RDF.type, kind))
        graph.add((node, DCTERMS.identifier, Literal(str(pk))))
        for literal in texts(row["name"], row["name_en"]):
            graph.add((node, DCTERMS.title, literal))
        described = texts(
            row["description"] or row["summary"] or row["name"],
            row["description_en"] or row["summary_en"] or row["name_en"],
        )
        for literal in described:
            graph.add((node, DCTERMS.description, literal))
        graph.add((node, DCTERMS.publisher, iris.platform(row["platform__slug"])))
        graph.add((node, DCTERMS.type, iris.resource_type(row["resource_type"])))
        graph.add((node, DCTERMS.issued, when(row["listed_at"] or row["created_at"])))
        graph.add((node, DCTERMS.modified, when(row["updated_at"])))
        graph.add((node, DCTERMS.accessRights, iris.access_rights(row["access_model"])))
        if row["application_url"]:
            graph.add((node, DCAT.landingPage, URIRef(row["application_url"])))
        if row["documentation_url"]:
            graph.add((node, FOAF.page, URIRef(row["documentation_url"])))
        for tag in related["tags"].get(pk, ()):
            graph.add((node, DCAT.keyword, text(tag)))
        if row["nationwide"]:
            graph.add((node, DCTERMS.spatial, CHINA))
        for code in related["regions"].get(pk, ()):
            graph.add((node, DCTERMS.spatial, iris.region(code)))
        for code in related["industries"].get(pk, ()):
            graph.add((node, DCAT.theme, iris.industry(code)))
        if row["contact"]:
            _contact(graph, node, row["contact"])
        licence = str((row["attributes"] or {}).get("licence") or "")
        licensed = _licence(graph, node, licence) if licence else None
        if licensed is not None:
            graph.add((node, DCTERMS.license, licensed))
        if kind == DCAT.DataService:
            graph.add((node, DCAT.endpointURL, URIRef(endpoint)))
            if row["documentation_url"]:
                graph.add((node, DCAT.endpointDescription, URIRef(row["documentation_url"])))
        elif kind == DCAT.Dataset and endpoint:
            distribution = URIRef(f"{node}#distribution")
            graph.add((node, DCAT.distribution, distribution))
            graph.add((distribution, RDF.type, DCAT.Distribution))
            graph.add((distribution, DCAT.accessURL, URIRef(endpoint)))
            if licensed is not None:
                graph.add((distribution, DCTERMS.license, licensed))
    return graph
