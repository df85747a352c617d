"""API shapes. Nothing here carries a right answer, a weight or feedback unless the view says the
review policy allows it (QuestionReviewSerializer and `question_review` are only used then)."""

from decimal import ROUND_HALF_EVEN, Decimal

from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from ..models import Attempt, Quiz


class QuizSerializer(serializers.ModelSerializer):
    question_count = serializers.SerializerMethodField()
    my = serializers.SerializerMethodField(help_text="The signed-in user's standing: grade, passed, attempts used and left, open attempt id.")

    class Meta:
        model = Quiz
        fields = [
            "id", "title", "instructions", "pass_mark", "time_limit_minutes", "opens_at", "closes_at", "max_attempts",
            "grading_method", "review_policy", "question_count", "my",
        ]

    def get_question_count(self, quiz) -> int:
        return sum(1 if slot.question_id else slot.draw_count for slot in quiz.slots.all())

    def get_my(self, quiz) -> dict:
        outcome = self.context.get("outcomes", {}).get(quiz.pk)
        if outcome is None:
            return {}
        return {
            "grade": outcome.grade,
            "passed": outcome.passed,
            "attempts_used": outcome.used,
            "attempts_left": outcome.attempts_left,
            "open_attempt": outcome.open_attempt.pk if outcome.open_attempt else None,
        }


class OptionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    text = serializers.CharField()


class QuestionSerializer(serializers.Serializer):
    """A question as asked: stem and options in this attempt's order, and the saved answer."""

    number = serializers.IntegerField()
    id = serializers.IntegerField(source="question.pk")
    type = serializers.CharField(source="qtype")
    stem = serializers.CharField(source="question.stem", help_text="HTML")
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    options = OptionSerializer(many=True, help_text="Empty for short-answer questions.")
    answer = serializers.JSONField(help_text='{"choices": [ids]}, {"text": "…"} or {"order": [ids]}')


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "An attempt in progress",
            value={
                "id": 12, "quiz": 3, "number": 1, "status": "in_progress", "started_at": "2026-11-25T09:00:00+08:00",
                "deadline": "2026-11-25T09:20:00+08:00", "submitted_at": None, "seconds_left": 1140,
                "questions": [
                    {"number": 1, "id": 41, "type": "single", "stem": "<p>栏目内容为空时应当怎么办？</p>", "points": "1.00",
                     "options": [{"id": 201, "text": "及时补充内容或隐藏栏目"}, {"id": 202, "text": "挂出“正在建设中”"}], "answer": {}},
                    {"number": 2, "id": 42, "type": "short", "stem": "<p>网页图片应使用什么色彩模式？</p>", "points": "1.00",
                     "options": [], "answer": {"text": "RGB"}},
                ],
            },
        )
    ]
)
class AttemptSerializer(serializers.ModelSerializer):
    questions = serializers.SerializerMethodField()
    seconds_left = serializers.SerializerMethodField()

    class Meta:
        model = Attempt
        fields = ["id", "quiz", "number", "status", "started_at", "deadline", "submitted_at", "seconds_left", "questions"]

    @extend_schema_field(QuestionSerializer(many=True))
    def get_questions(self, attempt) -> list[dict]:
        # The shape of QuestionSerializer, built directly: in an exam storm every start returns 16
        # questions × 4 options, and the serializer machinery cost more CPU than the rest of the start.
        return [question_asked(view) for view in self.context["questions"]]

    def get_seconds_left(self, attempt) -> int | None:
        if attempt.deadline is None or attempt.is_finished:
            return None
        return max(0, int((attempt.deadline - self.context["now"]).total_seconds()))


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Save two answers",
            value={"answers": {"41": {"choices": [201]}, "42": {"text": "RGB"}}},
            request_only=True,
        )
    ]
)
class AnswersInputSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.JSONField(), help_text='{question id: answer}; answer is {"choices": [option ids]}, {"text": "…"} or {"order": [option ids]}'
    )

    def validate_answers(self, value):
        cleaned = {}
        for key, answer in value.items():
            try:
                cleaned[int(key)] = answer
            except (TypeError, ValueError):
                raise serializers.ValidationError(f"“{key}” is not a question id.")
        return cleaned


class SubmitInputSerializer(AnswersInputSerializer):
    answers = serializers.DictField(child=serializers.JSONField(), required=False, help_text="Last answers to save before submitting (optional).")


class SavedSerializer(serializers.Serializer):
    status = serializers.CharField()
    saved_at = serializers.DateTimeField()
    seconds_left = serializers.IntegerField(allow_null=True)


class ReviewOptionSerializer(OptionSerializer):
    chosen = serializers.BooleanField()
    weight = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    feedback = serializers.CharField()
    correct_position = serializers.IntegerField(allow_null=True)


class QuestionReviewSerializer(QuestionSerializer):
    options = ReviewOptionSerializer(many=True)
    fraction = serializers.DecimalField(max_digits=7, decimal_places=4, allow_null=True)
    score = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    accepted_answers = serializers.ListField(child=serializers.CharField())
    feedback = serializers.ListField(child=serializers.CharField())
    explanation = serializers.CharField(source="question.explanation")


class QuestionMarkSerializer(QuestionSerializer):
    fraction = serializers.DecimalField(max_digits=7, decimal_places=4, allow_null=True)
    score = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A passed attempt",
            value={
                "id": 12, "quiz": 3, "number": 1, "status": "submitted", "submitted_at": "2026-11-25T09:14:03+08:00",
                "auto_submitted": False, "score": "14.00", "max_score": "16.00", "percent": "87.50", "passed": True,
                "quiz_grade": "87.50", "quiz_passed": True, "attempts_left": 2, "answers_visible": True, "questions": [],
            },
        )
    ]
)
class ResultSerializer(serializers.ModelSerializer):
    quiz_grade = serializers.SerializerMethodField()
    quiz_passed = serializers.SerializerMethodField()
    attempts_left = serializers.SerializerMethodField()
    answers_visible = serializers.SerializerMethodField()
    questions = serializers.SerializerMethodField(help_text="With right answers and feedback only when the review policy allows.")

    class Meta:
        model = Attempt
        fields = [
            "id", "quiz", "number", "status", "submitted_at", "auto_submitted", "score", "max_score", "percent", "passed",
            "quiz_grade", "quiz_passed", "attempts_left", "answers_visible", "questions",
        ]

    def get_quiz_grade(self, attempt) -> str | None:
        grade = self.context["outcome"].grade
        return None if grade is None else str(grade)

    def get_quiz_passed(self, attempt) -> bool:
        return self.context["outcome"].passed

    def get_attempts_left(self, attempt) -> int | None:
        return self.context["outcome"].attempts_left

    def get_answers_visible(self, attempt) -> bool:
        return self.context["reveal"]

    def get_questions(self, attempt) -> list[dict]:
        # The shapes of QuestionReviewSerializer / QuestionMarkSerializer, built directly: every submit
        # of an exam day returns 16 questions, and the nested serializers cost a quarter of the submit's
        # CPU. tests/quizzes/test_api_shapes.py holds the two equal.
        build = question_review if self.context["reveal"] else question_marks
        return [build(view) for view in self.context["questions"]]


def _decimal(value, places: int) -> str | None:
    """What DRF's DecimalField (coerce_to_string) writes: fixed places, half-even rounding."""
    if value is None:
        return None
    return f"{Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN):f}"


def _text(value) -> str | None:
    return None if value is None else str(value)


def _asked(view) -> dict:
    """QuestionSerializer's fields, options aside."""
    return {
        "number": view.number, "id": view.question.pk, "type": view.qtype, "stem": _text(view.question.stem),
        "points": _decimal(view.points, 2), "answer": view.answer,
    }


def question_asked(view) -> dict:
    """QuestionSerializer(view).data, built directly: a question as the attempt asks it."""
    return {**_asked(view), "options": [{"id": option.pk, "text": _text(option.text)} for option in view.options]}


def question_marks(view) -> dict:
    """QuestionMarkSerializer(view).data, built directly."""
    return {
        **question_asked(view),
        "fraction": _decimal(view.fraction, 4),
        "score": _decimal(view.score, 2),
    }


def question_review(view) -> dict:
    """QuestionReviewSerializer(view).data, built directly."""
    return {
        **_asked(view),
        "options": [
            {
                "id": option.pk, "text": _text(option.text), "chosen": bool(option.chosen), "weight": _decimal(option.weight, 2),
                "feedback": _text(option.feedback), "correct_position": option.correct_position,
            }
            for option in view.options
        ],
        "fraction": _decimal(view.fraction, 4),
        "score": _decimal(view.score, 2),
        "accepted_answers": [str(text) for text in view.accepted_answers],
        "feedback": [str(text) for text in view.feedback],
        "explanation": _text(view.question.explanation),
    }


class ResultRowSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(source="user.pk")
    username = serializers.CharField(source="user.username")
    full_name = serializers.CharField(source="user.get_full_name")
    team = serializers.CharField(source="team.code", allow_null=True, default=None)
    grade = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    passed = serializers.BooleanField()
    attempts = serializers.SerializerMethodField()

    def get_attempts(self, row) -> list[dict]:
        return [
            {"id": a.pk, "number": a.number, "status": a.status, "percent": None if a.percent is None else str(a.percent),
             "passed": a.passed, "submitted_at": a.submitted_at,
             "focus_losses": getattr(a, "focus_loss_count", 0), "seconds_away": getattr(a, "seconds_away", 0)}
            for a in row.attempts
        ]


class ItemStatsSerializer(serializers.Serializer):
    question_id = serializers.IntegerField(source="question.pk")
    name = serializers.CharField(source="question.name")
    attempts = serializers.IntegerField()
    facility = serializers.FloatField(allow_null=True)
    sd = serializers.FloatField(allow_null=True)
    discrimination = serializers.FloatField(allow_null=True)
    flags = serializers.ListField(child=serializers.CharField())


class StatisticsSerializer(serializers.Serializer):
    attempts = serializers.IntegerField()
    reliable = serializers.BooleanField()
    mean_percent = serializers.FloatField(allow_null=True)
    median_percent = serializers.FloatField(allow_null=True)
    items = ItemStatsSerializer(many=True)
