from django.db import models
from django.utils.translation import gettext_lazy as _


class PilotStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SELECTED = "selected", _("Selected")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")


# Selected or later: what counts toward the plan's "100 pilot projects".
PILOT_COUNTED = [
    PilotStatus.SELECTED,
    PilotStatus.IN_PROGRESS,
    PilotStatus.COMPLETED,
    PilotStatus.TERMINATED,
]


class ScenarioMaturity(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    IMPLEMENTABLE = "implementable", _("Implementable")


class AICapability(models.TextChoices):
    LARGE_MODEL = "large_model", _("Large model")
    AGENT = "agent", _("Agent")
    VISION = "vision", _("Computer vision")
    SPEECH = "speech", _("Speech")
    LANGUAGE = "language", _("Language understanding")
    KNOWLEDGE_GRAPH = "knowledge_graph", _("Knowledge graph")
    PREDICTION = "prediction", _("Prediction and optimisation")
    ROBOTICS = "robotics", _("Robotics and embodied AI")


class LeadKind(models.TextChoices):
    """Who leads a pilot project: a platform, or an SME named with its credit code."""

    PLATFORM = "platform", _("Platform")
    SME = "sme", _("SME")
