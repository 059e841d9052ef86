from notifications.models.delivery import Delivery
from notifications.models.subscription import Subscription

__all__ = ["Delivery", "Subscription"]
