from rest_framework.routers import SimpleRouter

from openness.api import views

router = SimpleRouter()
router.register("batches", views.BatchViewSet)
router.register("entries", views.EntryViewSet)
router.register("events", views.EventViewSet)

urlpatterns = router.urls
