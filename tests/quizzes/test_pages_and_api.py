"""Pages and API: taking a quiz, no answer leaks before the review policy allows, who may see what."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes import services
from quizzes.models import Attempt, ReviewPolicy
from tests.factories import UserFactory

from .factories import question, quiz, right_answer

pytestmark = pytest.mark.django_db

SECRET_FEEDBACK = "秘密反馈：答对了"
SECRET_EXPLANATION = "解析：栏目无空白是基本要求"


@pytest.fixture
def bank():
    single = question(name="栏目", stem="<p>栏目内容为空时应当怎么办？</p>",
                      options=[("及时补充或隐藏", 100, SECRET_FEEDBACK), ("挂出建设中", 0, "不对")], explanation=f"<p>{SECRET_EXPLANATION}</p>")
    short = question(qtype="short", name="色彩", stem="<p>网页图片使用什么色彩模式？</p>", options=[("RGB标准答案", 100, "")])
    return single, short


def login(client, user):
    client.force_login(user)
    return client


def test_take_a_quiz_through_the_pages(client, trainee, bank):
    single, short = bank
    q = quiz([single, short], review_policy=ReviewPolicy.IMMEDIATELY)
    login(client, trainee)
    page = client.get(reverse("quizzes:detail", args=[q.pk]))
    assert page.status_code == 200
    response = client.post(reverse("quizzes:start", args=[q.pk]))
    attempt = Attempt.objects.get(user=trainee)
    assert response.url == reverse("quizzes:attempt", args=[attempt.pk])
    html = client.get(response.url).content.decode()
    assert "栏目内容为空时应当怎么办" in html
    # Neither the right answer, nor weights, nor feedback are in the page.
    for secret in (SECRET_FEEDBACK, SECRET_EXPLANATION, "RGB标准答案", "fraction", "weight"):
        assert secret not in html
    right = single.choices.get(fraction=100).pk
    client.post(reverse("quizzes:save", args=[attempt.pk]), {f"q{single.pk}": str(right), f"q{short.pk}": "ｒｇｂ标准答案"})
    assert "checked" in client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    response = client.post(reverse("quizzes:submit", args=[attempt.pk]), {f"q{single.pk}": str(right), f"q{short.pk}": "rgb标准答案"})
    assert response.url == reverse("quizzes:result", args=[attempt.pk])
    result = client.get(response.url).content.decode()
    assert "100%" in result and SECRET_FEEDBACK in result and SECRET_EXPLANATION in result


def test_review_policy_after_close_and_never(client, trainee, bank):
    single, _short = bank
    for policy, closes in ((ReviewPolicy.AFTER_CLOSE, timezone.now() + timedelta(days=1)), (ReviewPolicy.NEVER, None)):
        q = quiz([single], review_policy=policy, closes_at=closes)
        attempt = services.submit_attempt(attempt=services.start_attempt(quiz=q, user=trainee), user=trainee, answers={single.pk: right_answer(single)})
        login(client, trainee)
        html = client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()
        assert "100%" in html and SECRET_FEEDBACK not in html and SECRET_EXPLANATION not in html
        api = client.get(f"/api/v1/attempts/{attempt.pk}/result/").json()
        assert api["answers_visible"] is False and SECRET_FEEDBACK not in json.dumps(api, ensure_ascii=False)
        assert "weight" not in api["questions"][0]["options"][0]
    # Once the quiz has closed, the after-close policy shows the answers.
    q = quiz([single], review_policy=ReviewPolicy.AFTER_CLOSE, closes_at=timezone.now() + timedelta(hours=1))
    attempt = services.submit_attempt(attempt=services.start_attempt(quiz=q, user=trainee), user=trainee)
    q.closes_at = timezone.now() - timedelta(minutes=1)
    q.save()
    assert SECRET_FEEDBACK not in client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()  # not chosen
    assert SECRET_EXPLANATION in client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()


def test_api_flow_and_no_leaks(client, trainee, bank):
    single, short = bank
    q = quiz([single, short], time_limit_minutes=20, max_attempts=2, review_policy=ReviewPolicy.IMMEDIATELY)
    login(client, trainee)
    listing = client.get("/api/v1/quizzes/").json()
    assert listing["results"][0]["question_count"] == 2 and listing["results"][0]["my"]["attempts_used"] == 0
    start = client.post(f"/api/v1/quizzes/{q.pk}/attempts/")
    assert start.status_code == 201
    body = start.json()
    assert 1100 < body["seconds_left"] <= 1200
    dumped = json.dumps(body, ensure_ascii=False)
    for secret in (SECRET_FEEDBACK, SECRET_EXPLANATION, "RGB标准答案", "fraction", "weight", "explanation"):
        assert secret not in dumped
    assert client.post(f"/api/v1/quizzes/{q.pk}/attempts/").status_code == 200  # resumes
    attempt_id = body["id"]
    right = single.choices.get(fraction=100).pk
    saved = client.put(f"/api/v1/attempts/{attempt_id}/answers/", {"answers": {str(single.pk): {"choices": [right]}}}, content_type="application/json")
    assert saved.status_code == 200
    assert client.get(f"/api/v1/attempts/{attempt_id}/").json()["questions"][0]["answer"] == {"choices": [right]}
    bad = client.put(f"/api/v1/attempts/{attempt_id}/answers/", {"answers": {str(single.pk): {"choices": [999999]}}}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_answer"
    assert client.get(f"/api/v1/attempts/{attempt_id}/result/").status_code == 409
    submitted = client.post(f"/api/v1/attempts/{attempt_id}/submit/", {"answers": {str(short.pk): {"text": "RGB标准答案"}}}, content_type="application/json")
    assert submitted.status_code == 200
    result = submitted.json()
    assert result["percent"] == "100.00" and result["passed"] and result["attempts_left"] == 1 and result["answers_visible"]
    assert result["questions"][0]["explanation"]
    again = client.post(f"/api/v1/attempts/{attempt_id}/submit/", {}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "attempt_closed"
    late = client.put(f"/api/v1/attempts/{attempt_id}/answers/", {"answers": {}}, content_type="application/json")
    assert late.status_code == 409


def test_api_refuses_late_answers_and_finalises(client, trainee, bank):
    single, _ = bank
    q = quiz([single], time_limit_minutes=5)
    attempt = services.start_attempt(quiz=q, user=trainee, now=timezone.now() - timedelta(minutes=10))
    login(client, trainee)
    right = single.choices.get(fraction=100).pk
    response = client.put(f"/api/v1/attempts/{attempt.pk}/answers/", {"answers": {str(single.pk): {"choices": [right]}}}, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "attempt_closed"
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.auto_submitted and attempt.percent == 0


def test_a_trainee_cannot_read_or_touch_another_trainees_attempt(client, trainee, other_trainee, bank):
    single, _ = bank
    q = quiz([single])
    attempt = services.start_attempt(quiz=q, user=trainee)
    login(client, other_trainee)
    for url in (reverse("quizzes:attempt", args=[attempt.pk]), reverse("quizzes:result", args=[attempt.pk]),
                f"/api/v1/attempts/{attempt.pk}/", f"/api/v1/attempts/{attempt.pk}/result/"):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("quizzes:save", args=[attempt.pk]), {}).status_code == 404
    assert client.post(reverse("quizzes:submit", args=[attempt.pk]), {}).status_code == 404
    assert client.put(f"/api/v1/attempts/{attempt.pk}/answers/", {"answers": {}}, content_type="application/json").status_code == 404
    assert client.post(f"/api/v1/attempts/{attempt.pk}/submit/", {}, content_type="application/json").status_code == 404
    attempt.refresh_from_db()
    assert not attempt.is_finished
    # Trainee-level users see no results or statistics.
    assert client.get(reverse("quizzes:results", args=[q.pk])).status_code == 403
    assert client.get(reverse("quizzes:analysis", args=[q.pk])).status_code == 403
    assert client.post(reverse("quizzes:regrade", args=[q.pk])).status_code == 403
    assert client.get(f"/api/v1/quizzes/{q.pk}/results/").status_code == 403
    assert client.get(f"/api/v1/quizzes/{q.pk}/statistics/").status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, bank):
    q = quiz([bank[0]])
    assert client.get(reverse("quizzes:detail", args=[q.pk])).status_code == 302
    assert client.get("/api/v1/quizzes/").status_code in (401, 403)


def test_trainer_results_only_for_supervised_teams(client, trainee, other_trainee, trainer, team, team_lead, bank):
    single, _ = bank
    q = quiz([single])
    mine = services.submit_attempt(attempt=services.start_attempt(quiz=q, user=trainee), user=trainee, answers={single.pk: right_answer(single)})
    theirs = services.submit_attempt(attempt=services.start_attempt(quiz=q, user=other_trainee), user=other_trainee)
    login(client, trainer)
    html = client.get(reverse("quizzes:results", args=[q.pk])).content.decode()
    assert trainee.full_name in html and other_trainee.full_name not in html
    assert client.get(reverse("quizzes:results", args=[q.pk]), {"team": "lixian"}).status_code == 404
    assert client.get(reverse("quizzes:results", args=[q.pk]), {"team": team.code}).status_code == 200
    rows = client.get(f"/api/v1/quizzes/{q.pk}/results/").json()
    assert [r["username"] for r in rows] == [trainee.username] and rows[0]["passed"]
    # The trainer sees the supervised trainee's attempt with answers, not the other team's.
    assert SECRET_EXPLANATION in client.get(reverse("quizzes:result", args=[mine.pk])).content.decode()
    assert client.get(reverse("quizzes:result", args=[theirs.pk])).status_code == 404
    assert client.get(f"/api/v1/attempts/{theirs.pk}/result/").status_code == 404
    assert client.get(reverse("quizzes:analysis", args=[q.pk])).status_code == 200
    # A team lead sees their team's results but cannot regrade or see the item analysis.
    login(client, team_lead)
    assert trainee.full_name in client.get(reverse("quizzes:results", args=[q.pk])).content.decode()
    assert client.get(reverse("quizzes:analysis", args=[q.pk])).status_code == 403
    assert client.post(reverse("quizzes:regrade", args=[q.pk])).status_code == 403


def test_bureau_admin_sees_every_team_and_regrades(client, trainee, other_trainee, bureau_admin, bank):
    single, _ = bank
    q = quiz([single])
    for user in (trainee, other_trainee):
        services.submit_attempt(attempt=services.start_attempt(quiz=q, user=user), user=user)
    login(client, bureau_admin)
    assert len(client.get(f"/api/v1/quizzes/{q.pk}/results/").json()) == 2
    response = client.post(reverse("quizzes:regrade", args=[q.pk]), follow=True)
    assert response.status_code == 200


def test_results_page_query_count_does_not_grow(client, trainer, team, django_assert_max_num_queries, bank):
    single, _ = bank
    q = quiz([single])
    for _n in range(12):
        user = UserFactory(role="trainee", team=team)
        services.submit_attempt(attempt=services.start_attempt(quiz=q, user=user), user=user)
    login(client, trainer)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("quizzes:results", args=[q.pk])).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("quizzes:analysis", args=[q.pk])).status_code == 200


def test_schema_lists_the_quiz_api(client, trainee):
    login(client, trainee)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/quizzes/{id}/attempts/", "/api/v1/attempts/{id}/answers/", "/api/v1/attempts/{id}/submit/",
                 "/api/v1/attempts/{id}/result/", "/api/v1/quizzes/{id}/results/"):
        assert path in schema
    assert "栏目内容为空时应当怎么办" in schema  # the examples


def test_options_on_quiz_actions_is_not_an_error(client, trainee):
    from tests.quizzes.factories import question, quiz

    q = quiz([question()], is_published=True)
    client.force_login(trainee)
    assert client.options(f"/api/v1/quizzes/{q.pk}/attempts/").status_code == 200
    assert client.options("/api/v1/quizzes/").status_code == 200
