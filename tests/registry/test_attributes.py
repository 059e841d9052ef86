"""Each resource type's attribute schema: validation, model cleaning, and the API serving it."""

import pytest
from django.core.exceptions import ValidationError
from jsonschema import Draft202012Validator

from registry.attributes import TYPE_SPECS, attribute_errors
from registry.choices import ResourceType
from registry.models import Resource
from tests.api_cases import ReadEndpointTests, assert_problem
from tests.factories import VALID_ATTRIBUTES, ResourceFactory

# One attributes object per type that fills in every property the schema knows.
COMPLETE_ATTRIBUTES = {
    "data": {
        "formats": ["parquet", "api"],
        "volume": "1.2亿条",
        "update_frequency": "monthly",
        "licence": "CC BY 4.0",
        "classification_level": "important",
        "sample_available": True,
    },
    "compute": {
        "accelerator_kind": "npu",
        "accelerator_model": "Ascend 910B",
        "capacity_pflops": 0,
        "billing_unit": "pflops_day",
        "datacentre_regions": ["440000", "520000"],
    },
    "algorithm": {
        "modality": ["text", "code"],
        "model_family": "通义",
        "parameter_scale": "1.5B",
        "licence": "Apache-2.0",
        "api_available": False,
        "fine_tuning_supported": True,
        "filing_number": "Beijing-TongYiQianWen-20230726",
    },
    "chip": {
        "architecture": "loongarch",
        "process_node_nm": 7,
        "dev_kit": "3A6000 开发板",
        "toolchain": "GCC 14",
        "availability": "sample",
    },
    "operating_system": {
        "kernel": "OpenHarmony LiteOS",
        "target_devices": ["iot", "embedded"],
        "cpu_architectures": ["riscv64"],
        "licence": "Apache-2.0",
        "app_ecosystem": "应用市场",
    },
    "terminal": {
        "device_category": "robot",
        "os": "HarmonyOS",
        "sdk": "HMS Core",
        "open_interfaces": ["camera", "lidar"],
    },
}


def changed(resource_type: str, drop: str | None = None, **values: object) -> dict:
    attributes = {**VALID_ATTRIBUTES[resource_type], **values}
    if drop is not None:
        del attributes[drop]
    return attributes


@pytest.mark.parametrize("resource_type", list(ResourceType.values))
@pytest.mark.parametrize("source", [VALID_ATTRIBUTES, COMPLETE_ATTRIBUTES], ids=["minimal", "full"])
def test_a_valid_attributes_object_passes(resource_type, source):
    assert attribute_errors(resource_type, source[resource_type]) == []


INVALID = [
    # (type, attributes, the path the error is reported at, a word of the message)
    ("data", changed("data", drop="formats"), "", "formats"),
    ("data", changed("data", update_frequency="hourly-ish"), "update_frequency", "not one of"),
    ("data", changed("data", formats=[]), "formats", "non-empty"),
    ("data", changed("data", formats=["csv", "csv"]), "formats", "non-unique"),
    ("data", changed("data", sample_available="yes"), "sample_available", "boolean"),
    ("data", changed("data", rows=100), "", "Additional properties"),
    ("compute", changed("compute", drop="capacity_pflops"), "", "capacity_pflops"),
    ("compute", changed("compute", capacity_pflops=-1), "capacity_pflops", "minimum"),
    ("compute", changed("compute", capacity_pflops="12"), "capacity_pflops", "number"),
    ("compute", changed("compute", accelerator_kind="quantum"), "accelerator_kind", "not one of"),
    ("compute", changed("compute", datacentre_regions=["999999"]), "datacentre_regions.0", "one"),
    ("compute", changed("compute", datacentre_regions=["440300"]), "datacentre_regions.0", "one"),
    ("algorithm", changed("algorithm", drop="api_available"), "", "api_available"),
    ("algorithm", changed("algorithm", parameter_scale="7 billion"), "parameter_scale", "match"),
    ("algorithm", changed("algorithm", parameter_scale="7b"), "parameter_scale", "match"),
    ("algorithm", changed("algorithm", modality="text"), "modality", "array"),
    ("chip", changed("chip", architecture="arm64"), "architecture", "not one of"),
    ("chip", changed("chip", process_node_nm=0), "process_node_nm", "less than or equal"),
    ("chip", changed("chip", drop="availability"), "", "availability"),
    ("operating_system", changed("operating_system", kernel=""), "kernel", "non-empty"),
    (
        "operating_system",
        changed("operating_system", cpu_architectures=["arm"]),
        "cpu_architectures.0",
        "not one of",
    ),
    ("terminal", changed("terminal", drop="os"), "", "os"),
    ("terminal", changed("terminal", open_interfaces=[""]), "open_interfaces.0", "non-empty"),
    ("terminal", changed("terminal", colour="black"), "", "Additional properties"),
]


@pytest.mark.parametrize(
    ("resource_type", "attributes", "path", "message"),
    INVALID,
    ids=[f"{case[0]}-{index}" for index, case in enumerate(INVALID)],
)
def test_an_invalid_attributes_object_fails_at_the_faulty_path(
    resource_type, attributes, path, message
):
    errors = attribute_errors(resource_type, attributes)
    assert errors, f"{attributes} passed"
    if path:
        assert path in [error_path for error_path, _ in errors]
    assert any(message in text for _, text in errors), errors


def test_attributes_that_are_not_an_object_fail():
    assert attribute_errors("data", ["csv"]) == [("", "['csv'] is not of type 'object'")]


def test_an_unknown_resource_type_is_reported_against_resource_type():
    assert [path for path, _ in attribute_errors("spaceship", {})] == ["resource_type"]


def test_every_error_of_an_object_is_reported_not_only_the_first():
    attributes = {"formats": "csv", "update_frequency": "never"}
    paths = {path for path, _ in attribute_errors("data", attributes)}
    assert {"", "formats", "update_frequency"} <= paths


@pytest.mark.django_db
def test_resource_full_clean_raises_on_attributes_that_break_the_type_schema(platform_a):
    resource = ResourceFactory.build(
        platform=platform_a,
        resource_type="compute",
        attributes=changed("compute", capacity_pflops=-5),
    )
    with pytest.raises(ValidationError) as caught:
        resource.full_clean()
    assert set(caught.value.message_dict) == {"attributes"}
    assert caught.value.message_dict["attributes"][0].startswith("capacity_pflops: ")


@pytest.mark.django_db
def test_resource_full_clean_checks_attributes_against_the_resources_own_type(platform_a):
    resource = ResourceFactory.build(
        platform=platform_a, resource_type="chip", attributes=VALID_ATTRIBUTES["compute"]
    )
    with pytest.raises(ValidationError) as caught:
        resource.full_clean()
    assert "attributes" in caught.value.message_dict


@pytest.mark.django_db
def test_resource_full_clean_accepts_valid_attributes(platform_a):
    resource = ResourceFactory.build(platform=platform_a, resource_type="terminal")
    resource.full_clean()
    resource.save()
    assert Resource.objects.get(pk=resource.pk).attributes == VALID_ATTRIBUTES["terminal"]


# The /api/v1/resource-types/ endpoint ----------------------------------------------------------


class TestResourceTypeEndpoint(ReadEndpointTests):
    list_url = "/api/v1/resource-types/"
    key_field = "key"
    missing_key = "spaceship"

    def make(self):
        return TYPE_SPECS["compute"]


def test_resource_types_lists_the_six_types_with_their_schemas(api_client):
    response = api_client.get("/api/v1/resource-types/")
    assert response.status_code == 200
    body = response.json()
    assert [item["key"] for item in body] == [
        "data",
        "compute",
        "algorithm",
        "chip",
        "operating_system",
        "terminal",
    ]
    for item in body:
        assert set(item) == {"key", "name", "name_en", "attributes_schema"}
        assert item["attributes_schema"] == TYPE_SPECS[item["key"]].schema
        Draft202012Validator.check_schema(item["attributes_schema"])


def test_a_resource_type_has_bilingual_names_and_its_schema(api_client):
    response = api_client.get("/api/v1/resource-types/compute/")
    assert response.status_code == 200
    assert response.json()["name"] == "算力"
    assert response.json()["name_en"] == "Computing power"
    schema = response.json()["attributes_schema"]
    assert "capacity_pflops" in schema["required"]
    assert schema["additionalProperties"] is False


def test_the_served_schema_validates_what_the_model_accepts(api_client):
    for key, attributes in COMPLETE_ATTRIBUTES.items():
        schema = api_client.get(f"/api/v1/resource-types/{key}/").json()["attributes_schema"]
        assert list(Draft202012Validator(schema).iter_errors(attributes)) == []


@pytest.mark.parametrize("key", ["DATA", "data-set", "数据"])
def test_a_malformed_resource_type_key_is_a_404_problem(api_client, key):
    assert_problem(api_client.get(f"/api/v1/resource-types/{key}/"), 404)
