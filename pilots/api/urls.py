from django.urls import path
from rest_framework.routers import SimpleRouter

from pilots.api import views
from pilots.api.stats_views import StatsView

router = SimpleRouter()
router.register("pilots", views.PilotProjectViewSet, basename="pilot")
router.register("scenarios", views.ScenarioViewSet)
router.register("service-platforms", views.ServicePlatformViewSet, basename="service-platform")

urlpatterns = [
    *router.urls,
    path("stats/", StatsView.as_view(), name="stats"),
]
