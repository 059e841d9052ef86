from django.urls import path

from progress.api.views import StatsView

urlpatterns = [
    path("stats/", StatsView.as_view(), name="stats"),
]
