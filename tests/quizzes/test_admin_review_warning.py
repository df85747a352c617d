"""The admin warns (does not refuse) a trainer who saves a quiz whose answers would help the next attempt."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import rich_text

from quizzes.importing import ensure_category
from quizzes.models import Quiz

from .factories import question

pytestmark = pytest.mark.django_db
WARNING = "照抄"


@pytest.fixture
def author(client, site, trainer):
    client.force_login(trainer)
    return client


def quiz_post(*, policy, attempts, slots):
    data = {
        "title": "网站图片处理 · 结业测验",
        "instructions": rich_text(""),
        "pass_mark": "60",
        "time_limit_minutes": "",
        "max_attempts": str(attempts),
        "opens_at": "",
        "closes_at": "",
        "grading_method": "highest",
        "shuffle_questions": "on",
        "review_policy": policy,
        "is_published": "on",
        "slots-TOTAL_FORMS": str(len(slots)),
        "slots-INITIAL_FORMS": "0",
        "slots-MIN_NUM_FORMS": "1",
        "slots-MAX_NUM_FORMS": "1000",
    }
    for i, (item, category, n) in enumerate(slots):
        data.update(
            {
                f"slots-{i}-question": item.pk if item else "",
                f"slots-{i}-category": category.pk if category else "",
                f"slots-{i}-draw_count": str(n),
                f"slots-{i}-include_subcategories": "on",
                f"slots-{i}-ORDER": str(i + 1),
            }
        )
    return data


def _messages(response):
    return " ".join(str(m) for m in response.context["messages"]) if response.context else response.content.decode()


def test_saving_a_quiz_that_shows_answers_with_fixed_retries_warns_but_saves(author):
    item = question()
    response = author.post(
        reverse("wagtailsnippets_quizzes_quiz:add"),
        quiz_post(policy="immediately", attempts=3, slots=[(item, None, 1)]),
        follow=True,
    )
    assert response.status_code == 200 and Quiz.objects.count() == 1
    assert WARNING in response.content.decode()
    # Editing it to the default policy: no warning.
    quiz = Quiz.objects.get()
    edit = author.post(
        reverse("wagtailsnippets_quizzes_quiz:edit", args=[quiz.pk]),
        quiz_post(policy="after_last", attempts=3, slots=[(item, None, 1)]),
        follow=True,
    )
    assert edit.status_code == 200 and WARNING not in edit.content.decode()


def test_no_warning_for_one_attempt_or_a_large_enough_draw(author):
    item = question()
    category = ensure_category("题库/大")
    for n in range(6):
        question(category, name=f"大{n}")
    for policy, attempts, slots in (("immediately", 1, [(item, None, 1)]), ("immediately", 3, [(None, category, 2)])):
        response = author.post(
            reverse("wagtailsnippets_quizzes_quiz:add"), quiz_post(policy=policy, attempts=attempts, slots=slots), follow=True
        )
        assert response.status_code == 200 and WARNING not in response.content.decode()
    assert Quiz.objects.count() == 2


def test_a_draw_from_a_too_small_category_counts_as_fixed(author):
    category = ensure_category("题库/小")
    question(category, name="小1")
    question(category, name="小2")
    response = author.post(
        reverse("wagtailsnippets_quizzes_quiz:add"),
        quiz_post(policy="immediately", attempts=0, slots=[(None, category, 2)]),
        follow=True,
    )
    assert WARNING in response.content.decode()
