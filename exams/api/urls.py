from django.urls import path

from . import views

urlpatterns = [
    path("exams/mine/", views.MySittingsView.as_view(), name="exams-mine"),
    path("exams/mine/<int:pk>/", views.MySittingView.as_view(), name="exams-my-sitting"),
    path("exams/sittings/", views.ManagedSittingsView.as_view(), name="exams-sittings"),
    path("exams/sittings/<int:pk>/start/", views.StartView.as_view(), name="exams-start"),
    path("exams/sittings/<int:pk>/results/", views.ResultsView.as_view(), name="exams-results"),
]
