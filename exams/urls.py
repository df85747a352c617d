from django.urls import path

from . import views

app_name = "exams"
urlpatterns = [
    path("", views.my_exams, name="mine"),
    path("<int:sitting_id>/", views.sitting_page, name="sitting"),
    path("<int:sitting_id>/start/", views.start, name="start"),
    path("<int:sitting_id>/results/", views.results, name="results"),
]
