from openness.models.batch import Batch
from openness.models.entry import Entry
from openness.models.event import Event

__all__ = ["Batch", "Entry", "Event"]
