from openness.models.batch import Batch
from openness.models.delivery import Delivery
from openness.models.entry import Entry
from openness.models.subscription import Subscription

__all__ = ["Batch", "Delivery", "Entry", "Subscription"]
