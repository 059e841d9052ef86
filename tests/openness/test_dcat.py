"""The catalogue as DCAT-AP 3.0 (``GET /api/v1/exports/dcat/``), read back as a harvester reads it:
parsed with rdflib, in Turtle and in JSON-LD, every class checked for the properties DCAT-AP 3.0
makes mandatory (its SHACL shapes' ``sh:minCount 1``)."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS

from openness.dcat import stream
from openness.dcat.terms import ADMS, DCAT, VCARD
from tests.factories import PlatformFactory, ResourceFactory, bulk_resources
from tests.openness.helpers import (
    active_resource,
    curator_user,
    open_batch,
    published_batch,
    submit,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/exports/dcat/"
SITE = "http://testserver"
FORMATS = {"ttl": "turtle", "jsonld": "json-ld"}

# DCAT-AP 3.0's mandatory properties, per class (releases/3.0.0 shapes: sh:minCount 1).
MANDATORY: dict[URIRef, list[URIRef]] = {
    DCAT.Catalog: [DCTERMS.title, DCTERMS.description, DCTERMS.publisher],
    DCAT.Dataset: [DCTERMS.title, DCTERMS.description],
    DCAT.DataService: [DCTERMS.title, DCAT.endpointURL],
    DCAT.Distribution: [DCAT.accessURL],
    DCAT.CatalogRecord: [DCTERMS.modified, FOAF.primaryTopic],
    FOAF.Agent: [FOAF.name],
    SKOS.Concept: [SKOS.prefLabel],
    SKOS.ConceptScheme: [DCTERMS.title],
}


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def catalogue() -> dict[str, Any]:
    curator = curator_user()
    platform = PlatformFactory(
        slug="yunqi", name="云启智算科技有限公司", name_en="Yunqi Intelligent Computing Co., Ltd."
    )
    data = active_resource(
        platform,
        name="全国企业信用数据",
        name_en="National enterprise credit data",
        summary_en="Open to SMEs",
        resource_type="data",
        attributes={
            "formats": ["csv"],
            "update_frequency": "daily",
            "classification_level": "general",
            "licence": "CC BY 4.0",
        },
        application_url="https://yunqi.example.cn/apply",
        regions=["440000"],
        industries=["I"],
        tags=["信用", "credit"],
    )
    service = active_resource(
        platform,
        name="云启大模型推理 API",
        name_en="Yunqi LLM inference API",
        resource_type="algorithm",
        api_endpoint="https://api.yunqi.example.cn/v1",
    )
    model = active_resource(
        platform,
        name="云启开源模型权重",
        resource_type="algorithm",
        attributes={"modality": ["text"], "api_available": False},
    )
    compute = active_resource(platform, name="广州智算中心算力券", resource_type="compute")
    batch = published_batch(
        curator, [data, service], document_reference="工信厅企业函〔2026〕123号"
    )
    draft_platform = PlatformFactory(slug="caogao", name="草稿科技有限公司")
    draft = ResourceFactory(platform=draft_platform, name="尚未发布的草稿", status="draft")
    withdrawn = ResourceFactory(platform=platform, name="已撤回的资源", status="withdrawn")
    unpublished = open_batch(curator)
    submit(unpublished, compute, curator)
    return {
        "platform": platform,
        "data": data,
        "service": service,
        "model": model,
        "compute": compute,
        "batch": batch,
        "draft": draft,
        "draft_platform": draft_platform,
        "withdrawn": withdrawn,
        "unpublished": unpublished,
    }


def body(client, **params: str) -> bytes:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def graph(client, format_: str = "ttl") -> Graph:
    return Graph().parse(data=body(client, format=format_), format=FORMATS[format_])


def iri(path: str) -> URIRef:
    return URIRef(f"{SITE}/api/v1/{path}")


def resource_iri(resource) -> URIRef:
    return iri(f"resources/{resource.pk}/")


@pytest.mark.parametrize("format_", FORMATS)
def test_every_class_has_the_properties_dcat_ap_3_makes_mandatory(api_client, catalogue, format_):
    parsed = graph(api_client, format_)
    for cls, properties in MANDATORY.items():
        nodes = set(parsed.subjects(RDF.type, cls))
        assert nodes, f"no {cls}"
        for node in nodes:
            missing = [p for p in properties if parsed.value(node, p) is None]
            assert not missing, f"{node} ({cls}) lacks {missing}"


def test_data_is_a_dataset_an_api_served_model_a_data_service_and_the_rest_resources(
    api_client, catalogue
):
    parsed = graph(api_client)
    root = iri("")
    expected = {
        "data": (DCAT.Dataset, DCAT.dataset),
        "service": (DCAT.DataService, DCAT.service),
        "model": (DCAT.Resource, DCAT.resource),
        "compute": (DCAT.Resource, DCAT.resource),
    }
    for name, (cls, listed_by) in expected.items():
        node = resource_iri(catalogue[name])
        assert set(parsed.objects(node, RDF.type)) == {cls}, name
        assert (root, listed_by, node) in parsed
    service = resource_iri(catalogue["service"])
    assert parsed.value(service, DCAT.endpointURL) == URIRef("https://api.yunqi.example.cn/v1")
    data = resource_iri(catalogue["data"])
    distribution = parsed.value(data, DCAT.distribution)
    assert parsed.value(distribution, DCAT.accessURL) == URIRef("https://yunqi.example.cn/apply")
    assert parsed.value(data, DCAT.landingPage) == URIRef("https://yunqi.example.cn/apply")
    licence = parsed.value(data, DCTERMS.license)
    assert parsed.value(distribution, DCTERMS.license) == licence
    assert str(parsed.value(licence, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))) == (
        "CC BY 4.0"
    )
    contact = parsed.value(data, DCAT.contactPoint)
    assert parsed.value(contact, VCARD.hasEmail) == URIRef("mailto:sme@example.cn")


def test_a_published_batch_is_a_catalogue_issued_when_published_with_its_entries_citations(
    api_client, catalogue
):
    parsed = graph(api_client)
    batch = catalogue["batch"]
    node = iri(f"batches/{batch.number}/")
    assert (iri(""), DCAT.catalog, node) in parsed
    assert (node, RDF.type, DCAT.Catalog) in parsed
    assert parsed.value(node, DCTERMS.issued).toPython() == batch.published_at
    assert str(parsed.value(node, DCTERMS.bibliographicCitation)) == "工信厅企业函〔2026〕123号"
    assert (node, DCAT.dataset, resource_iri(catalogue["data"])) in parsed
    assert (node, DCAT.service, resource_iri(catalogue["service"])) in parsed
    records = {
        str(parsed.value(record, DCTERMS.identifier)): parsed.value(record, FOAF.primaryTopic)
        for record in parsed.objects(node, DCAT.record)
    }
    assert records == {
        f"batch-{batch.number}/1": resource_iri(catalogue["data"]),
        f"batch-{batch.number}/2": resource_iri(catalogue["service"]),
    }


def test_texts_are_in_chinese_and_in_english_with_their_language_tags(api_client, catalogue):
    parsed = graph(api_client)
    data = resource_iri(catalogue["data"])
    assert set(parsed.objects(data, DCTERMS.title)) == {
        Literal("全国企业信用数据", lang="zh-Hans"),
        Literal("National enterprise credit data", lang="en"),
    }
    assert set(parsed.objects(data, DCTERMS.description)) == {
        Literal("面向中小企业开放", lang="zh-Hans"),
        Literal("Open to SMEs", lang="en"),
    }
    assert set(parsed.objects(data, DCAT.keyword)) == {
        Literal("信用", lang="zh-Hans"),
        Literal("credit", lang="en"),
    }
    for predicate in (DCTERMS.title, DCTERMS.description):
        languages = {literal.language for literal in parsed.objects(iri(""), predicate)}
        assert languages == {"zh-Hans", "en"}
    untagged = [
        (s, p, o)
        for s, p, o in parsed
        if isinstance(o, Literal)
        and o.datatype is None
        and o.language is None
        and p not in (DCTERMS.identifier, SKOS.notation, ADMS.schemaAgency)
    ]
    assert not untagged


def test_a_platform_is_an_agent_identified_by_its_credit_code(api_client, catalogue):
    parsed = graph(api_client)
    platform = catalogue["platform"]
    agent = iri("platforms/yunqi/")
    assert parsed.value(resource_iri(catalogue["data"]), DCTERMS.publisher) == agent
    assert (agent, RDF.type, FOAF.Agent) in parsed
    assert set(parsed.objects(agent, FOAF.name)) == {
        Literal("云启智算科技有限公司", lang="zh-Hans"),
        Literal("Yunqi Intelligent Computing Co., Ltd.", lang="en"),
    }
    assert str(parsed.value(agent, DCTERMS.identifier)) == platform.credit_code
    identifier = parsed.value(agent, ADMS.identifier)
    assert str(parsed.value(identifier, SKOS.notation)) == platform.credit_code


def test_regions_and_industries_are_concepts_whose_notation_is_their_gbt_code(
    api_client, catalogue
):
    parsed = graph(api_client)
    data = resource_iri(catalogue["data"])
    region, industry = iri("regions/440000/"), iri("industries/I/")
    assert parsed.value(data, DCTERMS.spatial) == region
    assert parsed.value(data, DCAT.theme) == industry
    assert str(parsed.value(region, SKOS.notation)) == "440000"
    assert Literal("广东省", lang="zh-Hans") in set(parsed.objects(region, SKOS.prefLabel))
    assert parsed.value(region, SKOS.inScheme) == iri("regions/")
    assert str(parsed.value(industry, SKOS.notation)) == "I"
    assert parsed.value(industry, SKOS.inScheme) == iri("industries/")
    assert len(set(parsed.subjects(SKOS.inScheme, iri("regions/")))) == 34
    assert len(set(parsed.subjects(SKOS.inScheme, iri("industries/")))) == 20


def test_drafts_withdrawn_resources_and_unpublished_batches_are_left_out(api_client, catalogue):
    parsed = graph(api_client)
    subjects = set(parsed.subjects())
    for name in ("draft", "withdrawn"):
        assert resource_iri(catalogue[name]) not in subjects
    assert iri("platforms/caogao/") not in subjects  # it has nothing public
    assert iri(f"batches/{catalogue['unpublished'].number}/") not in subjects
    assert len(set(parsed.subjects(RDF.type, DCAT.CatalogRecord))) == 2


def test_turtle_and_json_ld_describe_the_same_graph(api_client, catalogue):
    assert isomorphic(graph(api_client, "ttl"), graph(api_client, "jsonld"))


def test_the_chunks_join_into_one_document(api_client, catalogue, monkeypatch):
    whole = graph(api_client, "jsonld")
    monkeypatch.setattr(stream, "CHUNK", 1)  # a chunk per resource, per entry, per platform
    for format_ in FORMATS:
        assert isomorphic(graph(api_client, format_), whole)


def test_the_format_is_chosen_by_accept_or_format_and_is_turtle_by_default(api_client, catalogue):
    assert api_client.get(URL)["Content-Type"] == "text/turtle; charset=utf-8"
    by_accept = api_client.get(URL, HTTP_ACCEPT="application/ld+json")
    assert by_accept["Content-Type"] == "application/ld+json"
    by_format = api_client.get(URL, {"format": "jsonld"})
    assert by_format["Content-Type"] == "application/ld+json"
    turtle = api_client.get(URL, HTTP_ACCEPT="text/turtle")
    assert turtle["Content-Type"] == "text/turtle; charset=utf-8"


def test_an_unknown_format_is_not_acceptable(api_client, catalogue):
    for response in (
        api_client.get(URL, {"format": "rdfxml"}),
        api_client.get(URL, HTTP_ACCEPT="application/rdf+xml"),
    ):
        assert response.status_code == 406
        assert response["Content-Type"] == "application/problem+json"


def export_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        body(client)
    return len(captured)


def test_the_queries_do_not_grow_with_the_number_of_resources(api_client):
    curator = curator_user()
    platform = PlatformFactory()
    resources = [active_resource(platform) for _ in range(3)]
    published_batch(curator, resources[:2])
    few = export_queries(api_client)
    bulk_resources(40, platforms=[platform], resource_type="data")
    assert export_queries(api_client) == few


def test_the_api_root_links_to_the_export(api_client):
    assert api_client.get("/api/v1/").json()["dcat_export"] == f"{SITE}{URL}"
