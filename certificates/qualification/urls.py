from django.urls import path, re_path

from . import views

app_name = "qualification"
urlpatterns = [
    path("", views.overview, name="overview"),
    re_path(r"^export\.(?P<fmt>xlsx|csv)$", views.overview_export, name="overview_export"),
    path("commendation/", views.commendation, name="commendation"),
    path("teams/<slug:code>/", views.team, name="team"),
    re_path(r"^teams/(?P<code>[-\w]+)/export\.(?P<fmt>xlsx|csv)$", views.team_export, name="team_export"),
]
