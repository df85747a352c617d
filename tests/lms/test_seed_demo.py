"""`seed_demo` builds the demo once, saying one line per demo module; running it again adds nothing."""

import io
import logging.config
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils.html import escape

from courses.models import CoursePage, LessonPage
from lms.models import CountyTeam, Membership, TrainerSupervision, User
from lms.settings import base as base_settings

pytestmark = pytest.mark.django_db


def _counts():
    return (
        User.objects.count(), CountyTeam.objects.count(), Membership.objects.count(),
        TrainerSupervision.objects.count(), CoursePage.objects.count(), LessonPage.objects.count(),
    )


DEMO_MODULES = 7  # lms, courses, quizzes, quizzes.practical, certificates, certificates.qualification, exams


def _seed_with_console_logging(capsys):
    """Run seed_demo as `make run` does: logging to the console as configured for development (the test settings
    silence INFO), so Wagtail's per-page lines would show up here if the loader let them through."""
    logging.config.dictConfig(base_settings.LOGGING)  # its console handler binds to capsys's stderr
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("seed_demo", stdout=out, stderr=err)
    finally:
        logging.config.dictConfig(settings.LOGGING)
    captured = capsys.readouterr()
    return [line for line in (out.getvalue() + err.getvalue() + captured.out + captured.err).splitlines() if line.strip()]


def test_seed_demo_is_quiet_idempotent_and_complete(client, capsys):
    lines = _seed_with_console_logging(capsys)
    # One summary line per demo module (e.g. "courses: 4 courses, 23 lessons") and the closing line.
    assert len(lines) <= DEMO_MODULES + 1, "\n".join(lines[:20])
    assert any(line.startswith("courses: 4 courses, ") for line in lines), lines
    assert lines[-1] == "Demo data ready. Logins are listed in README.md."
    first = _counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert _counts() == first

    assert set(CountyTeam.objects.values_list("name", flat=True)) >= {"汉寿县", "澧县", "津市市", "安乡县", "鼎城区", "武陵区", "石门县", "桃源县", "临澧县"}
    for team in CountyTeam.objects.all():
        assert Membership.objects.filter(team=team, role="trainee").count() >= 3
        assert Membership.objects.filter(team=team, role="team_lead").count() == 1
    # Each trainer supervises at most three counties (每人负责督导3个区县), and every team has one.
    trainers = User.objects.filter(memberships__role="trainer")
    assert trainers.count() == 4
    assert all(1 <= t.supervisions.count() <= 3 for t in trainers)
    assert not CountyTeam.objects.filter(supervisions__isnull=True).exists()
    titles = set(CoursePage.objects.values_list("title", flat=True))
    assert {"网站后台管理", "专题页面制作", "网站图片处理", "网站管理制度与信息安全"} <= titles
    for course in CoursePage.objects.all():
        assert course.lessons().count() >= 4

    assert client.login(username="hanshou1", password="changde2026")
    assert "网站后台管理" in client.get("/my/").content.decode()
    _assert_lessons_show_screenshots(client)


def _pictures(lesson):
    """(image, alt) of every picture in a lesson body: screenshots of steps and captioned images."""
    for block in lesson.body:
        if block.block_type == "steps":
            yield from ((step["screenshot"], step["screenshot_alt"]) for step in block.value["steps"] if step["screenshot"])
        elif block.block_type == "image":
            yield block.value["image"], block.value["alt_text"]


def _assert_lessons_show_screenshots(client):
    """图文并茂: every lesson of the back-office and topic-page courses (their closing quiz aside) shows at least one
    screenshot, each with Chinese alt text, and the lesson page renders it as an <img> with that alt."""
    for slug in ("backoffice", "topic-pages"):
        course = CoursePage.objects.get(slug=slug)
        lessons = LessonPage.objects.child_of(course).exclude(slug="final-quiz")
        assert lessons.count() >= 4
        for lesson in lessons:
            pictures = list(_pictures(lesson))
            assert pictures, f"{slug}/{lesson.slug} has no picture"
            html = client.get(lesson.url).content.decode()
            for image, alt in pictures:
                assert image.collection.name == "课程截图" and image.file.size <= 120_000
                assert alt.strip() and any("\u4e00" <= ch <= "\u9fff" for ch in alt), (lesson.slug, alt)
                assert re.search(rf'<img [^>]*alt="{re.escape(escape(alt))}"', html), (lesson.slug, alt)



def test_seed_demo_indexes_inline_and_leaves_no_index_tasks_queued(settings):
    """Wagtail's reference and search index updates are done while seeding, once per object, instead of
    thousands of queued tasks a worker chews on after the server says it is serving."""
    from django_tasks import default_task_backend
    from wagtail.models import ReferenceIndex

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    queued = {result.task.module_path for result in default_task_backend.results}
    default_task_backend.clear()
    assert not {path for path in queued if path.startswith(("wagtail.", "modelsearch."))}, queued
    # …and the indexes are there: lessons are searchable and their references (quizzes, tasks) recorded.
    lesson = LessonPage.objects.live().first()
    assert lesson in LessonPage.objects.live().search(lesson.title)
    assert ReferenceIndex.objects.filter(content_type__model="lessonpage").exists()
