"""The public pages of the progress app (outside the API)."""

from django.urls import URLPattern, path

from progress import views

urlpatterns: list[URLPattern] = [
    path("progress/", views.progress, name="progress"),
]
