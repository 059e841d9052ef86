from openness.models.batch import Batch
from openness.models.entry import Entry

__all__ = ["Batch", "Entry"]
