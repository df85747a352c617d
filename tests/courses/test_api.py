"""The /api/v1/ courses, lessons, enrolments and progress endpoints, and the schema."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from courses import services
from tests.factories import LessonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(trainee):
    client = APIClient()
    client.force_authenticate(trainee)
    return client


def test_api_needs_authentication(course):
    assert APIClient().get("/api/v1/courses/").status_code in (401, 403)


def test_token_authentication(trainee, course):
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": trainee.username, "password": "pass12345"}, format="json")
    token = response.json()["token"]
    assert Token.objects.get(key=token).user == trainee
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/courses/").status_code == 200


def test_courses_and_lessons_are_published_only(api, course):
    draft = LessonFactory(parent=course, title="草稿", publish=False)
    courses = api.get("/api/v1/courses/").json()["results"]
    assert [c["title"] for c in courses] == ["网站后台管理"]
    lessons = api.get(f"/api/v1/courses/{course.pk}/lessons/").json()
    assert [lesson["title"] for lesson in lessons] == ["第1课", "第2课", "第3课"]
    assert all(lesson["course_id"] == course.pk for lesson in lessons)
    assert api.get(f"/api/v1/lessons/{draft.pk}/").status_code == 404
    all_lessons = api.get("/api/v1/lessons/").json()["results"]
    assert draft.pk not in [lesson["id"] for lesson in all_lessons]


def test_lesson_detail_has_rendered_body(api, course):
    lesson = course.lessons().first()
    data = api.get(f"/api/v1/lessons/{lesson.pk}/").json()
    assert "登录后台" in data["body_html"]
    assert data["course_id"] == course.pk


def test_enrol_and_complete_lessons(api, course):
    response = api.post("/api/v1/me/enrollments/", {"course_id": course.pk}, format="json")
    assert response.status_code == 201 and response.json()["enrolled"] is True
    lessons = list(course.lessons())
    for lesson in lessons:
        progress = api.post(f"/api/v1/lessons/{lesson.pk}/complete/").json()
    assert progress["percent"] == 100 and progress["completed_at"] is not None
    mine = api.get("/api/v1/me/enrollments/").json()
    assert mine[0]["done_lesson_ids"] == [lesson.pk for lesson in lessons]


def test_enrol_in_unknown_course_is_404(api):
    assert api.post("/api/v1/me/enrollments/", {"course_id": 999999}, format="json").status_code == 404
    assert api.post("/api/v1/me/enrollments/", {"course_id": "abc"}, format="json").status_code == 400


def test_cannot_read_another_trainees_progress(api, other_trainee, course):
    services.enroll(user=other_trainee, course=course)
    assert api.get(f"/api/v1/people/{other_trainee.pk}/progress/").status_code == 404


def test_trainer_reads_supervised_trainees_progress(trainer, trainee, other_trainee, course):
    services.enroll(user=trainee, course=course)
    client = APIClient()
    client.force_authenticate(trainer)
    data = client.get(f"/api/v1/people/{trainee.pk}/progress/").json()
    assert data[0]["course"]["title"] == "网站后台管理"
    assert client.get(f"/api/v1/people/{other_trainee.pk}/progress/").status_code == 404


def test_schema_and_docs(api):
    schema = api.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/courses/" in text and "/admin/api/" not in text
    assert api.get("/api/docs/").status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/courses/abc/", "/api/v1/lessons/null,null/", "/api/v1/quizzes/null,null/results/"])
def test_non_numeric_ids_are_404(api, url):
    assert api.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/api/v1/lessons/99999999999999999999999/", "/api/v1/attempts/99999999999999999999999/"])
def test_ids_too_large_for_the_database_are_404(api, url):
    response = api.get(url)
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")


def test_pages_with_huge_ids_are_404(client, trainee):
    client.force_login(trainee)
    assert client.get("/quizzes/99999999999999999999999/").status_code == 404
