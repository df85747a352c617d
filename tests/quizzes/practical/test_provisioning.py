"""A practice site holds what its tasks refer to: the sections a spec names and, live, the pages it asks the
trainee to move or take offline; given at enrolment and again whenever the task page is opened or work is
handed in, without undoing or duplicating anything the trainee did."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page

from courses.services import enroll
from quizzes.models import NewsPage, PracticeSectionPage
from quizzes.practical.checkers.backoffice import check_backoffice
from quizzes.practical.practice import ensure_practice_area, provision_practice_site
from quizzes.practical.specs import practice_site_needs, validate_spec
from tests.factories import LessonFactory

from .factories import TaskFactory, wagtail_image
from .images import photo
from .pages import make_news, section

pytestmark = pytest.mark.django_db

MOVE = {"type": "moved", "title_contains": "招商推介", "section": "招商引资", "from": "工作动态", "page_title": "我市赴深圳开展招商推介活动"}
OFFLINE = {"type": "unpublished", "title_contains": "过期通知", "section": "通知公告"}
NEWS = {"type": "news_published", "title_contains": "中博会", "section": "通知公告", "tag": "中博会", "featured_image": True}


def backoffice_task(*items):
    task = TaskFactory(kind="backoffice", spec={"expect": list(items)})
    task.full_clean()
    task.save()
    return task


@pytest.fixture
def course_with_task(site, course):
    task = backoffice_task(NEWS, MOVE, OFFLINE)
    LessonFactory(parent=course, title="修改、移动与撤下页面", body=[("practical_task", {"task": task, "note": ""})])
    return course, task


def news_titles(area):
    return {(p.get_parent().title, p.title, p.live) for p in NewsPage.objects.descendant_of(area)}


def test_enrolment_gives_the_pages_a_backoffice_task_asks_to_move_and_take_offline(course_with_task, trainee):
    course, _task = course_with_task
    enroll(user=trainee, course=course)
    area = ensure_practice_area(user=trainee)
    assert news_titles(area) == {("工作动态", "我市赴深圳开展招商推介活动", True), ("通知公告", "过期通知", True)}
    provided = NewsPage.objects.descendant_of(area).get(title="过期通知")
    assert provided.first_published_at and provided.slug == "guo-qi-tong-zhi"
    # The trainee's own work is not done for them: the news to publish is theirs to write.
    report = check_backoffice(area=area, spec=_task.spec)
    assert [c.passed for c in report.criteria] == [False, False, False]
    assert [c.measured for c in report.criteria][1:] == ["工作动态", "仍在线"]


def test_sections_a_spec_names_are_created(site, trainee):
    area = provision_practice_site(user=trainee, tasks=[backoffice_task(
        {"type": "news_published", "title_contains": "供需", "section": "供求信息"},
        {"type": "moved", "title_contains": "推介", "section": "招商引资", "from": "对外贸易"},
    )])
    titles = [p.title for p in PracticeSectionPage.objects.child_of(area).order_by("path")]
    assert titles == ["通知公告", "工作动态", "招商引资", "供求信息", "对外贸易"]
    assert section(area, "供求信息").slug == "gong-qiu-xin-xi" and section(area, "供求信息").live
    assert news_titles(area) == {("对外贸易", "推介", True)}


def test_a_move_without_a_starting_section_starts_outside_the_target(site, trainee):
    area = provision_practice_site(user=trainee, tasks=[backoffice_task({"type": "moved", "title_contains": "推介", "section": "通知公告"})])
    assert news_titles(area) == {("工作动态", "推介", True)}


def test_provisioning_is_idempotent_and_keeps_the_trainees_work(client, course_with_task, trainee):
    course, task = course_with_task
    enroll(user=trainee, course=course)
    area = ensure_practice_area(user=trainee)
    # The trainee does the task in the admin: moves one page, takes the other offline, writes their own news.
    client.force_login(trainee)
    moved = NewsPage.objects.get(title__contains="招商推介")
    assert client.post(f"/admin/pages/{moved.pk}/move/{section(area, '招商引资').pk}/confirm/").status_code == 302
    offline = NewsPage.objects.get(title="过期通知")
    assert client.post(f"/admin/pages/{offline.pk}/unpublish/").status_code == 302
    make_news(section(area, "通知公告"), "我市组团参加中博会", tags=["中博会"], image=wagtail_image(photo((400, 300))))
    before = news_titles(area)
    assert ("招商引资", "我市赴深圳开展招商推介活动", True) in before and ("通知公告", "过期通知", False) in before

    # A trainer then adds to the task what the site does not hold yet; the trainee opens the task page.
    task.spec = {"expect": [*task.spec["expect"], {"type": "unpublished", "title_contains": "停办通知", "section": "工作动态"}]}
    task.full_clean()
    task.save()
    pages = Page.objects.descendant_of(area).count()
    assert client.get(f"/hands-on/tasks/{task.pk}/").status_code == 200
    assert news_titles(area) == before | {("工作动态", "停办通知", True)}
    assert Page.objects.descendant_of(area).count() == pages + 1
    # Again, and on hand-in: nothing more, nothing undone.
    assert client.get(f"/hands-on/tasks/{task.pk}/").status_code == 200
    provision_practice_site(user=trainee, tasks=[task])
    assert Page.objects.descendant_of(area).count() == pages + 1
    assert news_titles(area) == before | {("工作动态", "停办通知", True)}
    report = check_backoffice(area=area, spec=task.spec)
    assert [c.passed for c in report.criteria] == [True, True, True, False]


def test_a_page_the_trainee_deleted_is_given_again(course_with_task, trainee):
    course, task = course_with_task
    enroll(user=trainee, course=course)
    area = ensure_practice_area(user=trainee)
    NewsPage.objects.get(title="过期通知").delete()
    provision_practice_site(user=trainee, tasks=[task])
    assert ("通知公告", "过期通知", True) in news_titles(area)


def test_needs_are_read_from_the_spec():
    spec = validate_spec("backoffice", {"expect": [NEWS, MOVE, OFFLINE, {"type": "scheduled", "title_contains": "预告", "go_live_at": "2026-12-01T09:00"}]})
    needs = practice_site_needs("backoffice", spec)
    assert needs.sections == ["通知公告", "招商引资", "工作动态"]
    assert [(p.section, p.title) for p in needs.pages] == [("工作动态", "我市赴深圳开展招商推介活动"), ("通知公告", "过期通知")]
    assert practice_site_needs("topic_page", validate_spec("topic_page", {"min_columns": 2})).pages == []


@pytest.mark.parametrize(
    "item, message",
    [
        ({**MOVE, "from": "招商引资"}, "必须是不同的栏目"),
        ({**MOVE, "page_title": "我市赴深圳招商"}, "必须包含“招商推介”"),
        ({**NEWS, "from": "工作动态"}, "只适用于"),
    ],
)
def test_bad_provisioning_settings_are_explained(item, message):
    with pytest.raises(ValidationError) as error:
        validate_spec("backoffice", {"expect": [item]})
    assert message in str(error.value)
