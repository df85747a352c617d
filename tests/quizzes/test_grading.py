"""Grading rules per question type, on the pure functions and through a real attempt."""

from decimal import Decimal

import pytest

from quizzes import grading
from quizzes.grading import Option
from quizzes.services import save_answers, start_attempt, submit_attempt

from .factories import question, quiz

D = Decimal


def opts(*weights):
    return [Option(pk=i + 1, text=f"o{i + 1}", weight=D(w), order=i) for i, w in enumerate(weights)]


class TestChoice:
    def test_single_right_wrong_and_two_chosen(self):
        options = opts(100, 0, 0)
        assert grading.grade("single", options, {"choices": [1]}) == 1
        assert grading.grade("single", options, {"choices": [2]}) == 0
        # Ticking every option is not a way to find the right one.
        assert grading.grade("single", options, {"choices": [1, 2]}) == 0
        assert grading.grade("single", options, {}) == 0

    def test_single_partial_weight(self):
        assert grading.grade("single", opts(100, 50, 0), {"choices": [2]}) == D("0.5")

    def test_multiple_partial_credit_by_weights(self):
        options = opts(50, 50, -100, -100)
        assert grading.grade("multiple", options, {"choices": [1, 2]}) == 1
        assert grading.grade("multiple", options, {"choices": [1]}) == D("0.5")

    def test_multiple_negative_weights_never_below_zero(self):
        options = opts(50, 50, -100, -100)
        assert grading.grade("multiple", options, {"choices": [1, 3]}) == 0
        assert grading.grade("multiple", options, {"choices": [3, 4]}) == 0
        assert grading.grade("multiple", opts(50, 50, -25), {"choices": [1, 2, 3]}) == D("0.75")

    def test_multiple_duplicate_ids_count_once(self):
        assert grading.grade("multiple", opts(50, 50, 0), {"choices": [1, 1]}) == D("0.5")

    def test_foreign_or_malformed_ids_earn_nothing(self):
        assert grading.grade("single", opts(100, 0), {"choices": [99]}) == 0
        assert grading.grade("single", opts(100, 0), {"choices": ["1"]}) == 0
        assert grading.grade("single", opts(100, 0), {"choices": [True]}) == 0


class TestShortAnswer:
    def test_case_and_full_width_insensitive(self):
        options = [Option(1, "RGB", D(100)), Option(2, "红绿蓝", D(100))]
        for given in ("rgb", "ＲＧＢ", "  Rgb ", "ｒｇｂ", "红绿蓝"):
            assert grading.grade("short", options, {"text": given}) == 1, given
        assert grading.grade("short", options, {"text": "CMYK"}) == 0

    def test_full_width_digits_punctuation_and_ideographic_space(self):
        options = [Option(1, "1200×300", D(100)), Option(2, "先审后发, 不审不发", D(100))]
        assert grading.grade("short", options, {"text": "１２００×３００"}) == 1
        assert grading.grade("short", options, {"text": "先审后发，\u3000不审不发"}) == 1

    def test_several_answers_best_weight_wins(self):
        options = [Option(1, "Frog", D(100)), Option(2, "Cat", D(50)), Option(3, "*", D(0))]
        assert grading.grade("short", options, {"text": "frog"}) == 1
        assert grading.grade("short", options, {"text": "CAT"}) == D("0.5")
        assert grading.grade("short", options, {"text": "dog"}) == 0

    def test_wildcard(self):
        options = [Option(1, "*后台*", D(100))]
        assert grading.grade("short", options, {"text": "网站后台管理"}) == 1
        assert grading.grade("short", options, {"text": "前台"}) == 0
        # Regex characters in an accepted answer are literal.
        assert grading.grade("short", [Option(1, "a.c", D(100))], {"text": "abc"}) == 0

    def test_blank_earns_nothing_even_with_catch_all(self):
        assert grading.grade("short", [Option(1, "*", D(100))], {"text": "   "}) == 0


class TestOrdering:
    def test_right_order_full_credit(self):
        assert grading.grade("ordering", opts(0, 0, 0, 0), {"order": [1, 2, 3, 4]}) == 1

    def test_partial_credit_per_right_neighbour(self):
        # 1→2 and 3→4 are right neighbours, 2→3 is broken: 2 of 3.
        assert grading.grade("ordering", opts(0, 0, 0, 0), {"order": [3, 4, 1, 2]}) == D("0.6667")
        assert grading.grade("ordering", opts(0, 0, 0, 0), {"order": [4, 3, 2, 1]}) == 0

    def test_incomplete_order_earns_nothing(self):
        assert grading.grade("ordering", opts(0, 0, 0), {"order": [1, 2]}) == 0


@pytest.mark.django_db
def test_attempt_score_points_and_pass_mark(trainee):
    single = question(name="单选", points="2")
    multiple = question(qtype="multiple", name="多选", options=[("甲", 50, ""), ("乙", 50, ""), ("丙", -100, "")])
    short = question(qtype="short", name="填空", options=[("ＲＧＢ", 100, "")])
    q = quiz([single, multiple, short], pass_mark=70)
    attempt = start_attempt(quiz=q, user=trainee)
    c = {ch.text: ch.pk for ch in multiple.choices.all()}
    save_answers(
        attempt=attempt,
        answers={single.pk: {"choices": [single.choices.get(text="对的").pk]}, multiple.pk: {"choices": [c["甲"]]}, short.pk: {"text": "rgb"}},
    )
    attempt = submit_attempt(attempt=attempt, user=trainee)
    # 2 + 0.5 + 1 of 4 points.
    assert attempt.score == D("3.50") and attempt.max_score == D("4.00")
    assert attempt.percent == D("87.50") and attempt.passed is True
    assert {r.question_id: r.score for r in attempt.responses.all()} == {single.pk: D("2.00"), multiple.pk: D("0.50"), short.pk: D("1.00")}


def test_full_marks_answers_earn_full_marks(trainee):
    from quizzes import selectors, services
    from tests.quizzes.factories import question, quiz

    items = [
        question(qtype="single"),
        question(qtype="multiple", options=[("甲", 50, ""), ("乙", 50, ""), ("丙", -100, "")]),
        question(qtype="short", options=[("rgb", 50, ""), ("RGB", 100, "")]),
        question(qtype="ordering", options=[("一", 0, ""), ("二", 0, ""), ("三", 0, "")]),
    ]
    attempt = services.start_attempt(quiz=quiz(items, shuffle_choices=True), user=trainee)
    graded = services.submit_attempt(attempt=attempt, user=trainee, answers=selectors.full_marks_answers(attempt=attempt))
    assert graded.percent == 100
