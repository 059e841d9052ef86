"""The two controlled vocabularies shipped with the registry as data.

- GB/T 2260: the 34 province-level administrative divisions (code, Chinese and English names).
- GB/T 4754-2017: the 20 sections A–T of the industrial classification.

They are loaded from ``registry/data/*.json`` into the ``Region`` and ``Industry`` tables by a data
migration, and read from here wherever a list of valid codes is needed without a query (attribute
schemas, validation messages).
"""

import json
from functools import cache
from pathlib import Path
from typing import TypedDict

DATA_DIR = Path(__file__).resolve().parent / "data"


class Term(TypedDict):
    code: str
    name: str
    name_en: str


@cache
def regions() -> list[Term]:
    return json.loads((DATA_DIR / "regions.json").read_text(encoding="utf-8"))


@cache
def industries() -> list[Term]:
    return json.loads((DATA_DIR / "industries.json").read_text(encoding="utf-8"))


@cache
def region_codes() -> tuple[str, ...]:
    return tuple(term["code"] for term in regions())


@cache
def industry_codes() -> tuple[str, ...]:
    return tuple(term["code"] for term in industries())
