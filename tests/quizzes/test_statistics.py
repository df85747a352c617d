"""Item analysis: facility, standard deviation, discrimination, flags, and the few-attempts warning."""

import pytest
from django.urls import reverse

from quizzes import services
from quizzes.statistics import quiz_statistics
from tests.factories import UserFactory

from .factories import question, quiz, right_answer, wrong_answer

pytestmark = pytest.mark.django_db


def test_figures_and_a_flag_on_a_question_with_a_wrong_key(team):
    good = [question(name=f"好题{i}") for i in range(4)]
    broken = question(name="答案标错")
    q = quiz([*good, broken])
    # Trainee k gets the first k good questions right; the broken one is "right" only for the weakest.
    for k in range(5):
        user = UserFactory(role="trainee", team=team)
        answers = {g.pk: right_answer(g) if i < k else wrong_answer(g) for i, g in enumerate(good)}
        answers[broken.pk] = right_answer(broken) if k <= 1 else wrong_answer(broken)
        services.submit_attempt(attempt=services.start_attempt(quiz=q, user=user), user=user, answers=answers)
    stats = quiz_statistics(quiz=q)
    assert stats.attempts == 5 and not stats.reliable
    items = {item.question.name: item for item in stats.items}
    assert items["好题0"].facility == pytest.approx(80.0)
    assert items["好题3"].facility == pytest.approx(20.0)
    assert items["好题0"].sd == pytest.approx(44.72, abs=0.01)
    assert items["好题1"].discrimination > 30 and not items["好题1"].broken
    assert items["答案标错"].discrimination < 0 and items["答案标错"].broken
    assert stats.mean_percent == pytest.approx(48.0) and stats.median_percent == pytest.approx(40.0)


def test_analysis_page_warns_below_twenty_attempts(client, trainer, trainee):
    item = question(name="唯一的题")
    q = quiz([item])
    services.submit_attempt(attempt=services.start_attempt(quiz=q, user=trainee), user=trainee, answers={item.pk: right_answer(item)})
    client.force_login(trainer)
    html = client.get(reverse("quizzes:analysis", args=[q.pk])).content.decode()
    assert "唯一的题" in html and "20" in html
