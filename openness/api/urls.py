from django.urls import path
from rest_framework.routers import SimpleRouter

from openness.api import views
from openness.api.dcat import DcatExportView

router = SimpleRouter()
router.register("batches", views.BatchViewSet)
router.register("entries", views.EntryViewSet)
router.register("events", views.EventViewSet)

urlpatterns = [
    path("exports/dcat/", DcatExportView.as_view(), name="dcat-export"),
    *router.urls,
]
