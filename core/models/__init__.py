from core.models.audit import ChangeRecord
from core.models.event import Event

__all__ = ["ChangeRecord", "Event"]
