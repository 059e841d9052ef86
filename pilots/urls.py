"""The public pages of the pilots app (outside the API)."""

from django.urls import URLPattern, path

from pilots import views

urlpatterns: list[URLPattern] = [
    path("progress/", views.progress, name="progress"),
]
