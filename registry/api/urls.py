from rest_framework.routers import SimpleRouter

from registry.api import views

router = SimpleRouter()
router.register("platforms", views.PlatformViewSet)
router.register("resources", views.ResourceViewSet)
router.register("resource-types", views.ResourceTypeViewSet, basename="resource-type")
router.register("regions", views.RegionViewSet)
router.register("industries", views.IndustryViewSet)

urlpatterns = router.urls
