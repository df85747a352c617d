from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("quizzes", views.QuizViewSet, basename="quiz")

urlpatterns = router.urls + [
    path("attempts/<int:pk>/", views.AttemptView.as_view(), name="quiz-attempt"),
    path("attempts/<int:pk>/answers/", views.AttemptAnswersView.as_view(), name="quiz-attempt-answers"),
    path("attempts/<int:pk>/submit/", views.AttemptSubmitView.as_view(), name="quiz-attempt-submit"),
    path("attempts/<int:pk>/result/", views.AttemptResultView.as_view(), name="quiz-attempt-result"),
]
