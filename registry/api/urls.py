from django.urls import path
from rest_framework.routers import SimpleRouter

from registry.api import views
from registry.api.views.exports import ResourceExportView

router = SimpleRouter()
router.register("platforms", views.PlatformViewSet)
router.register("resources", views.ResourceViewSet)
router.register("resource-types", views.ResourceTypeViewSet, basename="resource-type")
router.register("regions", views.RegionViewSet)
router.register("industries", views.IndustryViewSet)

urlpatterns = [
    path("exports/resources/", ResourceExportView.as_view(), name="resource-export"),
    *router.urls,
]
