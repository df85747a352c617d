"""The attempt and result payloads are built directly on the hot paths (start, submit); they must stay
exactly what the documented serializers would write, for every question type, revealed or not."""

from decimal import Decimal

import pytest

from quizzes import selectors, services
from quizzes.api.serializers import (
    AttemptSerializer,
    QuestionMarkSerializer,
    QuestionReviewSerializer,
    QuestionSerializer,
    question_marks,
    question_review,
)
from tests.factories import UserFactory
from tests.quizzes.factories import question, quiz, right_answer, wrong_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(team):
    items = [
        question(name="单选", options=[("对", 100, "好"), ("错", 0, "再想想"), ("也错", 0, "")], points="2.5"),
        question(
            qtype="multiple",
            name="多选",
            options=[("甲", 50, "半对"), ("乙", 50, ""), ("丙", -100, "扣分")],
            explanation="<p>甲乙都对</p>",
        ),
        question(qtype="short", name="填空", options=[("RGB", 100, "正确"), ("rgb", 100, "")], points="1.333"),
        question(qtype="ordering", name="排序", options=[("一", 100, ""), ("二", 100, ""), ("三", 100, "")]),
        question(name="未答", options=[("对", 100, ""), ("错", 0, "")]),
    ]
    q = quiz(items, max_attempts=1, shuffle_choices=True, shuffle_questions=True)
    user = UserFactory(role="trainee", team=team)
    attempt = services.start_attempt(quiz=q, user=user)
    answers = {
        items[0].pk: right_answer(items[0]),
        items[1].pk: wrong_answer(items[1]),
        items[2].pk: {"text": "RGB"},
        items[3].pk: wrong_answer(items[3]),
    }
    services.save_answers(attempt=attempt, answers=answers)
    return services.submit_attempt(attempt=attempt, user=user)


@pytest.mark.parametrize("reveal", [True, False])
def test_result_questions_equal_the_serializers(finished, reveal):
    views = selectors.attempt_questions(attempt=finished, reveal=reveal, show_marks=True)
    assert any(view.fraction is not None for view in views) and any(view.options for view in views)
    if reveal:
        assert any(view.feedback for view in views) and any(view.accepted_answers for view in views)
        assert [question_review(view) for view in views] == QuestionReviewSerializer(views, many=True).data
    else:
        assert [question_marks(view) for view in views] == QuestionMarkSerializer(views, many=True).data


def test_marks_without_grading_are_null(finished):
    views = selectors.attempt_questions(attempt=finished, reveal=False, show_marks=False)
    built = [question_marks(view) for view in views]
    assert built == QuestionMarkSerializer(views, many=True).data
    assert {row["fraction"] for row in built} == {None}


def test_attempt_questions_equal_the_serializer(team):
    q = quiz([question(name="一", points="0.5"), question(qtype="short", name="二")], max_attempts=2)
    attempt = services.start_attempt(quiz=q, user=UserFactory(role="trainee", team=team))
    views = selectors.attempt_questions(attempt=attempt, reveal=False)
    data = AttemptSerializer(attempt, context={"questions": views, "now": attempt.started_at}).data
    assert data["questions"] == QuestionSerializer(views, many=True).data
    assert data["questions"][0]["points"] == f"{Decimal('0.5'):.2f}"
