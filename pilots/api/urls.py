from rest_framework.routers import SimpleRouter

from pilots.api import views

router = SimpleRouter()
router.register("pilots", views.PilotProjectViewSet, basename="pilot")
router.register("scenarios", views.ScenarioViewSet)
router.register("service-platforms", views.ServicePlatformViewSet, basename="service-platform")

urlpatterns = router.urls
