"""Search quality, measured: the relevance set in ``fixtures/search/`` and its figures.

``corpus.json`` holds hand-written platforms and resources; ``judgments.json`` holds queries
(Chinese, English, mixed) with graded judgments (0 not relevant … 3 highly relevant; a resource
not judged is 0). ``evaluate()`` loads the corpus into the current database, runs every query
through the resource search exactly as ``GET /api/v1/resources/?q=…`` does (the filter set,
relevance order), and scores the first results:

- **nDCG@10**: gain ``2^grade - 1``, discounted by ``log2(rank + 1)``, over the ideal order;
- **recall@20**: the relevant resources (grade ≥ 1) among the first 20, over how many there are,
  at most 20 (a query with 36 relevant resources can still reach 1.0).

``make search-eval`` prints them per query; ``tests/registry/test_search_quality.py`` fails when the
overall nDCG@10 falls below ``baseline.json``.
"""

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import QueryDict

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "search"


@dataclass(frozen=True)
class QueryScore:
    id: str
    query: str
    lang: str
    ndcg10: float
    recall20: float
    relevant: int
    kind: str = "plain"
    found: int = 0


def load_judgments() -> list[dict[str, Any]]:
    return list(json.loads((FIXTURES / "judgments.json").read_text(encoding="utf-8"))["queries"])


def baseline(vendor: str) -> dict[str, float]:
    """The recorded figures for ``vendor`` (ranking differs between PostgreSQL and SQLite)."""
    return dict(json.loads((FIXTURES / "baseline.json").read_text(encoding="utf-8"))[vendor])


@transaction.atomic
def load_corpus() -> dict[str, str]:
    """The corpus written to the database; returns each resource's key → id."""
    from registry.models import Platform, Resource, Tag
    from registry.validators import credit_code_check_character

    corpus = json.loads((FIXTURES / "corpus.json").read_text(encoding="utf-8"))
    platforms = {}
    for serial, entry in enumerate(corpus["platforms"], start=1):
        first17 = f"91110000{serial:08d}A"[:17]
        platforms[entry["slug"]] = Platform.objects.create(
            slug=entry["slug"],
            name=entry["name"],
            name_en=entry.get("name_en", ""),
            credit_code=first17 + credit_code_check_character(first17),
        )
    keys = {}
    for entry in corpus["resources"]:
        resource = Resource.objects.create(
            platform=platforms[entry["platform"]],
            resource_type=entry["resource_type"],
            name=entry["name"],
            name_en=entry.get("name_en", ""),
            summary=entry.get("summary", ""),
            summary_en=entry.get("summary_en", ""),
            description=entry.get("description", ""),
            description_en=entry.get("description_en", ""),
            nationwide=entry.get("nationwide", False),
            access_model=entry["access_model"],
            attributes=entry.get("attributes", {}),
            status="active",
        )
        resource.tags.set(
            [Tag.objects.get_or_create(name=Tag.normalise(t))[0] for t in entry["tags"]]
        )
        resource.regions.set(entry.get("regions", []))
        resource.industries.set(entry.get("industries", []))
        keys[entry["key"]] = str(resource.pk)
    return keys


def ranked_ids(q: str, limit: int = 20) -> list[str]:
    """The ids ``GET /api/v1/resources/?q=`` lists first, in its order."""
    from registry.filtersets import ResourceFilterSet
    from registry.models import Resource

    data = QueryDict(mutable=True)
    data["q"] = q
    filterset = ResourceFilterSet(data=data, queryset=Resource.objects.all())
    if not filterset.is_valid():
        raise ValueError(filterset.errors)
    page = filterset.search().page(ordering="relevance", offset=0, limit=limit)
    return [hit.id for hit in page.hits]


def ndcg(grades: list[int], ideal: list[int], k: int = 10) -> float:
    def dcg(values: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(values[:k]))

    best = dcg(sorted(ideal, reverse=True))
    return dcg(grades) / best if best else 0.0


def evaluate(keys: dict[str, str]) -> list[QueryScore]:
    scores = []
    for query in load_judgments():
        judged = {keys[key]: grade for key, grade in query["judgments"].items()}
        found = ranked_ids(query["query"])
        relevant = {rid for rid, grade in judged.items() if grade > 0}
        scores.append(
            QueryScore(
                id=query["id"],
                query=query["query"],
                lang=query["lang"],
                ndcg10=ndcg([judged.get(rid, 0) for rid in found], list(judged.values())),
                recall20=len(relevant & set(found[:20])) / min(len(relevant), 20)
                if relevant
                else 1.0,
                relevant=len(relevant),
                kind=query.get("kind", "plain"),
                found=len(found),
            )
        )
    return scores


def overall(scores: list[QueryScore]) -> dict[str, float]:
    return {
        "ndcg10": round(sum(s.ndcg10 for s in scores) / len(scores), 4),
        "recall20": round(sum(s.recall20 for s in scores) / len(scores), 4),
        "zero_results": round(sum(1 for s in scores if not s.found) / len(scores), 4),
    }


def report(scores: list[QueryScore]) -> str:
    lines = [
        "| id | kind | lang | query | relevant | found | nDCG@10 | recall@20 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in scores:
        lines.append(
            f"| {s.id} | {s.kind} | {s.lang} | {s.query} | {s.relevant} | {s.found} | "
            f"{s.ndcg10:.3f} | {s.recall20:.3f} |"
        )
    groups = [("lang", lang) for lang in ("zh", "en", "mixed")]
    groups += [("kind", kind) for kind in dict.fromkeys(s.kind for s in scores)]
    for attribute, value in groups:
        subset = [s for s in scores if getattr(s, attribute) == value]
        if subset:
            figures = overall(subset)
            lines.append(
                f"| **{value}** | | | {len(subset)} queries | | "
                f"{figures['zero_results']:.0%} none | {figures['ndcg10']:.3f} | "
                f"{figures['recall20']:.3f} |"
            )
    figures = overall(scores)
    lines.append(
        f"| **overall** | | | {len(scores)} queries | | {figures['zero_results']:.0%} none | "
        f"**{figures['ndcg10']:.3f}** | **{figures['recall20']:.3f}** |"
    )
    return "\n".join(lines)
