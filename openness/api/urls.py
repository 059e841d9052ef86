from rest_framework.routers import SimpleRouter

from openness.api import subscription_views, views

router = SimpleRouter()
router.register("batches", views.BatchViewSet)
router.register("entries", views.EntryViewSet)
router.register("events", views.EventViewSet)
router.register("subscriptions", subscription_views.SubscriptionViewSet)
router.register("deliveries", subscription_views.DeliveryViewSet)

urlpatterns = router.urls
