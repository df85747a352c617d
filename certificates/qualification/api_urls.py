from django.urls import path

from . import api

urlpatterns = [
    path("teams/", api.TeamListView.as_view(), name="qualification-teams"),
    path("teams/<str:code>/qualification/", api.TeamQualificationView.as_view(), name="qualification-team"),
    path("qualification/overview/", api.OverviewView.as_view(), name="qualification-overview"),
]
