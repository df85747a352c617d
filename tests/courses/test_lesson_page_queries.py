"""The signed-in lesson page with a production-like cache: few queries, and no write on every view.

Production keeps sessions in the cache (cached_db) and, with several app servers, the cache in Redis;
the page then needs at most 6 queries (8 with a quiz and a task card): the course outline every reader sees
alike comes from the cache (courses/outline_cache.py). Query counts, never times.
"""

import socket
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from courses import services
from courses.models import Enrollment
from tests.factories import LessonFactory

LESSON_PAGE_MAX_QUERIES = 6
# A quiz card and a task card add nothing of their own: the course's quiz and task requirements (the quiz with
# its question count, attempts, tasks, latest submissions) are what the cards and their snippet choosers show.
QUIZ_AND_TASK_LESSON_MAX_QUERIES = 8

pytestmark = pytest.mark.django_db


def _get(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries]


def _updates(queries):
    return [sql for sql in queries if sql.startswith("UPDATE")]


@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cached_db")
def test_lesson_page_queries_with_sessions_in_the_cache(client, trainee, course):
    lessons = list(course.get_children().specific())
    services.enroll(user=trainee, course=course)
    client.force_login(trainee)
    first = _get(client, lessons[0].url)
    assert len(_updates(first)) == 1  # where the trainee is: recorded
    again = _get(client, lessons[0].url)
    assert _updates(again) == []  # a reload within minutes writes nothing
    assert len(again) <= LESSON_PAGE_MAX_QUERIES, "\n".join(again)
    # Another lesson is a new place to continue from: recorded.
    assert len(_updates(_get(client, lessons[1].url))) == 1
    assert Enrollment.objects.get(user=trainee, course=course).last_lesson_id == lessons[1].pk


def test_deeper_courses_cost_no_extra_queries(client, trainee, course, catalogue):
    """Routing finds the page by its URL path: the same count whatever the lesson's depth or course size."""
    services.enroll(user=trainee, course=course)
    client.force_login(trainee)
    lesson = course.get_children().first().specific
    _get(client, lesson.url)
    before = len(_get(client, lesson.url))
    for n in range(5):
        LessonFactory(parent=course, title=f"补充{n}")
    # The first view after the change reads the course's outline afresh (courses/outline_cache.py); then as before.
    assert len(_get(client, lesson.url)) <= before + 3
    assert len(_get(client, lesson.url)) == before


def test_routing_still_answers_404_for_missing_and_unpublished_pages(client, trainee, course):
    client.force_login(trainee)
    draft = LessonFactory(parent=course, title="草稿")
    draft.unpublish()
    assert client.get(course.url + "no-such-lesson/").status_code == 404
    assert client.get(draft.url or course.url + draft.slug + "/").status_code == 404
    assert client.get("/no/such/page/").status_code == 404
    assert client.get(course.url).status_code == 200


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379 (CI has one)")
def test_lesson_page_queries_with_redis(client, trainee, course):
    import redis as redis_client

    prefix = f"test-{uuid.uuid4().hex}"  # this test's own keys, whoever else uses the server
    caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/0", "KEY_PREFIX": prefix}}
    with override_settings(CACHES=caches, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"):
        lesson = course.get_children().first().specific
        services.enroll(user=trainee, course=course)
        client.force_login(trainee)
        _get(client, lesson.url)
        queries = _get(client, lesson.url)
        assert len(queries) <= LESSON_PAGE_MAX_QUERIES, "\n".join(queries)
        assert _updates(queries) == []
    # Not cache.clear(): on Redis that empties the whole database, other users' keys included.
    server = redis_client.Redis.from_url("redis://127.0.0.1:6379/0")
    keys = list(server.scan_iter(f"{prefix}:*"))
    assert keys  # the session and the visit marker did go to Redis
    server.delete(*keys)


@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cached_db")
def test_lesson_with_a_quiz_and_a_task_stays_within_the_budget(client, trainee, course):
    """A lesson embedding a quiz card (with the trainee's attempts) and a hands-on task card: a fixed budget.

    The cards show what the course outline already read; view restrictions cost one query, roles none, and
    neither the site nor its home page is read (lms/routing.py)."""
    from tests.quizzes.factories import question, quiz
    from tests.quizzes.practical.factories import TaskFactory

    exam = quiz([question()], title="后台管理结业测验", pass_mark=60, is_published=True)
    task = TaskFactory(kind="reviewed", spec={}, accept_text=True, title="网站安全自查报告")
    lesson = LessonFactory(parent=course, title="第4课 测验与实操",
                           body=[("quiz", {"quiz": exam, "intro": ""}), ("practical_task", {"task": task, "note": ""})])
    services.enroll(user=trainee, course=course)
    client.force_login(trainee)
    _get(client, lesson.url)
    queries = _get(client, lesson.url)
    assert _updates(queries) == []
    assert len(queries) <= QUIZ_AND_TASK_LESSON_MAX_QUERIES, "\n".join(queries)
    assert not [sql for sql in queries if "lms_membership" in sql and "EXISTS" not in sql]  # roles come with the user
    assert sum("pageviewrestriction" in sql for sql in queries) == 1
    assert not [sql for sql in queries if "quizzes_quizslot" in sql and "SUM" not in sql.upper()]
    assert not [sql for sql in queries if "wagtailcore_site" in sql or "lms_homepage" in sql]
    page = client.get(lesson.url).content.decode()
    assert "后台管理结业测验" in page and "网站安全自查报告" in page
