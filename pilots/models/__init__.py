from pilots.models.pilot import PilotProject
from pilots.models.scenario import Scenario
from pilots.models.service_platform import ServicePlatform

__all__ = ["PilotProject", "Scenario", "ServicePlatform"]
