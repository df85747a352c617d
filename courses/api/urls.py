from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("courses", views.CourseViewSet, basename="course")
router.register("lessons", views.LessonViewSet, basename="lesson")

urlpatterns = router.urls + [
    path("me/enrollments/", views.MyEnrollmentsView.as_view(), name="my-enrollments"),
    path("people/<int:user_id>/progress/", views.PersonProgressView.as_view(), name="person-progress"),
]
