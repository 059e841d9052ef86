"""The type attributes of a demo resource (``registry.demo``): one builder per resource type,
each reading the resource's ``Pick`` (its slot values and the offering's hints)."""

import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from registry.choices import AccessModel, ResourceType
from registry.demo_catalogue import FIRST_CREATED, Pick, type_template
from registry.vocabularies import regions


def _data_attributes(pick: Pick) -> dict[str, Any]:
    rng, domain = pick.rng, pick.slots["domain"]
    formats = list(dict.fromkeys([*pick.hints.get("formats", []), *domain["formats"]]))
    live = "api" in formats and rng.random() < 0.3
    return {
        "formats": formats,
        "volume": _volume(rng, domain["unit"]),
        "update_frequency": "realtime" if live else rng.choice(domain["frequency"]),
        "licence": rng.choice(type_template("data")["licences"]),
        "classification_level": "important" if rng.random() < 0.12 else "general",
        "sample_available": rng.random() < 0.7,
    }


def _volume(rng: random.Random, unit: str) -> str:
    if unit == "images":
        return f"{rng.randint(2, 300)} 万张"
    if unit == "hours":
        return f"{rng.randint(2, 200) * 100:,} 小时"
    if unit == "size":
        return f"{rng.randint(1, 120)} TB"
    if rng.random() < 0.3:
        return f"{rng.randint(11, 99) / 10} 亿条"
    return f"{rng.randint(5, 5000)} 万条"


def _compute_attributes(pick: Pick) -> dict[str, Any]:
    rng, accel, site = pick.rng, pick.slots["accel"], pick.slots["site"]
    low, high = accel["pflops"]
    centres = {site["region"], rng.choice(pick.platform.regions)}
    billing_unit = pick.hints.get("billing_unit", "card_hour")
    return {
        "accelerator_kind": accel["kind"],
        "accelerator_model": accel["en"],
        "capacity_pflops": round(rng.uniform(low, high), 1),
        "billing_unit": "free" if pick.access_model == AccessModel.OPEN else billing_unit,
        "datacentre_regions": sorted(centres),
    }


def _algorithm_attributes(pick: Pick) -> dict[str, Any]:
    rng, hints, family = pick.rng, pick.hints, pick.slots["family"]
    template = type_template("algorithm")
    small_scale = rng.choice(template["small_scales"])
    attributes: dict[str, Any] = {
        "modality": hints.get("modality", pick.slots["task"]["modality"]),
        "model_family": family["zh"],
        "parameter_scale": small_scale if hints.get("small") else pick.slots["scale"]["en"],
        "licence": rng.choice(template["licences"]),
        "api_available": hints.get("api", rng.random() < 0.7),
        "fine_tuning_supported": hints.get("fine_tuning", rng.random() < 0.5),
    }
    if hints.get("large", False):
        province = _region_name_en(pick.platform.headquarters_region).replace(" ", "")
        # Filed before the story begins: a past date (not moved to today) whatever today is.
        filed = FIRST_CREATED - timedelta(days=rng.randint(60, 700))
        attributes["filing_number"] = f"{province}-{family['en']}-{filed:%Y%m%d}"
    return attributes


def _region_name_en(code: str) -> str:
    return next(term["name_en"] for term in regions() if term["code"] == code)


def _chip_attributes(pick: Pick) -> dict[str, Any]:
    part = pick.slots["part"]
    return {
        "architecture": part["arch"],
        "process_node_nm": part["node"],
        "dev_kit": f"{part['zh']} 评估板（EVB）与核心板",
        "toolchain": part["toolchain"],
        "availability": pick.hints["availability"],
    }


def _operating_system_attributes(pick: Pick) -> dict[str, Any]:
    system = pick.slots["os"]
    return {
        "kernel": system["kernel"],
        "target_devices": system["devices"],
        "cpu_architectures": system["arch"],
        "licence": system["licence"],
        "app_ecosystem": system["ecosystem"],
    }


def _terminal_attributes(pick: Pick) -> dict[str, Any]:
    rng, device = pick.rng, pick.slots["device"]
    interfaces = device["interfaces"]
    return {
        "device_category": device["category"],
        "os": rng.choice(device["os"]),
        "sdk": f"{device['en']} SDK {rng.randint(2, 5)}.{rng.randint(0, 9)}",
        "open_interfaces": rng.sample(interfaces, k=rng.randint(2, len(interfaces))),
    }


ATTRIBUTE_BUILDERS: dict[str, Callable[[Pick], dict[str, Any]]] = {
    ResourceType.DATA: _data_attributes,
    ResourceType.COMPUTE: _compute_attributes,
    ResourceType.ALGORITHM: _algorithm_attributes,
    ResourceType.CHIP: _chip_attributes,
    ResourceType.OPERATING_SYSTEM: _operating_system_attributes,
    ResourceType.TERMINAL: _terminal_attributes,
}
