"""The pilots' workflows straight through the services: both transition tables whole (every action
from every status), the version and If-Match, the history, and the rules on links and leads."""

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from core.audit import history_of
from core.errors import PreconditionFailed, TransitionNotAllowed
from core.models import ChangeRecord
from pilots import services
from pilots.choices import PilotStatus, ScenarioMaturity
from pilots.models import PilotProject, Scenario
from tests.factories import (
    PilotProjectFactory,
    PlatformFactory,
    ResourceFactory,
    ScenarioFactory,
    make_credit_code,
)
from tests.openness.helpers import curator_user, published_batch
from tests.pilots.helpers import listed_resource, pilot_data, raw_pilot

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / "django.mo"
PILOT_STATUSES = list(PilotStatus.values)
PILOT_ACTIONS = ["edit", "select", "start", "complete", "terminate"]
SCENARIO_ACTIONS = ["edit", "mark_implementable"]

# The tables as the design states them (written out here, not read from the services): for each
# (status, action) that is allowed, the status it leads to. Everything else is a 409.
EXPECTED_PILOT = {
    ("proposed", "edit"): "proposed",
    ("selected", "edit"): "selected",
    ("in_progress", "edit"): "in_progress",
    ("completed", "edit"): "completed",
    ("proposed", "select"): "selected",
    ("selected", "start"): "in_progress",
    ("in_progress", "complete"): "completed",
    ("selected", "terminate"): "terminated",
    ("in_progress", "terminate"): "terminated",
}
EXPECTED_SCENARIO = {
    ("candidate", "edit"): "candidate",
    ("implementable", "edit"): "implementable",
    ("candidate", "mark_implementable"): "implementable",
}


def run_pilot_action(pilot: PilotProject, action: str, actor: Any = None) -> PilotProject:
    if action == "edit":
        return services.pilot_update(
            actor=actor, pilot_id=pilot.pk, data={"outcomes": "已形成案例"}, if_match=None
        )
    if action == "terminate":
        return services.pilot_terminate(actor=actor, pilot_id=pilot.pk, reason="牵头单位退出")
    return getattr(services, f"pilot_{action}")(actor=actor, pilot_id=pilot.pk)


def run_scenario_action(scenario: Scenario, action: str) -> Scenario:
    if action == "edit":
        return services.scenario_update(
            actor=None, scenario_id=scenario.pk, data={"description": "新描述"}, if_match=None
        )
    return services.scenario_mark_implementable(actor=None, scenario_id=scenario.pk)


def assert_follows_the_table(
    obj: Any, field: str, start: str, expected: str | None, run: Callable[[], Any]
) -> None:
    """``run()`` moves ``obj`` from ``start`` to ``expected``, bumping its version and writing one
    change record; where the table has no ``expected``, it is refused and nothing changes."""
    records = ChangeRecord.objects.count()
    if expected is None:
        with pytest.raises(TransitionNotAllowed):
            run()
        obj.refresh_from_db()
        assert (getattr(obj, field), obj.version) == (start, 1)
        assert ChangeRecord.objects.count() == records
    else:
        run()
        obj.refresh_from_db()
        assert (getattr(obj, field), obj.version) == (expected, 2)
        assert ChangeRecord.objects.count() == records + 1


@pytest.mark.parametrize("status", PILOT_STATUSES)
@pytest.mark.parametrize("action", PILOT_ACTIONS)
def test_every_pilot_action_from_every_status_does_what_the_table_says(status, action):
    pilot = raw_pilot(status)
    expected = EXPECTED_PILOT.get((status, action))
    assert_follows_the_table(
        pilot, "status", status, expected, lambda: run_pilot_action(pilot, action)
    )


@pytest.mark.parametrize("maturity", list(ScenarioMaturity.values))
@pytest.mark.parametrize("action", SCENARIO_ACTIONS)
def test_every_scenario_action_from_every_maturity_does_what_the_table_says(maturity, action):
    scenario = ScenarioFactory(maturity=maturity)
    expected = EXPECTED_SCENARIO.get((maturity, action))
    assert_follows_the_table(
        scenario, "maturity", maturity, expected, lambda: run_scenario_action(scenario, action)
    )


def test_the_services_tables_are_the_designs_tables():
    allowed = {
        (status, action): new
        for action, table in services.PILOT_TRANSITIONS.items()
        for status, new in table.items()
    }
    assert allowed == EXPECTED_PILOT
    allowed = {
        (status, action): new
        for action, table in services.SCENARIO_TRANSITIONS.items()
        for status, new in table.items()
    }
    assert allowed == EXPECTED_SCENARIO


@pytest.mark.parametrize(
    ("language", "pilot_refusal", "scenario_refusal"),
    [
        (
            "en",
            "A pilot project that is “Proposed” does not allow “complete”.",
            "A scenario that is “Implementable” does not allow “mark implementable”.",
        ),
        (
            "zh-hans",
            "处于“已申报”状态的试点项目不允许执行“完成”操作。",
            "处于“可落地”状态的场景不允许执行“标记为可落地”操作。",
        ),
    ],
)
def test_a_refusal_names_the_status_and_the_action_in_the_openness_lists_wording(
    language, pilot_refusal, scenario_refusal
):
    if language != "en" and not CATALOGUE.exists():
        pytest.skip("the Chinese catalogue is not compiled (make, with msgfmt)")
    pilot = raw_pilot("proposed")
    scenario = ScenarioFactory(maturity="implementable")
    with translation.override(language):
        with pytest.raises(TransitionNotAllowed) as refused:
            services.pilot_complete(actor=None, pilot_id=pilot.pk)
        assert str(refused.value.message) == pilot_refusal
        with pytest.raises(TransitionNotAllowed) as refused:
            services.scenario_mark_implementable(actor=None, scenario_id=scenario.pk)
        assert str(refused.value.message) == scenario_refusal


def test_selecting_records_the_current_year_unless_a_year_is_given():
    first, second = raw_pilot("proposed"), raw_pilot("proposed")
    assert services.pilot_select(actor=None, pilot_id=first.pk).year_selected == (
        timezone.localdate().year
    )
    assert services.pilot_select(actor=None, pilot_id=second.pk, year=2025).year_selected == 2025


def test_selecting_in_a_year_still_to_come_is_refused_naming_year_and_the_years_accepted():
    this_year, next_year = raw_pilot("proposed"), raw_pilot("proposed")

    with time_machine.travel(datetime(2026, 12, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        selected = services.pilot_select(actor=None, pilot_id=this_year.pk, year=2026)
        with pytest.raises(ValidationError) as refused, translation.override("en"):
            services.pilot_select(actor=None, pilot_id=next_year.pk, year=2027)

    assert selected.year_selected == 2026
    assert refused.value.message_dict == {"year": ["Give a year from 2000 to 2026."]}
    next_year.refresh_from_db()
    assert (next_year.status, next_year.year_selected) == ("proposed", None)


@pytest.mark.parametrize("year", [1999, 2101, 0])
def test_selecting_in_a_year_out_of_range_is_refused_naming_year(year):
    pilot = raw_pilot("proposed")
    with pytest.raises(ValidationError) as refused:
        services.pilot_select(actor=None, pilot_id=pilot.pk, year=year)
    assert set(refused.value.message_dict) == {"year"}
    pilot.refresh_from_db()
    assert (pilot.status, pilot.year_selected) == ("proposed", None)


@pytest.mark.parametrize("reason", ["", "   "])
def test_terminating_without_a_reason_is_refused_naming_reason(reason):
    pilot = raw_pilot("in_progress")
    with pytest.raises(ValidationError) as refused:
        services.pilot_terminate(actor=None, pilot_id=pilot.pk, reason=reason)
    assert set(refused.value.message_dict) == {"reason"}
    pilot.refresh_from_db()
    assert pilot.status == "in_progress"


def test_terminating_keeps_the_reason_on_the_pilot_and_in_its_history():
    curator = curator_user()
    pilot = raw_pilot("selected")
    services.pilot_terminate(actor=curator, pilot_id=pilot.pk, reason="  资金未落实 ")
    pilot.refresh_from_db()
    assert (pilot.status, pilot.termination_reason) == ("terminated", "资金未落实")
    record = history_of(pilot).last()
    assert (record.action, record.reason, record.actor_name) == (
        "terminated",
        "资金未落实",
        "curator",
    )
    assert record.changes["status"] == {"before": "selected", "after": "terminated"}


def test_marking_a_scenario_implementable_records_when():
    scenario = ScenarioFactory()
    before = timezone.now()
    scenario = services.scenario_mark_implementable(actor=None, scenario_id=scenario.pk)
    assert scenario.maturity == "implementable"
    assert scenario.implementable_at >= before
    earlier = timezone.now().replace(year=2026, month=3, day=1)
    other = services.scenario_mark_implementable(
        actor=None, scenario_id=ScenarioFactory().pk, at=earlier
    )
    assert other.implementable_at == earlier


def test_a_scenario_cannot_be_found_implementable_in_the_future():
    scenario = ScenarioFactory()
    with pytest.raises(ValidationError) as refused:
        services.scenario_mark_implementable(
            actor=None, scenario_id=scenario.pk, at=timezone.now() + timezone.timedelta(days=1)
        )
    assert set(refused.value.message_dict) == {"implementable_at"}


# Versions and If-Match --------------------------------------------------------------------------


def test_every_change_bumps_the_version_and_a_change_that_changes_nothing_does_not():
    pilot = raw_pilot("proposed", name="原名")
    pilot = services.pilot_update(
        actor=None, pilot_id=pilot.pk, data={"name": "原名"}, if_match=frozenset({1})
    )
    assert pilot.version == 1
    pilot = services.pilot_update(
        actor=None, pilot_id=pilot.pk, data={"name": "新名"}, if_match=frozenset({1})
    )
    assert pilot.version == 2
    assert services.pilot_select(actor=None, pilot_id=pilot.pk).version == 3


def test_a_stale_if_match_is_refused_and_the_other_writers_change_survives():
    pilot = raw_pilot("proposed", name="原名")
    services.pilot_update(actor=None, pilot_id=pilot.pk, data={"name": "先写"}, if_match=None)
    with pytest.raises(PreconditionFailed):
        services.pilot_update(
            actor=None, pilot_id=pilot.pk, data={"name": "后写"}, if_match=frozenset({1})
        )
    with pytest.raises(PreconditionFailed):
        services.pilot_start(actor=None, pilot_id=pilot.pk, if_match=frozenset({1}))
    pilot.refresh_from_db()
    assert (pilot.name, pilot.version, pilot.status) == ("先写", 2, "proposed")


def test_scenarios_and_service_platforms_refuse_a_stale_if_match_too():
    scenario = ScenarioFactory()
    services.scenario_update(
        actor=None, scenario_id=scenario.pk, data={"name": "新"}, if_match=frozenset({1})
    )
    with pytest.raises(PreconditionFailed):
        services.scenario_update(
            actor=None, scenario_id=scenario.pk, data={"name": "旧"}, if_match=frozenset({1})
        )
    from tests.factories import ServicePlatformFactory

    service_platform = ServicePlatformFactory()
    services.service_platform_update(
        actor=None,
        service_platform_id=service_platform.pk,
        data={"name": "新"},
        if_match=frozenset({1}),
    )
    with pytest.raises(PreconditionFailed):
        services.service_platform_update(
            actor=None,
            service_platform_id=service_platform.pk,
            data={"name": "旧"},
            if_match=frozenset({1}),
        )


# History ----------------------------------------------------------------------------------------


def test_the_history_records_creation_edits_and_every_transition_with_versions():
    platform = PlatformFactory(slug="history-lead")
    curator = curator_user()
    pilot = services.pilot_create(actor=curator, data=pilot_data(platform))
    services.pilot_update(
        actor=curator, pilot_id=pilot.pk, data={"summary": "扩大范围"}, if_match=frozenset({1})
    )
    services.pilot_select(actor=curator, pilot_id=pilot.pk, year=2026)
    services.pilot_start(actor=curator, pilot_id=pilot.pk)
    services.pilot_complete(actor=curator, pilot_id=pilot.pk)

    records = list(history_of(pilot))
    assert [(r.action, r.version) for r in records] == [
        ("created", 1),
        ("updated", 2),
        ("selected", 3),
        ("started", 4),
        ("completed", 5),
    ]
    assert records[0].changes["lead_platform"] == {"before": None, "after": "history-lead"}
    assert records[1].changes == {"summary": {"before": "", "after": "扩大范围"}}
    assert records[2].changes == {
        "status": {"before": "proposed", "after": "selected"},
        "year_selected": {"before": None, "after": 2026},
    }
    assert {r.actor_name for r in records} == {"curator"}


# Links and leads --------------------------------------------------------------------------------


def test_a_pilot_may_use_resources_listed_in_a_published_batch():
    platform = PlatformFactory()
    resource = listed_resource(platform)
    pilot = services.pilot_create(actor=None, data=pilot_data(platform, resources=[resource]))
    assert list(pilot.resources.all()) == [resource]
    assert history_of(pilot).get().changes["resources"]["after"] == [str(resource.pk)]


def test_a_resource_not_listed_is_refused_naming_resources_and_the_offending_ids():
    platform = PlatformFactory()
    listed = listed_resource(platform)
    unlisted = ResourceFactory(platform=platform)
    withdrawn = listed_resource(platform)
    entry = withdrawn.entries.get()
    from openness import services as openness_services

    openness_services.entry_withdraw(actor=None, entry_id=entry.pk, reason="停止开放")

    with pytest.raises(ValidationError) as refused:
        services.pilot_create(
            actor=None, data=pilot_data(platform, resources=[listed, unlisted, withdrawn])
        )
    message = refused.value.message_dict["resources"][0]
    assert str(unlisted.pk) in message
    assert str(withdrawn.pk) in message
    assert str(listed.pk) not in message
    assert not PilotProject.objects.exists()


def test_a_resource_only_submitted_or_approved_is_not_listed():
    platform = PlatformFactory()
    resource = ResourceFactory(platform=platform, summary="x", contact="a@example.cn")
    from tests.openness.helpers import open_batch, submit

    submit(open_batch(None), resource)
    assert services.unlisted_resources([resource.pk]) == [str(resource.pk)]
    published_batch(None, [ResourceFactory(platform=platform, contact="a@example.cn")])
    assert services.unlisted_resources([resource.pk]) == [str(resource.pk)]


def test_a_resource_linked_while_listed_stays_linked_after_its_listing_is_withdrawn():
    platform = PlatformFactory()
    resource = listed_resource(platform)
    pilot = services.pilot_create(actor=None, data=pilot_data(platform, resources=[resource]))
    from openness import services as openness_services

    openness_services.entry_withdraw(
        actor=None, entry_id=resource.entries.get().pk, reason="停止开放"
    )
    other = listed_resource(platform)
    pilot = services.pilot_update(
        actor=None, pilot_id=pilot.pk, data={"resources": [resource, other]}, if_match=None
    )
    assert set(pilot.resources.all()) == {resource, other}


@pytest.mark.parametrize(
    ("lead", "attr"),
    [
        ({}, "lead"),
        ({"lead_sme_name": "某科技有限公司"}, "lead"),
        ({"lead_sme_credit_code": make_credit_code(4242)}, "lead"),
        ({"lead_sme_name": "某科技有限公司", "lead_sme_credit_code": "91440300ABCDEFGH12"}, None),
    ],
    ids=["none", "name-only", "code-only", "bad-code"],
)
def test_a_lead_must_be_a_platform_or_an_sme_with_a_valid_credit_code(lead, attr):
    data = pilot_data(PlatformFactory(), lead_platform=None, **lead)
    with pytest.raises(ValidationError) as refused:
        services.pilot_create(actor=None, data=data)
    names = set(refused.value.message_dict)
    assert names == ({attr} if attr else {"lead_sme_credit_code"})
    assert not PilotProject.objects.exists()


def test_a_lead_cannot_be_both_a_platform_and_an_sme():
    data = pilot_data(
        PlatformFactory(),
        lead_sme_name="某科技有限公司",
        lead_sme_credit_code=make_credit_code(4243),
    )
    with pytest.raises(ValidationError) as refused:
        services.pilot_create(actor=None, data=data)
    assert set(refused.value.message_dict) == {"lead"}


def test_an_sme_lead_is_stored_with_its_credit_code_and_participants_are_normalised():
    data = pilot_data(
        PlatformFactory(),
        lead_platform=None,
        lead_sme_name="某科技有限公司",
        lead_sme_credit_code=make_credit_code(4244),
        participants=[{"name": " 甲公司 "}, {"name": "乙公司", "credit_code": ""}],
        milestones=[{"title": "启动", "date": "2026-05-01"}],
    )
    pilot = services.pilot_create(actor=None, data=data)
    pilot.refresh_from_db()
    assert pilot.lead_platform is None
    assert pilot.participants == [
        {"name": "甲公司", "credit_code": None},
        {"name": "乙公司", "credit_code": None},
    ]
    assert pilot.milestones == [{"title": "启动", "date": "2026-05-01", "done": False}]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("participants", [{"credit_code": make_credit_code(1)}]),
        ("participants", [{"name": "甲", "credit_code": "BAD"}]),
        ("participants", [{"name": "甲", "role": "x"}]),
        ("milestones", [{"title": "启动"}]),
        ("milestones", [{"title": "启动", "date": "2026-13-01"}]),
        ("milestones", [{"title": "启动", "date": "2026-01-01", "done": "yes"}]),
        ("evidence_links", ["ftp://example.cn/x"]),
        ("evidence_links", ["not a url"]),
    ],
)
def test_malformed_json_fields_are_refused_naming_the_field(field, value):
    data = pilot_data(PlatformFactory(), **{field: value})
    with pytest.raises(ValidationError) as refused:
        services.pilot_create(actor=None, data=data)
    assert field in refused.value.message_dict


def test_a_duplicate_code_is_a_field_error():
    PilotProjectFactory(code="PILOT-T-001")
    with pytest.raises(ValidationError) as refused:
        services.pilot_create(actor=None, data=pilot_data(PlatformFactory()))
    assert set(refused.value.message_dict) == {"code"}


def test_a_nationwide_service_platform_lists_no_regions():
    from tests.factories import ServicePlatformFactory

    service_platform = ServicePlatformFactory(regions=["440000", "110000"])
    updated = services.service_platform_update(
        actor=None,
        service_platform_id=service_platform.pk,
        data={"nationwide": True},
        if_match=None,
    )
    assert list(updated.regions.all()) == []
    with pytest.raises(ValidationError) as refused:
        services.service_platform_update(
            actor=None,
            service_platform_id=service_platform.pk,
            data={"regions": ["110000"]},
            if_match=None,
        )
    assert set(refused.value.message_dict) == {"regions"}


def test_creating_a_scenario_and_a_service_platform_records_them():
    curator = curator_user()
    from registry.models import Industry

    scenario = services.scenario_create(
        actor=curator,
        data={
            "code": "SCN-NEW",
            "name": "智能客服",
            "industry": Industry.objects.get(code="I"),
            "ai_capability": "agent",
        },
    )
    assert (scenario.maturity, scenario.version) == ("candidate", 1)
    assert history_of(scenario).get().action == "created"
    service_platform = services.service_platform_create(
        actor=curator,
        data={
            "slug": "new-hub",
            "name": "新服务平台",
            "operator": PlatformFactory(slug="hub-operator"),
            "regions": ["440000"],
            "launched_year": 2027,
        },
    )
    record = history_of(service_platform).get()
    assert record.changes["operator"]["after"] == "hub-operator"
    assert record.changes["regions"]["after"] == ["440000"]
