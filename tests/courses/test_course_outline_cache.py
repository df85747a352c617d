"""The course outline every reader sees alike, kept in the cache (courses/outline_cache.py): fresh after any
change to a lesson, the course, a quiz, its slots or a task; never a draft; never a restricted lesson shown to
a reader it would refuse; never one trainee's state shown to another."""

import pickle
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache, caches
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from courses import services
from courses.models import LessonPage
from courses.outline_cache import GENERATION_KEY
from quizzes import services as quiz_services
from quizzes.models import QuizSlot
from tests.factories import CourseFactory, LessonFactory
from tests.quizzes.factories import question, quiz, right_answer
from tests.quizzes.practical.factories import TaskFactory

pytestmark = pytest.mark.django_db


def _page(client, url, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response.content.decode()


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        _page(client, url)
    return [q["sql"] for q in captured.captured_queries]


def _outline(html: str) -> str:
    """The page's course outline list (the lesson body may link lessons too)."""
    start = html.index('class="lesson-list')
    return html[start : html.index("</ol>", start)]


def _cached_outlines() -> list:
    return [pickle.loads(value) for key, value in cache._cache.items() if ":course-outline:" in key and GENERATION_KEY not in key]


def _publish(lesson, **fields):
    lesson = LessonPage.objects.get(pk=lesson.pk)
    for name, value in fields.items():
        setattr(lesson, name, value)
    lesson.save_revision().publish()
    return lesson


@pytest.fixture
def quiz_and_task(course):
    exam = quiz([question(name="题一"), question(name="题二")], title="后台管理测验", pass_mark=60, is_published=True)
    task = TaskFactory(kind="reviewed", spec={}, accept_text=True, title="网站安全自查报告")
    lesson = LessonFactory(
        parent=course,
        title="第4课 测验与实操",
        body=[("quiz", {"quiz": exam, "intro": ""}), ("practical_task", {"task": task, "note": ""})],
    )
    return lesson, exam, task


@pytest.fixture
def reader(client, trainee, course):
    services.enroll(user=trainee, course=course)
    client.force_login(trainee)
    return client


def test_the_shared_outline_is_read_once(reader, course, quiz_and_task):
    lesson, _exam, _task = quiz_and_task
    _page(reader, lesson.url)
    queries = _queries(reader, lesson.url)
    # The course's lessons (found by path prefix), their restrictions' groups, the quizzes and tasks: from the cache.
    assert not [sql for sql in queries if 'FROM "courses_lessonpage"' in sql and "LIKE" in sql]
    assert not [sql for sql in queries if "wagtailcore_pageviewrestriction_groups" in sql]
    assert not [sql for sql in queries if 'FROM "quizzes_quiz"' in sql or 'FROM "quizzes_practicaltask"' in sql]
    # The reader's own state is still read: the enrolment, lessons done, attempts and submissions.
    for table in ("courses_enrollment", "courses_lessonprogress", "quizzes_attempt", "quizzes_submission"):
        assert [sql for sql in queries if f'FROM "{table}"' in sql], table


def test_a_published_renamed_unpublished_moved_or_deleted_lesson_shows_at_once(reader, course, catalogue):
    first = course.get_children().first().specific
    assert "第2课" in _outline(_page(reader, first.url))
    added = LessonFactory(parent=course, title="新增课时")
    assert "新增课时" in _outline(_page(reader, first.url))
    _publish(added, title="改名课时")
    outline = _outline(_page(reader, first.url))
    assert "改名课时" in outline and "新增课时" not in outline
    LessonPage.objects.get(pk=added.pk).unpublish()
    assert "改名课时" not in _outline(_page(reader, first.url))
    second = LessonPage.objects.get(title="第2课")
    other = CourseFactory(parent=catalogue, title="另一门课")
    second.move(other, pos="last-child")
    assert "第2课" not in _outline(_page(reader, first.url))
    LessonPage.objects.get(title="第3课").delete()
    assert "第3课" not in _outline(_page(reader, first.url))
    assert "第1课" in _outline(_page(reader, first.url))


def test_a_draft_title_is_never_shown(reader, course):
    first, second = list(course.get_children().specific())[:2]
    _page(reader, first.url)
    draft = LessonPage.objects.get(pk=second.pk)
    draft.title = "草稿标题"
    draft.save_revision()  # not published
    outline = _outline(_page(reader, first.url))
    assert "第2课" in outline and "草稿标题" not in outline


def test_a_renamed_course_gives_its_lessons_new_links(reader, course):
    first, second = list(course.get_children().specific())[:2]
    old = second.url
    assert old in _page(reader, first.url)
    course.slug = "renamed-course"
    course.save_revision().publish()
    first = LessonPage.objects.get(pk=first.pk)
    page = _page(reader, first.url)
    assert "/renamed-course/" in page and old not in page


def test_a_lesson_renamed_reordered_or_given_a_new_slug_shows_at_once(reader, course):
    first, second, third = list(course.get_children().specific())[:3]
    assert _outline(_page(reader, first.url)).index("第2课") < _outline(_page(reader, first.url)).index("第3课")
    old_url = second.url
    _publish(second, title="第2课（修订）", slug="lesson-two-revised")
    second = LessonPage.objects.get(pk=second.pk)
    outline = _outline(_page(reader, first.url))
    assert second.url.endswith("/lesson-two-revised/")
    assert "第2课（修订）" in outline and f'href="{second.url}"' in outline and old_url not in outline
    LessonPage.objects.get(pk=third.pk).move(LessonPage.objects.get(pk=second.pk), pos="left")
    outline = _outline(_page(reader, first.url))
    assert outline.index("第3课") < outline.index("第2课（修订）")


def test_outline_links_are_wagtails_own_on_every_site(reader, course, settings):
    """The links an outline keeps with its lessons are the ones Wagtail would give; a lesson under two sites is
    linked for the site asked, as Wagtail does."""
    from wagtail.models import Page, Site

    settings.ALLOWED_HOSTS = ["*"]
    lessons = list(course.get_children().specific())
    unicode_slug = LessonFactory(parent=course, title="第4课", slug="网站安全")
    outline = _outline(_page(reader, lessons[0].url))
    for lesson in [*lessons[1:], unicode_slug]:
        assert f'href="{Page.get_url(LessonPage.objects.get(pk=lesson.pk))}"' in outline
    # The course becomes the home of a second site: its lessons now belong to two sites.
    Site.objects.create(hostname="backoffice.test", port=80, root_page=course, site_name="后台课程")
    for host, path in (("backoffice.test", f"/{lessons[0].slug}/"), ("testserver", lessons[0].url)):
        request = RequestFactory(HTTP_HOST=host).get(path)
        outline = _outline(_page(reader, path, HTTP_HOST=host))
        for lesson in lessons[1:]:
            assert f'href="{Page.get_url(LessonPage.objects.get(pk=lesson.pk), request)}"' in outline, host
    assert f'href="/{lessons[1].slug}/"' in _outline(_page(reader, f"/{lessons[0].slug}/", HTTP_HOST="backoffice.test"))
    assert f'href="{lessons[1].url_path.removeprefix("/academy")}"' in _outline(_page(reader, lessons[0].url))


def test_a_lesson_newly_embedding_a_quiz_makes_it_a_requirement_at_once(reader, course):
    first, second = list(course.get_children().specific())[:2]
    assert not any(r.kind == "quiz" for r in _requirements(reader, first))
    exam = quiz([question(name="题一")], title="新增测验", pass_mark=60, is_published=True)
    _publish(second, body=[("quiz", {"quiz": exam, "intro": ""})])
    assert [r.label for r in _requirements(reader, first) if r.kind == "quiz"] == ["通过测验“新增测验”"]


class _CacheCalls:
    """The cache reads and writes a page makes, as the page asked them (the local-memory cache's get_many
    asks its own get for each key: those are not separate reads)."""

    def __init__(self, backend):
        self.backend, self.reads, self.writes, self._inside = backend, [], [], False

    def __enter__(self):
        get_many, get, add = self.backend.get_many, self.backend.get, self.backend.add

        def many(keys, *args, **kwargs):
            self.reads.append(list(keys))
            self._inside = True
            try:
                return get_many(keys, *args, **kwargs)
            finally:
                self._inside = False

        def one(key, *args, **kwargs):
            if not self._inside:
                self.reads.append([key])
            return get(key, *args, **kwargs)

        def added(key, *args, **kwargs):
            self.writes.append(key)
            return add(key, *args, **kwargs)

        self._patches = [
            mock.patch.object(self.backend, name, fn) for name, fn in (("get_many", many), ("get", one), ("add", added))
        ]
        for patch in self._patches:
            patch.start()
        return self

    def __exit__(self, *exc):
        for patch in self._patches:
            patch.stop()


def test_the_shared_parts_of_a_lesson_page_cost_one_cache_read(reader, course, quiz_and_task):
    """The outline (lessons, quizzes, tasks), the body's HTML and the visit marker: read together, once."""
    lesson, _exam, _task = quiz_and_task
    _page(reader, lesson.url)
    with _CacheCalls(caches["default"]) as calls:
        _page(reader, lesson.url)
    shared = ("course-outline:", "lesson-body:", "lesson-visit:")
    touching = [keys for keys in calls.reads if any(part in key for key in keys for part in shared)]
    assert len(touching) == 1, touching
    assert all(any(part in key for key in touching[0]) for part in shared)
    assert not calls.writes  # the visit was recorded moments ago: nothing written


def test_a_trainees_progress_shows_at_once_and_only_to_them(client, trainee, other_trainee, course, quiz_and_task):
    lesson, exam, _task = quiz_and_task
    first = course.get_children().first().specific
    services.enroll(user=trainee, course=course)
    services.enroll(user=other_trainee, course=course)
    client.force_login(trainee)
    assert "is-done" not in _outline(_page(client, lesson.url))  # every shared part is in the cache now
    services.mark_lesson_done(user=trainee, lesson=first)
    outline = _outline(_page(client, lesson.url))
    assert outline.count("is-done") == 1
    attempt = quiz_services.start_attempt(quiz=exam, user=trainee)
    quiz_services.submit_attempt(
        attempt=attempt, user=trainee, answers={q.question_id: right_answer(q.question) for q in exam.slots.all()}
    )
    assert [r.done for r in _requirements(client, lesson) if r.kind == "quiz"] == [True]
    client.force_login(other_trainee)
    assert "is-done" not in _outline(_page(client, lesson.url))
    assert [r.done for r in _requirements(client, lesson) if r.kind == "quiz"] == [False]


def _quiz_state(client, lesson, exam):
    return next(r.state for r in _requirements(client, lesson) if r.key == f"quiz:{exam.pk}")


def test_a_quiz_change_a_slot_change_and_a_task_change_show_at_once(reader, quiz_and_task):
    lesson, exam, task = quiz_and_task
    assert "后台管理测验" in _page(reader, lesson.url)
    assert _quiz_state(reader, lesson, exam).quiz.question_total == 2
    exam.title = "后台管理结业测验"
    exam.save()
    assert "后台管理结业测验" in _page(reader, lesson.url)
    QuizSlot.objects.create(quiz=exam, question=question(name="题三"), sort_order=5)
    assert _quiz_state(reader, lesson, exam).quiz.question_total == 3
    QuizSlot.objects.filter(quiz=exam, sort_order=5).delete()
    assert _quiz_state(reader, lesson, exam).quiz.question_total == 2
    task.title = "网站安全自查报告（修订）"
    task.save()
    assert "网站安全自查报告（修订）" in _page(reader, lesson.url)


def _requirements(client, lesson):
    response = client.get(lesson.url)
    return response.context["outline"].requirements


def test_an_unpublished_quiz_is_no_longer_a_requirement(reader, quiz_and_task):
    lesson, exam, _task = quiz_and_task
    assert any(r.key == f"quiz:{exam.pk}" for r in _requirements(reader, lesson))
    exam.is_published = False
    exam.save()
    assert not any(r.key == f"quiz:{exam.pk}" for r in _requirements(reader, lesson))
    exam.delete()
    assert not any(r.key == f"quiz:{exam.pk}" for r in _requirements(reader, lesson))


def test_another_trainees_state_never_leaks(client, trainee, other_trainee, course, quiz_and_task):
    lesson, exam, _task = quiz_and_task
    first = course.get_children().first().specific
    services.enroll(user=trainee, course=course)
    services.enroll(user=other_trainee, course=course)
    services.mark_lesson_done(user=trainee, lesson=first)
    attempt = quiz_services.start_attempt(quiz=exam, user=trainee)
    quiz_services.submit_attempt(
        attempt=attempt, user=trainee, answers={q.question_id: right_answer(q.question) for q in exam.slots.all()}
    )
    client.force_login(trainee)
    victim = client.get(lesson.url)
    assert victim.status_code == 200
    assert any(r.done for r in victim.context["outline"].requirements if r.kind == "quiz")
    client.force_login(other_trainee)
    attacker = client.get(lesson.url)
    outline = attacker.context["outline"]
    assert not any(r.done for r in outline.requirements if r.kind in ("quiz", "task"))
    assert outline.done_lesson_ids == set()
    assert outline.enrollment.user_id == other_trainee.pk
    assert "100%" not in attacker.content.decode()
    # The cache holds lessons, quizzes and tasks only: no enrolment, progress, attempt or submission.
    entries = _cached_outlines()
    assert entries
    stored = repr(entries)
    for leaked in ("Enrollment", "LessonProgress", "Attempt", "Submission", trainee.get_full_name()):
        assert leaked not in stored


def test_a_group_restricted_lesson_is_left_out_for_readers_outside_the_group(client, trainee, other_trainee, course):
    first, secret = list(course.get_children().specific())[:2]
    secret = LessonPage.objects.get(pk=secret.pk)
    group = Group.objects.create(name="汉寿县网站管理员")
    trainee.groups.add(group)
    restriction = PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(group)
    services.enroll(user=trainee, course=course)
    services.enroll(user=other_trainee, course=course)
    client.force_login(trainee)
    assert "第2课" in _outline(_page(client, first.url))  # a member: listed (and the cache now holds it)
    client.force_login(other_trainee)
    attacker = _page(client, first.url)
    assert "第2课" not in attacker and secret.url not in attacker
    course_page = _page(client, course.url)
    assert "第2课" not in course_page and secret.url not in course_page
    assert "你无权打开的课时" in course_page  # still a requirement, without its title or link
    assert client.get(secret.url).status_code in (302, 403, 404)
    # The group taken off the restriction: the member no longer sees it either.
    restriction.groups.remove(group)
    client.force_login(trainee)
    assert "第2课" not in _outline(_page(client, first.url))
    restriction.delete()
    client.force_login(other_trainee)
    assert "第2课" in _outline(_page(client, first.url))


def test_a_password_or_login_restricted_lesson_is_left_out_until_passed(client, course):
    first, secret = list(course.get_children().specific())[:2]
    PageViewRestriction.objects.create(
        page=LessonPage.objects.get(pk=secret.pk), restriction_type=PageViewRestriction.PASSWORD, password="站长2026"
    )
    html = _page(client, course.url)
    assert "第1课" in html and "第2课" not in html


def test_a_cache_without_the_generation_still_answers(reader, course):
    first = course.get_children().first().specific
    _page(reader, first.url)
    cache.delete(GENERATION_KEY)
    assert "第2课" in _outline(_page(reader, first.url))
    assert cache.get(GENERATION_KEY)
