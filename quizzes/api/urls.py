from django.urls import path
from rest_framework.routers import SimpleRouter

from . import bank, views

router = SimpleRouter()
router.register("quizzes", views.QuizViewSet, basename="quiz")

urlpatterns = router.urls + [
    path("attempts/<int:pk>/", views.AttemptView.as_view(), name="quiz-attempt"),
    path("attempts/<int:pk>/answers/", views.AttemptAnswersView.as_view(), name="quiz-attempt-answers"),
    path("attempts/<int:pk>/submit/", views.AttemptSubmitView.as_view(), name="quiz-attempt-submit"),
    path("attempts/<int:pk>/result/", views.AttemptResultView.as_view(), name="quiz-attempt-result"),
    path("attempts/<int:pk>/focus/", views.AttemptFocusView.as_view(), name="quiz-attempt-focus"),
    path("question-bank/import/", bank.QuestionImportView.as_view(), name="question-bank-import"),
    path("question-bank/export/", bank.QuestionExportView.as_view(), name="question-bank-export"),
]
