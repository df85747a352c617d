from django.urls import path

from . import views

app_name = "quizzes"
urlpatterns = [
    path("quizzes/<int:quiz_id>/", views.quiz_detail, name="detail"),
    path("quizzes/<int:quiz_id>/start/", views.start, name="start"),
    path("quizzes/<int:quiz_id>/results/", views.results, name="results"),
    path("quizzes/<int:quiz_id>/analysis/", views.analysis, name="analysis"),
    path("quizzes/<int:quiz_id>/regrade/", views.regrade, name="regrade"),
    path("quizzes/attempts/<int:attempt_id>/", views.attempt_page, name="attempt"),
    path("quizzes/attempts/<int:attempt_id>/save/", views.save, name="save"),
    path("quizzes/attempts/<int:attempt_id>/submit/", views.submit, name="submit"),
    path("quizzes/attempts/<int:attempt_id>/result/", views.result, name="result"),
]
