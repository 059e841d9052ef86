"""The demo catalogue behind ``manage.py seed_demo``: deterministic, bilingual and plausible.

Platforms are read from ``fixtures/demo/platforms.json``. Resources are generated from the per-type
templates in ``fixtures/demo/resources.json``: an offering (bilingual name and summary with slots
such as ``{accel}``), slot values (an accelerator, a data domain, a chip...) that also drive the
type attributes, detail sentences, free quotas and terms.

Resource ``i`` depends only on the seed, on ``i`` and on today: it draws from its own
``random.Random`` and its id is ``uuid5(RESOURCE_NAMESPACE, "demo-resource-{i}")``. Asking for more
resources later adds new ones and leaves the first ones as they were. Its name is unique on its
platform: a name that an earlier resource of the platform already has (``i`` is compared with
``0..i-1``, drawn again once per process) gets its type's qualifier, numbered ("… V2" for a data
set or a model, "…（第 2 期）" for the others, from ``repeated_name`` in ``resources.json``). Its
times (created over most of the story's year, some changed later) are reference moments moved to
today by ``registry.demo_timeline``, so none is after today. Nothing here writes to the database.
"""

import random
import uuid
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from string import Formatter
from typing import Any

from registry.choices import AccessModel, ResourceStatus, ResourceType
from registry.demo_attributes import ATTRIBUTE_BUILDERS
from registry.demo_catalogue import (
    FIRST_CREATED,
    Pick,
    PlatformSpec,
    Slot,
    Template,
    catalogue,
    platform_specs,
    platforms_offering,
    type_template,
)
from registry.demo_timeline import Timeline
from registry.models import Resource, Tag
from registry.vocabularies import industry_codes, regions

RESOURCE_NAMESPACE = uuid.UUID("5b0e8f3a-2c51-4d0b-9a57-6e2f1c7d4a90")
DEFAULT_SEED = 2026

TYPES = [str(value) for value in ResourceType.values]
ACCESS_MODELS = [str(value) for value in AccessModel.values]
TYPE_WEIGHTS = {
    "data": 24,
    "compute": 22,
    "algorithm": 22,
    "chip": 10,
    "operating_system": 10,
    "terminal": 12,
}
NATIONWIDE_SHARE = 0.3
DRAFT_SHARE = 0.05
WITHDRAWN_SHARE = 0.02
# Reference moments (``registry.demo_timeline``): the platforms join on 2 January, the resources are
# created from 5 January to 31 October and changed until 15 November at the latest.
CREATION_SPAN = timedelta(days=299)
MAX_EDIT_DELAY = timedelta(days=45)
LAST_CHANGE = datetime(2026, 11, 15, tzinfo=UTC)
# Availability is about the mainland; section T (international organisations) opens nothing here.
MAINLAND_REGIONS = [term["code"] for term in regions() if term["code"] < "710000"]
INDUSTRIES = [code for code in industry_codes() if code != "T"]


def resource_id(index: int) -> uuid.UUID:
    """The stable id of the ``index``-th demo resource."""
    return uuid.uuid5(RESOURCE_NAMESPACE, f"demo-resource-{index}")


# One resource ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResourceDraft:
    """An unsaved resource with the names and codes of its many-to-many relations."""

    resource: Resource
    tags: list[str]
    regions: list[str]
    industries: list[str]


def build_resource(
    index: int, *, seed: int, platform_ids: Mapping[str, int], today: date
) -> ResourceDraft:
    """The ``index``-th demo resource for ``seed`` as of ``today``; ``platform_ids`` maps platform
    slugs to ids."""
    rng = random.Random(f"seed-demo:{seed}:{index}")
    pick = _pick(rng, index)
    rid = resource_id(index)
    attributes = ATTRIBUTE_BUILDERS[pick.resource_type](pick)
    names = _names(pick, _name_series(seed).number(index))
    texts, terms, links = _texts(pick, attributes, names), _sme_terms(pick), _links(pick, rid)
    status = ResourceStatus.ACTIVE if index < len(TYPES) else _status(rng)
    created_at, updated_at, version = _timeline(rng, Timeline(today))
    nationwide = rng.random() < NATIONWIDE_SHARE
    resource = Resource(
        id=rid,
        platform_id=platform_ids[pick.platform.slug],
        resource_type=pick.resource_type,
        nationwide=nationwide,
        access_model=pick.access_model,
        attributes=attributes,
        status=status,
        version=version,
        created_at=created_at,
        updated_at=updated_at,
        **texts,
        **terms,
        **links,
    )
    return ResourceDraft(
        resource=resource,
        tags=_tags(pick),
        regions=[] if nationwide else _regions(pick),
        industries=_industries(pick),
    )


def _pick(rng: random.Random, index: int) -> Pick:
    """Type, platform, offering, slots, access model and edition; the first six cover every
    type."""
    if index < len(TYPES):
        resource_type, access_model = TYPES[index], ACCESS_MODELS[index % len(ACCESS_MODELS)]
    else:
        resource_type = _weighted(rng, TYPE_WEIGHTS)
        access_model = ""
    template = type_template(resource_type)
    specs, weights = platforms_offering(resource_type)
    platform = rng.choices(specs, weights)[0]
    offering = rng.choice(template["offerings"])
    slots = {
        name: rng.choices(values, _slot_weights(resource_type, name, platform.slug))[0]
        for name, values in template["slots"].items()
    }
    access_model = access_model or _weighted(rng, template["access_weights"])
    quota = _quota(rng, template)
    edition = tuple(rng.choice(catalogue()["common"]["editions"]))
    return Pick(rng, resource_type, platform, offering, slots, access_model, quota, edition)


@cache
def _slot_weights(resource_type: str, slot: str, platform_slug: str) -> list[int]:
    platform = next(spec for spec in platform_specs() if spec.slug == platform_slug)
    values = type_template(resource_type)["slots"][slot]
    return [_slot_weight(value, platform) for value in values]


def _slot_weight(value: Slot, platform: PlatformSpec) -> int:
    """How likely ``platform`` offers a slot value: never another brand's, mostly its own kind."""
    if "platforms" in value:
        return 8 if platform.slug in value["platforms"] else 0
    if platform.slug in value.get("favoured_by", ()):
        return 8
    if value.get("region") in platform.regions:
        return 4
    if set(value.get("industries", ())) & set(platform.industries):
        return 4
    return 1


def _weighted(rng: random.Random, weights: Mapping[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _status(rng: random.Random) -> str:
    roll = rng.random()
    if roll < DRAFT_SHARE:
        return ResourceStatus.DRAFT
    if roll < DRAFT_SHARE + WITHDRAWN_SHARE:
        return ResourceStatus.WITHDRAWN
    return ResourceStatus.ACTIVE


def _timeline(rng: random.Random, timeline: Timeline) -> tuple[datetime, datetime, int]:
    """Creation time over the story's year, last change (maybe later) and the version that goes
    with it; drawn as reference moments, returned as moved to today."""
    created = FIRST_CREATED + timedelta(seconds=rng.randrange(int(CREATION_SPAN.total_seconds())))
    if rng.random() < 0.4:
        return timeline.moment(created), timeline.moment(created), 1
    edited = created + timedelta(seconds=3600 + rng.randrange(int(MAX_EDIT_DELAY.total_seconds())))
    edited = min(edited, LAST_CHANGE)
    return timeline.moment(created), timeline.moment(edited), rng.randint(2, 6)


# Names ----------------------------------------------------------------------------------------


def _names(pick: Pick, number: int) -> tuple[str, str]:
    """The resource's Chinese and English names: the offering's, filled, with its edition; the
    ``number``-th resource of its platform with that name gets its type's qualifier, numbered,
    before the edition ("端侧小模型 V2（2026 版）")."""
    name = _fill(pick.offering["name"], pick.slots, "zh")
    name_en = _fill(pick.offering["name_en"], pick.slots, "en")
    edition, edition_en = pick.edition
    if edition.strip("（）·版 ") in name:  # no "（中小企业专享价）（中小企业专享）"
        edition, edition_en = "", ""
    if number > 1:
        qualifier, qualifier_en = type_template(pick.resource_type)["repeated_name"]
        name += qualifier.format(n=number)
        name_en += qualifier_en.format(n=number)
    return name + edition, name_en + edition_en


class _NameSeries:
    """Which number each demo resource of one seed takes among those of its platform with the same
    name: resources ``0..i`` are drawn (their picks only) in order, each taking the first number
    whose name its platform does not have yet. Grows as higher indexes are asked for."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.numbers: list[int] = []
        self.taken: set[tuple[str, str]] = set()
        self.last: Counter[tuple[str, str]] = Counter()

    def number(self, index: int) -> int:
        while len(self.numbers) <= index:
            position = len(self.numbers)
            pick = _pick(random.Random(f"seed-demo:{self.seed}:{position}"), position)
            slug, plain = pick.platform.slug, _names(pick, 1)[0]
            number = self.last[(slug, plain)] + 1
            while (slug, _names(pick, number)[0]) in self.taken:
                number += 1
            self.last[(slug, plain)] = number
            self.taken.add((slug, _names(pick, number)[0]))
            self.numbers.append(number)
        return self.numbers[index]


@cache
def _name_series(seed: int) -> _NameSeries:
    return _NameSeries(seed)


# Text -----------------------------------------------------------------------------------------


def _fill(text: str, slots: Mapping[str, Slot], lang: str) -> str:
    """``text`` with its ``{slot}`` and ``{slot_lc}`` (lower-case English) placeholders filled.

    In Chinese, a space separates a slot value from the text around it where Latin letters or
    digits meet Chinese characters ("毫米波雷达芯片 R77 的").
    """
    parts: list[str] = []
    for literal, field, _, _ in Formatter().parse(text):
        parts.append(literal)
        if field is not None:
            name, lower = field.removesuffix("_lc"), field.endswith("_lc")
            slot = slots[name]
            english_lower = lower and lang == "en"
            parts.append(
                slot.get("en_lc", _lower_first(slot["en"])) if english_lower else slot[lang]
            )
    if lang != "zh":
        return "".join(parts)
    filled = ""
    for part in filter(None, parts):
        if filled and _needs_space(filled[-1], part[0]):
            filled += " "
        filled += part
    return filled


def _needs_space(before: str, after: str) -> bool:
    def latin(char: str) -> bool:
        return char.isascii() and char.isalnum()

    def han(char: str) -> bool:
        return "\u4e00" <= char <= "\u9fff"

    return (latin(before) and han(after)) or (han(before) and latin(after))


def _lower_first(text: str) -> str:
    """``Urban traffic flow`` → ``urban traffic flow``; product names such as ``H3 5G`` stay."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _texts(pick: Pick, attributes: Mapping[str, Any], names: tuple[str, str]) -> dict[str, str]:
    """Bilingual name, summary and description."""
    common, template, rng = catalogue()["common"], type_template(pick.resource_type), pick.rng
    name, name_en = names
    summary = _fill(pick.offering["summary"], pick.slots, "zh")
    summary_en = _fill(pick.offering["summary_en"], pick.slots, "en")
    sentences = [(summary, summary_en), *rng.sample(template["details"], k=2)]
    if "filing_number" in attributes:
        zh, en = template["filing_sentence"]
        filing = attributes["filing_number"]
        sentences.append((zh.format(filing=filing), en.format(filing=filing)))
    access, access_en = common["access_sentences"][pick.access_model]
    sentences.append((access.format(quota=pick.quota[0]), access_en.format(quota=pick.quota[1])))
    closing, closing_en = common["closing"]
    platform = pick.platform
    sentences.append(
        (closing.format(platform=platform.name), closing_en.format(platform=platform.name_en))
    )
    return {
        "name": name,
        "name_en": name_en,
        "summary": summary,
        "summary_en": summary_en,
        "description": "".join(zh for zh, _ in sentences),
        "description_en": " ".join(en for _, en in sentences),
    }


def _quota(rng: random.Random, template: Template) -> tuple[str, str]:
    """A free quota of the type's kind, in Chinese and English."""
    quota = rng.choice(template["quotas"])
    amount = rng.choice(quota["n"])
    amount_en = f"{amount * quota.get('en_factor', 1):,}"
    return quota["zh"].format(n=amount), quota["en"].format(n=amount_en)


# SME terms, links, tags, regions, industries -------------------------------------------------


def _sme_terms(pick: Pick) -> dict[str, Any]:
    common, rng, access = catalogue()["common"], pick.rng, pick.access_model
    offers_quota = access == AccessModel.FREE_QUOTA or (
        access == AccessModel.APPLICATION and rng.random() < 0.4
    )
    offers_discount = access == AccessModel.PAID or (
        access == AccessModel.FREE_QUOTA and rng.random() < 0.3
    )
    conditions = common["conditions"]["open" if access == AccessModel.OPEN else "restricted"]
    return {
        "sme_free_quota": pick.quota[0] if offers_quota else "",
        "sme_discount": rng.choice(common["discounts"]) if offers_discount else "",
        "sme_conditions": rng.choice(conditions),
        "eligible_micro": rng.random() > 0.15,
        "eligible_small": True,
        "eligible_medium": rng.random() > 0.1,
    }


def _links(pick: Pick, rid: uuid.UUID) -> dict[str, str]:
    rng, host, key = pick.rng, pick.platform.host, rid.hex[:12]
    path = pick.resource_type.replace("_", "-")
    needs_application = pick.access_model in (AccessModel.APPLICATION, AccessModel.FREE_QUOTA)
    has_api = pick.resource_type in ("data", "algorithm", "compute") and (
        pick.hints.get("api", False) or rng.random() < 0.4
    )
    contacts = [
        pick.platform.contact_email,
        f"{pick.platform.contact_name} {pick.platform.contact_phone}",
        f"中小企业服务专线 {pick.platform.contact_phone}",
    ]
    has_application = needs_application or rng.random() < 0.3
    has_documentation = rng.random() < 0.85
    return {
        "application_url": f"https://{host}/sme/apply/{key}" if has_application else "",
        "documentation_url": f"https://docs.{host}/{path}/{key}" if has_documentation else "",
        "api_endpoint": f"https://api.{host}/v1/{path}/{key}" if has_api else "",
        "contact": rng.choice(contacts),
    }


def _tags(pick: Pick) -> list[str]:
    names = [
        *type_template(pick.resource_type)["tags"],
        *pick.offering.get("tags", []),
        *(tag for slot in pick.slots.values() for tag in slot.get("tags", [])),
    ]
    return list(dict.fromkeys(Tag.normalise(name) for name in names))[:6]


def _regions(pick: Pick) -> list[str]:
    """One to four provinces, mostly where the platform operates (or its data centre is)."""
    rng = pick.rng
    count = rng.choice((1, 1, 1, 2, 2, 3, 4))
    codes = {slot["region"] for slot in pick.slots.values() if "region" in slot}
    while len(codes) < count:
        pool = pick.platform.regions if rng.random() < 0.6 else MAINLAND_REGIONS
        codes.add(rng.choice(pool))
    return sorted(codes)


def _industries(pick: Pick) -> list[str]:
    """The offering's and slots' industries, else the platform's; sometimes one more."""
    rng = pick.rng
    codes = [*pick.offering.get("industries", [])]
    codes += [code for slot in pick.slots.values() for code in slot.get("industries", [])]
    if not codes or rng.random() < 0.3:
        codes.append(rng.choice(pick.platform.industries))
    if rng.random() < 0.15:
        codes.append(rng.choice(INDUSTRIES))
    return list(dict.fromkeys(codes))[:3]
