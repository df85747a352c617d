"""`seed_demo` builds the demo once; running it again adds nothing."""

import pytest
from django.core.management import call_command

from courses.models import CoursePage, LessonPage
from lms.models import CountyTeam, Membership, TrainerSupervision, User

pytestmark = pytest.mark.django_db


def _counts():
    return (
        User.objects.count(), CountyTeam.objects.count(), Membership.objects.count(),
        TrainerSupervision.objects.count(), CoursePage.objects.count(), LessonPage.objects.count(),
    )


def test_seed_demo_is_idempotent_and_complete(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    first = _counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert _counts() == first

    assert set(CountyTeam.objects.values_list("name", flat=True)) >= {"汉寿县", "澧县", "津市市", "安乡县", "鼎城区", "武陵区", "石门县", "桃源县", "临澧县"}
    for team in CountyTeam.objects.all():
        assert Membership.objects.filter(team=team, role="trainee").count() >= 3
        assert Membership.objects.filter(team=team, role="team_lead").count() == 1
    trainers = User.objects.filter(memberships__role="trainer")
    assert trainers.count() == 2
    assert all(t.supervisions.count() == 3 for t in trainers)
    titles = set(CoursePage.objects.values_list("title", flat=True))
    assert {"网站后台管理", "专题页面制作", "网站图片处理", "网站管理制度与信息安全"} <= titles
    for course in CoursePage.objects.all():
        assert course.lessons().count() >= 4

    assert client.login(username="hanshou1", password="changde2026")
    assert "网站后台管理" in client.get("/my/").content.decode()


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
