"""What the demo catalogue (``registry.demo``) is generated from: the platforms of
``fixtures/demo/platforms.json``, the per-type templates of ``fixtures/demo/resources.json``, and
what one resource is drawn from (``Pick``). Nothing here writes to the database.
"""

import json
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from registry.demo_timeline import Timeline
from registry.models import Platform, Tag
from registry.validators import credit_code_check_character

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
# A reference moment (``registry.demo_timeline``): the first resources are created on 5 January.
FIRST_CREATED = datetime(2026, 1, 5, tzinfo=UTC)

Slot = Mapping[str, Any]
Template = Mapping[str, Any]


@cache
def catalogue() -> dict[str, Any]:
    """``fixtures/demo/resources.json``: the per-type templates and the common phrases."""
    return json.loads((DEMO_DIR / "resources.json").read_text(encoding="utf-8"))


def type_template(resource_type: str) -> Template:
    """The template the resources of ``resource_type`` are generated from."""
    return catalogue()["types"][resource_type]


# Platforms ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlatformSpec:
    """One demo platform as written in ``platforms.json``, with what it tends to open."""

    slug: str
    name: str
    name_en: str
    division: str
    organisation_code: str
    website: str
    description: str
    description_en: str
    headquarters_region: str
    contact_name: str
    contact_email: str
    contact_phone: str
    verified: bool
    types: Mapping[str, int]
    regions: tuple[str, ...]
    industries: tuple[str, ...]

    @property
    def credit_code(self) -> str:
        """An enterprise code (``91``) in the platform's division, with its check character."""
        first17 = f"91{self.division}{self.organisation_code}"
        return first17 + credit_code_check_character(first17)

    @property
    def host(self) -> str:
        return self.website.removeprefix("https://")

    def build(self, *, today: date) -> Platform:
        """The unsaved platform; it joined early in the story (the same day for a given today)."""
        created = Timeline(today).moment(FIRST_CREATED - timedelta(days=3))
        return Platform(
            slug=self.slug,
            name=self.name,
            name_en=self.name_en,
            credit_code=self.credit_code,
            website=self.website,
            description=self.description,
            description_en=self.description_en,
            headquarters_region_id=self.headquarters_region,
            contact_name=self.contact_name,
            contact_email=self.contact_email,
            contact_phone=self.contact_phone,
            verified=self.verified,
            created_at=created,
            updated_at=created,
        )


@cache
def platform_specs() -> tuple[PlatformSpec, ...]:
    rows = json.loads((DEMO_DIR / "platforms.json").read_text(encoding="utf-8"))
    return tuple(
        PlatformSpec(
            **{**row, "regions": tuple(row["regions"]), "industries": tuple(row["industries"])}
        )
        for row in rows
    )


@cache
def platforms_offering(resource_type: str) -> tuple[list[PlatformSpec], list[int]]:
    """The platforms offering ``resource_type`` and how much each tends to (weights)."""
    specs = [spec for spec in platform_specs() if resource_type in spec.types]
    return specs, [spec.types[resource_type] for spec in specs]


# Tags -----------------------------------------------------------------------------------------


def tag_vocabulary() -> list[str]:
    """Every tag a demo resource can carry, normalised and sorted."""
    names: set[str] = set()
    for template in catalogue()["types"].values():
        names.update(template["tags"])
        for offering in template["offerings"]:
            names.update(offering.get("tags", []))
        for values in template["slots"].values():
            for value in values:
                names.update(value.get("tags", []))
    return sorted({Tag.normalise(name) for name in names})


# One resource's draw ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Pick:
    """What one resource is drawn from: platform, offering, slot values, access model, edition."""

    rng: random.Random
    resource_type: str
    platform: PlatformSpec
    offering: Template
    slots: Mapping[str, Slot]
    access_model: str
    quota: tuple[str, str]
    edition: tuple[str, str]

    @property
    def hints(self) -> Mapping[str, Any]:
        """Attribute hints fixed by the offering (``availability``, ``billing_unit``...)."""
        return self.offering.get("attrs", {})
