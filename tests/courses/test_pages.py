"""Pages render for the people who use them, in Chinese, and hide what they should."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import services
from tests.factories import CourseFactory, LessonFactory

pytestmark = pytest.mark.django_db


def test_home_and_catalogue_are_public(client, course):
    home = client.get("/")
    assert home.status_code == 200
    assert "站长学堂" in home.content.decode()
    catalogue = client.get("/courses/")
    assert catalogue.status_code == 200
    assert "网站后台管理" in catalogue.content.decode()


def test_course_page_lists_lessons_and_invites_to_enrol(client, trainee, course):
    client.force_login(trainee)
    page = client.get(course.url).content.decode()
    assert "第1课" in page and "第3课" in page
    assert "报名并开始学习" in page


def test_lesson_needs_login(client, course):
    lesson = course.lessons().first()
    response = client.get(lesson.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_lesson_page_shows_body_and_mark_done(client, trainee, course):
    client.force_login(trainee)
    lesson = course.lessons().first()
    page = client.get(lesson.url).content.decode()
    assert "登录后台" in page
    assert "标记为已完成" in page


def test_mark_done_button_moves_to_next_lesson(client, trainee, course):
    client.force_login(trainee)
    first, second, _ = list(course.lessons())
    response = client.post(f"/my/lessons/{first.pk}/done/")
    assert response.status_code == 302 and response["Location"] == second.url
    assert "已完成" in client.get(first.url).content.decode()


def test_mark_done_needs_post(client, trainee, course):
    client.force_login(trainee)
    assert client.get(f"/my/lessons/{course.lessons().first().pk}/done/").status_code == 405


def test_draft_lesson_is_not_served(client, trainee, course):
    draft = LessonFactory(parent=course, title="未发布的课", publish=False)
    client.force_login(trainee)
    assert client.get(f"{course.url}{draft.slug}/").status_code == 404
    assert client.post(f"/my/lessons/{draft.pk}/done/").status_code == 404


def test_my_courses_shows_continue(client, trainee, course):
    services.enroll(user=trainee, course=course)
    client.force_login(trainee)
    page = client.get("/my/").content.decode()
    assert "我的课程" in page and "继续学习" in page and "网站后台管理" in page


def test_english_is_available(client, course):
    client.post("/i18n/setlang/", {"language": "en", "next": "/courses/"})
    assert "Course catalogue" in client.get("/courses/").content.decode()


def test_login_page_in_chinese_and_wrong_password_message(client, trainee):
    assert "登录" in client.get("/accounts/login/").content.decode()
    response = client.post("/accounts/login/", {"username": trainee.username, "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_person_progress_hidden_from_other_teams(client, trainee, other_trainee, team_lead, course):
    services.enroll(user=trainee, course=course)
    client.force_login(team_lead)
    assert client.get(f"/people/{trainee.pk}/progress/").status_code == 200
    assert client.get(f"/people/{other_trainee.pk}/progress/").status_code == 404
    client.force_login(other_trainee)
    assert client.get(f"/people/{trainee.pk}/progress/").status_code == 404


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_course_page_queries_do_not_grow_with_lessons(client, trainee, catalogue):
    small = CourseFactory(parent=catalogue)
    big = CourseFactory(parent=catalogue)
    for _ in range(2):
        LessonFactory(parent=small)
    for n in range(12):
        lesson = LessonFactory(parent=big)
        services.mark_lesson_done(user=trainee, lesson=lesson) if n % 2 else None
    services.mark_lesson_done(user=trainee, lesson=small.lessons().first())
    client.force_login(trainee)
    _count_queries(client, small.url)  # warm caches (site root paths)
    assert _count_queries(client, big.url) == _count_queries(client, small.url)


def test_my_courses_queries_do_not_grow_with_courses(client, trainee, catalogue):
    first = CourseFactory(parent=catalogue)
    LessonFactory(parent=first)
    services.enroll(user=trainee, course=first)
    client.force_login(trainee)
    _count_queries(client, "/my/")
    few = _count_queries(client, "/my/")
    for _ in range(6):
        course = CourseFactory(parent=catalogue)
        for _ in range(3):
            LessonFactory(parent=course)
        services.enroll(user=trainee, course=course)
    _count_queries(client, "/my/")  # the new courses' shared outlines are read once, then come from the cache
    assert _count_queries(client, "/my/") == few


def test_catalogue_queries_do_not_grow_with_courses(client, trainee, catalogue):
    first = CourseFactory(parent=catalogue)
    LessonFactory(parent=first)
    services.enroll(user=trainee, course=first)
    client.force_login(trainee)
    _count_queries(client, "/courses/")
    few = _count_queries(client, "/courses/")
    for _ in range(5):
        course = CourseFactory(parent=catalogue)
        LessonFactory(parent=course)
        services.enroll(user=trainee, course=course)
    _count_queries(client, "/courses/")  # the new courses' shared outlines are read once, then come from the cache
    assert _count_queries(client, "/courses/") == few


def test_chinese_even_for_an_english_browser(client, course):
    page = client.get("/courses/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "课程目录" in page and "Course catalogue" not in page
