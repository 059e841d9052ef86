"""The attribute schema of each resource type, and their validation.

Each ``resource_type`` carries its own ``attributes`` object. The schemas below are JSON Schema
(draft 2020-12, the dialect of OpenAPI 3.1): they validate every write, they are served by
``/api/v1/resource-types/``, and they appear in the OpenAPI document as the ``oneOf`` branches of a
resource, discriminated by ``resource_type``.
"""

from dataclasses import dataclass
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from registry.choices import ResourceType
from registry.vocabularies import region_codes

JsonSchema = dict[str, Any]


def _text(description: str, max_length: int = 200) -> JsonSchema:
    return {"type": "string", "minLength": 1, "maxLength": max_length, "description": description}


def _enum(description: str, values: list[str]) -> JsonSchema:
    return {"type": "string", "enum": values, "description": description}


def _enum_list(description: str, values: list[str]) -> JsonSchema:
    return {
        "type": "array",
        "items": {"type": "string", "enum": values},
        "minItems": 1,
        "uniqueItems": True,
        "description": description,
    }


def _object(title: str, properties: dict[str, JsonSchema], required: list[str]) -> JsonSchema:
    return {
        "type": "object",
        "title": title,
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


DATA_SCHEMA = _object(
    "DataAttributes",
    {
        "formats": _enum_list(
            "Formats the data is delivered in.",
            ["csv", "json", "parquet", "xlsx", "xml", "api", "image", "video", "audio", "text"],
        ),
        "volume": _text(
            "Size of the data set, as the platform states it (e.g. '2.3 TB', '1.2亿条').", 100
        ),
        "update_frequency": _enum(
            "How often the data is refreshed.",
            ["realtime", "hourly", "daily", "weekly", "monthly", "quarterly", "yearly", "static"],
        ),
        "licence": _text("Licence or terms of use of the data.", 100),
        "classification_level": _enum(
            "Data classification level (数据分类分级): general, important or core data.",
            ["general", "important", "core"],
        ),
        "sample_available": {"type": "boolean", "description": "Whether a free sample is offered."},
    },
    ["formats", "update_frequency", "classification_level"],
)

COMPUTE_SCHEMA = _object(
    "ComputeAttributes",
    {
        "accelerator_kind": _enum(
            "Kind of accelerator.", ["gpu", "npu", "cpu", "fpga", "asic", "tpu"]
        ),
        "accelerator_model": _text("Accelerator model (e.g. 'A800', 'Ascend 910B').", 100),
        "capacity_pflops": {
            "type": "number",
            "minimum": 0,
            "maximum": 1000000,
            "description": "Capacity opened to SMEs, in PFLOPS (FP16).",
        },
        "billing_unit": _enum(
            "Unit the compute is billed in.",
            ["card_hour", "node_hour", "pflops_day", "instance_month", "token", "free"],
        ),
        "datacentre_regions": {
            "type": "array",
            "items": {"type": "string", "enum": list(region_codes())},
            "uniqueItems": True,
            "description": "Province-level regions (GB/T 2260) of the data centres.",
        },
    },
    ["accelerator_kind", "accelerator_model", "capacity_pflops", "billing_unit"],
)

ALGORITHM_SCHEMA = _object(
    "AlgorithmAttributes",
    {
        "modality": _enum_list(
            "Modalities the model or algorithm handles.",
            ["text", "image", "audio", "video", "speech", "code", "tabular", "multimodal"],
        ),
        "model_family": _text("Model family (e.g. '通义', 'GLM').", 100),
        "parameter_scale": {
            "type": "string",
            "pattern": r"^[0-9]+(\.[0-9]+)?[KMBT]$",
            "description": "Parameter count, e.g. '7B', '1.5B', '340M'.",
        },
        "licence": _text("Licence of the model or algorithm.", 100),
        "api_available": {"type": "boolean", "description": "Whether an inference API is offered."},
        "fine_tuning_supported": {
            "type": "boolean",
            "description": "Whether SMEs may fine-tune it.",
        },
        "filing_number": _text("Filing number (备案号) of the generative AI service.", 64),
    },
    ["modality", "api_available"],
)

CHIP_SCHEMA = _object(
    "ChipAttributes",
    {
        "architecture": _enum(
            "Instruction set or architecture.",
            ["arm", "risc_v", "x86", "loongarch", "mips", "sw64", "gpgpu", "npu", "fpga", "other"],
        ),
        "process_node_nm": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 1000,
            "description": "Process node in nanometres.",
        },
        "dev_kit": _text("Development kit or board offered.", 200),
        "toolchain": _text("Compiler and toolchain.", 200),
        "availability": _enum(
            "How SMEs can get the chip.", ["sample", "volume", "dev_board", "cloud_access"]
        ),
    },
    ["architecture", "availability"],
)

OPERATING_SYSTEM_SCHEMA = _object(
    "OperatingSystemAttributes",
    {
        "kernel": _text("Kernel (e.g. 'Linux 6.6', 'OpenHarmony LiteOS').", 100),
        "target_devices": _enum_list(
            "Devices the system targets.",
            ["server", "desktop", "mobile", "iot", "vehicle", "industrial", "embedded"],
        ),
        "cpu_architectures": _enum_list(
            "CPU architectures supported.",
            ["x86_64", "aarch64", "riscv64", "loongarch64", "mips64", "sw64"],
        ),
        "licence": _text("Licence of the system.", 100),
        "app_ecosystem": _text("Application ecosystem and store.", 200),
    },
    ["kernel", "target_devices", "cpu_architectures"],
)

TERMINAL_SCHEMA = _object(
    "TerminalAttributes",
    {
        "device_category": _enum(
            "Category of device.",
            [
                "smartphone",
                "tablet",
                "wearable",
                "smart_home",
                "vehicle",
                "industrial",
                "robot",
                "pc",
                "xr",
            ],
        ),
        "os": _text("Operating system of the device.", 100),
        "sdk": _text("SDK offered to developers.", 200),
        "open_interfaces": {
            "type": "array",
            "items": {"type": "string", "minLength": 1, "maxLength": 60},
            "uniqueItems": True,
            "description": "Hardware and software interfaces opened to SMEs.",
        },
    },
    ["device_category", "os"],
)


@dataclass(frozen=True)
class TypeSpec:
    key: str
    name: str
    name_en: str
    schema: JsonSchema


TYPE_SPECS: dict[str, TypeSpec] = {
    spec.key: spec
    for spec in (
        TypeSpec(ResourceType.DATA.value, "数据", "Data", DATA_SCHEMA),
        TypeSpec(ResourceType.COMPUTE.value, "算力", "Computing power", COMPUTE_SCHEMA),
        TypeSpec(
            ResourceType.ALGORITHM.value, "算法与模型", "Algorithms and models", ALGORITHM_SCHEMA
        ),
        TypeSpec(ResourceType.CHIP.value, "高端芯片", "High-end chips", CHIP_SCHEMA),
        TypeSpec(
            ResourceType.OPERATING_SYSTEM.value,
            "操作系统",
            "Operating systems",
            OPERATING_SYSTEM_SCHEMA,
        ),
        TypeSpec(ResourceType.TERMINAL.value, "智能终端", "Smart terminals", TERMINAL_SCHEMA),
    )
}


@cache
def _validator(resource_type: str) -> Draft202012Validator:
    schema = TYPE_SPECS[resource_type].schema
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def attribute_errors(resource_type: str, attributes: object) -> list[tuple[str, str]]:
    """Every way ``attributes`` breaks the schema of ``resource_type``, as (path, message) pairs.

    The path is dotted from the attributes object (``capacity_pflops``, ``formats.0``); an empty
    path is the object itself. An unknown type is reported against ``resource_type``.
    """
    if resource_type not in TYPE_SPECS:
        return [("resource_type", f"Unknown resource type {resource_type!r}.")]
    errors = sorted(_validator(resource_type).iter_errors(attributes), key=lambda e: list(e.path))
    return [(".".join(str(part) for part in error.path), error.message) for error in errors]
