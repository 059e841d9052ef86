"""What every part of the DCAT export shares: the namespaces (one set, bound on every graph, so each
chunk is written with the same prefixes and the same JSON-LD context), the IRIs of the registry's
objects (their API URLs, absolute from ``SITE_URL``) and the bilingual literals.

Texts carry BCP 47 language tags: Chinese as ``zh-Hans`` (simplified; its primary subtag is
``zh``, so a harvester asking for ``zh`` matches it), English as ``en``. A text whose language the
registry does not record (a tag, a licence, a contact) is tagged by its script: ``zh-Hans`` when it
holds a Chinese character, else ``en``.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT as _DCAT
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

ZH = "zh-Hans"
EN = "en"
ADMS = Namespace("http://www.w3.org/ns/adms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
# rdflib's DCAT namespace is DCAT 2's: it lacks DCAT 3's terms (dcat:Resource, dcat:resource).
DCAT = Namespace(str(_DCAT))
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"

NAMESPACES: dict[str, Namespace] = {
    "adms": ADMS,
    "dcat": DCAT,
    "dct": Namespace(str(DCTERMS)),
    "foaf": Namespace(str(FOAF)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "skos": Namespace(str(SKOS)),
    "vcard": Namespace(str(VCARD)),
    "xsd": Namespace(str(XSD)),
}
# The JSON-LD context of the whole document and of every chunk: the prefixes alone, so that every
# value keeps its language tag or datatype in the compacted form.
CONTEXT: dict[str, str] = {prefix: str(namespace) for prefix, namespace in NAMESPACES.items()}

CHINA = URIRef(EU_AUTHORITY + "country/CHN")
LANGUAGES = (URIRef(EU_AUTHORITY + "language/ZHO"), URIRef(EU_AUTHORITY + "language/ENG"))
_CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def new_graph() -> Graph:
    """An empty graph with the export's prefixes and no others (rdflib binds dozens by default)."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in NAMESPACES.items():
        graph.bind(prefix, namespace)
    return graph


def texts(zh: str | None, en: str | None = None) -> list[Literal]:
    """A text in Chinese and, when there is one, in English, each with its language tag."""
    found = [Literal(zh, lang=ZH)] if zh else []
    return [*found, Literal(en, lang=EN)] if en else found


def text(value: str) -> Literal:
    """A text whose language is not recorded, tagged by its script."""
    return Literal(value, lang=ZH if _CHINESE.search(value) else EN)


def when(moment: datetime) -> Literal:
    return Literal(moment, datatype=XSD.dateTime)


@dataclass(frozen=True)
class Iris:
    """The IRIs of the registry's objects: their API URLs, reversed once per export."""

    site: str
    root: str
    export: str
    resources: str
    platforms: str
    batches: str
    entries: str
    regions: str
    industries: str
    resource_types: str

    @classmethod
    def build(cls) -> "Iris":
        site = settings.SITE_URL

        def url(name: str) -> str:
            return site + reverse(f"api:{name}")

        def prefix(name: str) -> str:  # an object's URL without its key (entries have no list)
            return site + reverse(f"api:{name}", kwargs={"pk": 0}).removesuffix("0/")

        return cls(
            site=site + "/",
            root=url("root"),
            export=url("dcat-export"),
            resources=url("resource-list"),
            platforms=url("platform-list"),
            batches=url("batch-list"),
            entries=prefix("entry-detail"),
            regions=url("region-list"),
            industries=url("industry-list"),
            resource_types=url("resource-type-list"),
        )

    @property
    def catalogue(self) -> URIRef:
        return URIRef(self.root)

    @property
    def publisher(self) -> URIRef:
        return URIRef(self.root + "#publisher")

    def resource(self, pk: object) -> URIRef:
        return URIRef(f"{self.resources}{pk}/")

    def platform(self, slug: str) -> URIRef:
        return URIRef(f"{self.platforms}{slug}/")

    def batch(self, number: int) -> URIRef:
        return URIRef(f"{self.batches}{number}/")

    def entry(self, pk: int) -> URIRef:
        return URIRef(f"{self.entries}{pk}/")

    def region(self, code: str) -> URIRef:
        return URIRef(f"{self.regions}{code}/")

    def industry(self, code: str) -> URIRef:
        return URIRef(f"{self.industries}{code}/")

    def resource_type(self, key: str) -> URIRef:
        return URIRef(f"{self.resource_types}{key}/")

    def access_rights(self, access_model: str) -> URIRef:
        return URIRef(f"{self.export}#access-{access_model}")
