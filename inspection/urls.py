from django.urls import path

from . import views

app_name = "inspection"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("register/", views.register, name="register"),
    path("sites/<int:pk>/", views.site_detail, name="site"),
    path("sites/<int:pk>/run/", views.start_run, name="start_run"),
    path("my/", views.my_items, name="my_items"),
    path("practice/", views.practice, name="practice"),
    path("teams/<slug:code>/", views.team_items, name="team"),
]
