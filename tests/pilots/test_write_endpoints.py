"""The pilots' write routes, each with the generic write cases (``tests.api_write_cases``): pilot
projects and their workflow, application scenarios and service platforms.

Writes are the curators' (a publisher is refused, 403); every object is versioned: a PATCH needs a
current If-Match, a transition refuses a stale one."""

from typing import Any

from pilots.models import PilotProject, Scenario, ServicePlatform
from tests.api_write_cases import (
    CreateEndpointTests,
    IfMatchOptionalTests,
    IfMatchRequiredTests,
    StatusGuardTests,
    TransitionEndpointTests,
    WriteEndpointTests,
)
from tests.factories import ScenarioFactory, ServicePlatformFactory
from tests.pilots.helpers import implementable_scenario, pilot_body, pilot_in

RENAMED = {"name": "新名称"}


class PilotWrite(StatusGuardTests):
    """A write to a pilot in ``source``, refused (409) to one in ``wrong``."""

    source: str
    wrong: str

    def make(self) -> Any:
        return pilot_in(self.source)

    def make_in_wrong_status(self) -> Any:
        return pilot_in(self.wrong)


class PilotTransition(IfMatchOptionalTests, PilotWrite, TransitionEndpointTests):
    """A pilot's workflow action."""


# Pilot projects ---------------------------------------------------------------------------------


class TestPilotCreate(CreateEndpointTests):
    route = "POST pilots/"
    model = PilotProject
    data = pilot_body(lead={"platform": "platform-a"})


class TestPilotUpdate(IfMatchRequiredTests, PilotWrite, WriteEndpointTests):
    route = "PATCH pilots/{code}/"
    source, wrong = "proposed", "terminated"  # a terminated pilot is final
    data = RENAMED


class TestPilotSelect(PilotTransition):
    route = "POST pilots/{code}/select/"
    source, wrong = "proposed", "selected"


class TestPilotStart(PilotTransition):
    route = "POST pilots/{code}/start/"
    source, wrong = "selected", "proposed"


class TestPilotComplete(PilotTransition):
    route = "POST pilots/{code}/complete/"
    source, wrong = "in_progress", "selected"


class TestPilotTerminate(PilotTransition):
    route = "POST pilots/{code}/terminate/"
    source, wrong = "selected", "completed"
    data = {"reason": "牵头单位退出试点"}


# Scenarios --------------------------------------------------------------------------------------


class TestScenarioCreate(CreateEndpointTests):
    route = "POST scenarios/"
    model = Scenario
    data = {"code": "SCN-NEW", "name": "智能客服", "industry": "I", "ai_capability": "agent"}


class TestScenarioUpdate(IfMatchRequiredTests, WriteEndpointTests):
    route = "PATCH scenarios/{code}/"
    data = RENAMED

    def make(self) -> Any:
        return ScenarioFactory(code="SCN-EDIT")


class TestScenarioMarkImplementable(IfMatchOptionalTests, TransitionEndpointTests):
    route = "POST scenarios/{code}/mark-implementable/"

    def make(self) -> Any:
        return ScenarioFactory(code="SCN-CAND")

    def make_in_wrong_status(self) -> Any:
        return implementable_scenario()


# Service platforms ------------------------------------------------------------------------------


class TestServicePlatformCreate(CreateEndpointTests):
    route = "POST service-platforms/"
    model = ServicePlatform
    data = {
        "slug": "hub-new",
        "name": "新服务平台",
        "operator": "platform-a",
        "services": ["算力券申领"],
        "regions": ["440000"],
        "launched_year": 2026,
    }


class TestServicePlatformUpdate(IfMatchRequiredTests, WriteEndpointTests):
    route = "PATCH service-platforms/{slug}/"
    data = RENAMED

    def make(self) -> Any:
        return ServicePlatformFactory(slug="hub-edit", operator=self.platform_a)
