from rest_framework.routers import SimpleRouter

from notifications.api import views

router = SimpleRouter()
router.register("subscriptions", views.SubscriptionViewSet)
router.register("deliveries", views.DeliveryViewSet)

urlpatterns = router.urls
