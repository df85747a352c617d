from django.urls import path

from . import views

app_name = "practical"
urlpatterns = [
    path("tasks/<int:task_id>/", views.task_detail, name="task"),
    path("tasks/<int:task_id>/submit/", views.submit, name="submit"),
    path("tasks/<int:task_id>/original/", views.task_original, name="original"),
    path("submissions/<int:submission_id>/status/", views.submission_status, name="status"),
    path("submissions/<int:submission_id>/file/", views.submission_file, name="file"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<int:submission_id>/", views.review_detail, name="review"),
]
