"""The attempt page's questions (quizzes/attempt_markup.py, built without the template engine): every
question in the attempt's order, with its inputs, the saved answers ticked, and nothing unescaped."""

import pytest
from django.test import Client
from django.urls import reverse
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from quizzes import services
from tests.factories import UserFactory
from tests.quizzes.factories import question, quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(team):
    items = [
        question(
            name="单选", stem="<p>哪个<b>对</b>？</p>", options=[("<script>alert(1)</script>", 100, ""), ("错 & 否", 0, "")]
        ),
        question(qtype="multiple", name="多选", options=[("甲", 50, ""), ("乙", 50, ""), ("丙", -100, "")], points="2.5"),
        question(qtype="short", name="填空", options=[("RGB", 100, "")]),
        question(qtype="ordering", name="排序", options=[("一", 100, ""), ("二", 100, ""), ("三", 100, "")]),
    ]
    q = quiz(items, shuffle_questions=True, shuffle_choices=True)
    user = UserFactory(role="trainee", team=team)
    attempt = services.start_attempt(quiz=q, user=user)
    multiple = list(items[1].choices.order_by("sort_order"))
    services.save_answers(
        attempt=attempt,
        answers={items[1].pk: {"choices": [multiple[0].pk, multiple[2].pk]}, items[2].pk: {"text": '<i>"RGB"</i>'}},
    )
    client = Client()
    client.force_login(user)
    return attempt, items, client


def _page(client, attempt, language="zh-hans"):
    response = client.get(reverse("quizzes:attempt", args=[attempt.pk]), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode(), HTMLParser(response.content.decode())


def test_questions_in_the_attempts_order_with_their_inputs(started):
    attempt, items, client = started
    html, tree = _page(client, attempt)
    fieldsets = tree.css("fieldset.quiz-question")
    assert [int(f.attributes["data-qid"]) for f in fieldsets] == [item["q"] for item in attempt.layout]
    assert [f.css_first(".quiz-question__number").text() for f in fieldsets] == ["1", "2", "3", "4"]
    by_id = {int(f.attributes["data-qid"]): f for f in fieldsets}
    for item in attempt.layout:
        box = by_id[item["q"]]
        if item["t"] in ("single", "multiple"):
            values = [int(i.attributes["value"]) for i in box.css("input")]
            assert values == item["choices"]  # the attempt's own option order
            assert {i.attributes["type"] for i in box.css("input")} == {"checkbox" if item["t"] == "multiple" else "radio"}
        elif item["t"] == "ordering":
            assert [s.attributes["name"] for s in box.css("select")] == [f"q{item['q']}_pos_{c}" for c in item["choices"]]
            assert [s.css_first("option[selected]").attributes["value"] for s in box.css("select")] == ["1", "2", "3"]
    # Saved answers come back ticked and filled in.
    multiple = list(items[1].choices.order_by("sort_order"))
    ticked = {int(i.attributes["value"]) for i in by_id[items[1].pk].css("input[checked]")}
    assert ticked == {multiple[0].pk, multiple[2].pk}
    assert by_id[items[2].pk].css_first("input.quiz-input").attributes["value"] == '<i>"RGB"</i>'
    # Labels in Chinese, the stem's markup kept, option text escaped.
    assert "2.50 分" in by_id[items[1].pk].text()
    assert by_id[items[0].pk].css_first(".quiz-question__stem b").text() == "对"
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "错 &amp; 否" in html


def test_labels_follow_the_language(started):
    attempt, items, client = started
    client.cookies["django_language"] = "en"
    html, tree = _page(client, attempt, language="en")
    if "Choose all that apply" not in html:
        pytest.skip("English is not the language this request resolved to")
    assert "2.50 points" in html and "Type your answer" in html
    client.cookies["django_language"] = "zh-hans"
    html, _tree = _page(client, attempt)
    assert "请输入答案" in html and "Type your answer" not in html


def test_a_changed_stem_shows_at_once(started):
    attempt, items, client = started
    _page(client, attempt)
    items[0].stem = "<p>改过的题干</p>"
    items[0].save()
    attempt.quiz.refresh_from_db()
    html, _tree = _page(client, attempt)
    assert "改过的题干" in html
