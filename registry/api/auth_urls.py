"""URLs of registration and API tokens, under ``/api/v1/auth/``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from registry.api import auth_views

router = SimpleRouter()
router.register("auth/tokens", auth_views.ApiTokenViewSet, basename="token")

urlpatterns = [
    path("auth/register/", auth_views.RegisterView.as_view(), name="register"),
    *router.urls,
]
