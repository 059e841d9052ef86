"""The pilots' list filters: what each selects, strictness, and (NetBox's habit) every model field
covered by a filter or deliberately exempt."""

import pytest
from django.utils import timezone

from pilots.filtersets import PilotProjectFilterSet, ScenarioFilterSet, ServicePlatformFilterSet
from pilots.models import PilotProject, Scenario, ServicePlatform
from tests.api_cases import assert_fields_covered, assert_problem, rows
from tests.factories import (
    PilotProjectFactory,
    PlatformFactory,
    ScenarioFactory,
    ServicePlatformFactory,
    make_credit_code,
)
from tests.pilots.helpers import listed_resource

PILOTS = "/api/v1/pilots/"


def codes(response) -> list[str]:
    return [item["code"] for item in rows(response)]


@pytest.fixture
def pilots(db):
    """Four pilots that differ in every filtered respect."""
    alpha, beta = PlatformFactory(slug="alpha"), PlatformFactory(slug="beta", name="贝塔平台")
    resource = listed_resource(beta)
    vision = ScenarioFactory(code="SCN-VISION")
    agent = ScenarioFactory(code="SCN-AGENT")
    hub = ServicePlatformFactory(slug="hub", operator=alpha)
    PilotProjectFactory(
        code="P-1",
        name="广东视觉质检试点",
        name_en="Visual inspection in Guangdong",
        lead_platform=alpha,
        scenario=vision,
        service_platform=hub,
        region_id="440000",
        industry_id="C",
        status="selected",
        year_selected=2026,
    )
    PilotProjectFactory(
        code="P-2",
        name="北京智能客服试点",
        lead_platform=None,
        lead_sme_name="北京小微科技有限公司",
        lead_sme_credit_code=make_credit_code(9191, "110000"),
        scenario=agent,
        region_id="110000",
        industry_id="I",
        status="in_progress",
        year_selected=2027,
        resources=[resource],
    )
    PilotProjectFactory(
        code="P-3",
        name="上海算力普惠试点",
        lead_platform=beta,
        region_id="310000",
        industry_id="I",
        status="completed",
        year_selected=2027,
        outcomes="训练成本下降三成",
    )
    PilotProjectFactory(code="P-4", name="浙江提案", lead_platform=alpha, region_id="330000")
    return resource


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["P-1", "P-2", "P-3", "P-4"]),
        ({"status": "selected,in_progress"}, ["P-1", "P-2"]),
        ({"status": ["completed", "proposed"]}, ["P-3", "P-4"]),
        ({"region": "440000,310000"}, ["P-1", "P-3"]),
        ({"industry": "I"}, ["P-2", "P-3"]),
        ({"scenario": "SCN-VISION,SCN-AGENT"}, ["P-1", "P-2"]),
        ({"platform": "alpha"}, ["P-1", "P-4"]),
        ({"platform": "beta"}, ["P-2", "P-3"]),  # P-2 uses beta's resource, P-3 is led by beta
        ({"service_platform": "hub"}, ["P-1"]),
        ({"lead": "sme"}, ["P-2"]),
        ({"lead": "platform"}, ["P-1", "P-3", "P-4"]),
        ({"year": "2027"}, ["P-2", "P-3"]),
        ({"year": "2026,2027", "industry": "C"}, ["P-1"]),
        ({"q": "试点 广东"}, ["P-1"]),
        ({"q": "visual INSPECTION"}, ["P-1"]),
        ({"q": "小微科技"}, ["P-2"]),  # the SME lead's name
        ({"q": "贝塔平台"}, ["P-3"]),  # the lead platform's name
        ({"q": "训练成本"}, ["P-3"]),  # outcomes
        ({"q": "p-4"}, ["P-4"]),  # the code
        ({"q": "%"}, []),
        ({"platform": "nobody"}, []),
    ],
)
def test_each_pilot_filter_selects_what_it_says(api_client, pilots, params, expected):
    assert codes(api_client.get(PILOTS, params)) == expected


def test_the_resource_filter_finds_the_pilots_using_a_resource(api_client, pilots):
    assert codes(api_client.get(PILOTS, {"resource": str(pilots.pk)})) == ["P-2"]


@pytest.mark.parametrize(
    ("params", "attr"),
    [
        ({"status": "finished"}, "status"),
        ({"region": "999999"}, "region"),
        ({"industry": "Z"}, "industry"),
        ({"year": "last"}, "year"),
        ({"lead": "nobody"}, "lead"),
        ({"resource": "not-a-uuid"}, "resource"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"q": "x" * 201}, "q"),
        ({"ordering": "name"}, "ordering"),
    ],
)
def test_an_invalid_or_unknown_pilot_filter_is_a_400_naming_it(api_client, db, params, attr):
    assert_problem(api_client.get(PILOTS, params), 400, attr=attr)


def test_scenario_filters(api_client, db):
    ScenarioFactory(code="S-1", name="视觉质检", industry_id="C", ai_capability="vision")
    ScenarioFactory(code="S-2", name="智能客服", industry_id="I", ai_capability="agent")
    ScenarioFactory(
        code="S-3",
        name="需求预测",
        industry_id="I",
        ai_capability="prediction",
        maturity="implementable",
        implementable_at=timezone.now().replace(year=2026, month=6, day=15),
    )
    url = "/api/v1/scenarios/"
    assert codes(api_client.get(url, {"maturity": "implementable"})) == ["S-3"]
    assert codes(api_client.get(url, {"industry": "I"})) == ["S-2", "S-3"]
    assert codes(api_client.get(url, {"ai_capability": "vision,agent"})) == ["S-1", "S-2"]
    assert codes(api_client.get(url, {"year": "2026"})) == ["S-3"]
    assert codes(api_client.get(url, {"q": "客服"})) == ["S-2"]
    assert_problem(api_client.get(url, {"maturity": "ripe"}), 400, attr="maturity")


def test_service_platform_filters(api_client, db):
    operator = PlatformFactory(slug="operator")
    ServicePlatformFactory(slug="gd", name="广东中小企业服务平台", operator=operator)
    ServicePlatformFactory(slug="bj", regions=["110000"], launched_year=2027)
    ServicePlatformFactory(slug="all", nationwide=True, launched_year=2027)
    url = "/api/v1/service-platforms/"

    def slugs(params):
        return [item["slug"] for item in rows(api_client.get(url, params))]

    assert slugs({"platform": "operator"}) == ["gd"]
    assert slugs({"region": "110000"}) == ["all", "bj"]  # nationwide serves every region
    assert slugs({"year": "2027"}) == ["all", "bj"]
    assert slugs({"q": "广东"}) == ["gd"]
    assert_problem(api_client.get(url, {"operator": "operator"}), 400, attr="operator")


# Coverage ---------------------------------------------------------------------------------------

# Each filter parameter and the model fields it searches or selects.
PILOT_COVERS = {
    "q": {"code", "name", "name_en", "summary", "outcomes", "lead_sme_name"},
    "status": {"status"},
    "region": {"region"},
    "industry": {"industry"},
    "scenario": {"scenario"},
    "platform": {"lead_platform", "resources"},
    "service_platform": {"service_platform"},
    "resource": set(),  # resources again, by id (covered by platform above)
    "lead": set(),  # lead_platform again: which kind of lead
    "year": {"year_selected"},
    "updated_since": {"updated_at"},
}
PILOT_EXEMPT = {
    "id": "internal; pilots are addressed by code",
    "lead_sme_credit_code": "an identifier shown, not a search criterion",
    "participants": "who takes part, in prose-like JSON",
    "milestones": "progress notes",
    "evidence_links": "links",
    "termination_reason": "prose",
    "version": "a concurrency token",
    "created_at": "updated_since covers change tracking",
}
SCENARIO_COVERS = {
    "q": {"code", "name", "name_en", "description"},
    "maturity": {"maturity"},
    "industry": {"industry"},
    "ai_capability": {"ai_capability"},
    "year": {"implementable_at"},
    "updated_since": {"updated_at"},
}
SCENARIO_EXEMPT = {
    "id": "internal; scenarios are addressed by code",
    "version": "a concurrency token",
    "created_at": "updated_since covers change tracking",
}
SERVICE_PLATFORM_COVERS = {
    "q": {"slug", "name", "name_en", "description"},
    "platform": {"operator"},
    "region": {"regions", "nationwide"},
    "year": {"launched_year"},
    "updated_since": {"updated_at"},
}
SERVICE_PLATFORM_EXEMPT = {
    "id": "internal; service platforms are addressed by slug",
    "services": "prose phrases",
    "website": "a link",
    "version": "a concurrency token",
    "created_at": "updated_since covers change tracking",
}


@pytest.mark.parametrize(
    ("model", "filterset", "covers", "exempt"),
    [
        (PilotProject, PilotProjectFilterSet, PILOT_COVERS, PILOT_EXEMPT),
        (Scenario, ScenarioFilterSet, SCENARIO_COVERS, SCENARIO_EXEMPT),
        (
            ServicePlatform,
            ServicePlatformFilterSet,
            SERVICE_PLATFORM_COVERS,
            SERVICE_PLATFORM_EXEMPT,
        ),
    ],
    ids=["pilot", "scenario", "service platform"],
)
def test_every_model_field_has_a_filter_or_a_stated_exemption(model, filterset, covers, exempt):
    assert filterset.parameter_names() == set(covers)
    assert_fields_covered(model, covers, exempt)
