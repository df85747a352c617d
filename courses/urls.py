from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("my/", views.my_courses, name="my_courses"),
    path("my/courses/<int:course_id>/enroll/", views.enroll, name="enroll"),
    path("my/lessons/<int:lesson_id>/done/", views.mark_done, name="mark_done"),
    path("people/<int:user_id>/progress/", views.person_progress, name="person_progress"),
]
