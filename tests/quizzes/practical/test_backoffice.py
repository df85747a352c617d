"""The back-office check reads the page tree, revisions and page log of the trainee's practice area."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.models import NewsPage
from quizzes.practical.checkers.backoffice import check_backoffice
from quizzes.practical.practice import ensure_practice_area

from .factories import wagtail_image
from .images import photo
from .pages import make_news, section

pytestmark = pytest.mark.django_db
GO_LIVE = (timezone.localtime() + timedelta(days=5)).replace(hour=9, minute=0, second=0, microsecond=0)


@pytest.fixture
def area(site, trainee):
    return ensure_practice_area(user=trainee)


def spec(*items):
    return {"expect": list(items)}


def run(area, *items):
    report = check_backoffice(area=area, spec=spec(*items))
    return report, [c.passed for c in report.criteria]


NEWS = {"type": "news_published", "title_contains": "中博会", "section": "通知公告", "tag": "中博会", "featured_image": True}


def test_news_published_with_tag_and_image(area):
    make_news(section(area, "通知公告"), "我市组团参加中博会", tags=["中博会"], image=wagtail_image(photo((400, 300))))
    assert run(area, NEWS)[1] == [True]


@pytest.mark.parametrize(
    "where, tags, with_image, publish, problem",
    [
        ("工作动态", ["中博会"], True, True, "位于“工作动态”"),
        ("通知公告", [], True, True, "缺少标签“中博会”"),
        ("通知公告", ["中博会"], False, True, "没有题图"),
        ("通知公告", ["中博会"], True, False, "未发布"),
    ],
)
def test_news_published_failures_say_what_is_wrong(area, where, tags, with_image, publish, problem):
    image = wagtail_image(photo((400, 300))) if with_image else None
    make_news(section(area, where), "我市组团参加中博会", tags=tags, image=image, publish=publish)
    report, passed = run(area, NEWS)
    assert passed == [False] and problem in report.criteria[0].measured


def test_missing_news_is_reported(area):
    report, passed = run(area, NEWS)
    assert passed == [False] and report.criteria[0].measured == "未找到"


def test_scheduled_publication_at_the_required_time(area):
    item = {"type": "scheduled", "title_contains": "信福工程", "go_live_at": GO_LIVE.strftime("%Y-%m-%dT%H:%M")}
    page = make_news(section(area, "工作动态"), "信福工程推进会通知", publish=False)
    assert run(area, item)[1] == [False]  # a plain draft is not scheduled
    page.go_live_at = GO_LIVE
    page.save_revision().publish()
    page = NewsPage.objects.get(pk=page.pk)
    assert not page.live  # scheduled, not yet live
    assert run(area, item)[1] == [True]
    wrong = {**item, "go_live_at": (GO_LIVE + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")}
    assert run(area, wrong)[1] == [False]


def test_moved_page_must_have_been_moved_not_recreated(area, trainee):
    item = {"type": "moved", "title_contains": "招商推介", "section": "招商引资"}
    page = make_news(section(area, "工作动态"), "招商推介会成功举办")
    assert run(area, item)[1] == [False]
    page.move(section(area, "招商引资"), pos="last-child", user=trainee)
    assert run(area, item)[1] == [True]
    make_news(section(area, "招商引资"), "招商推介（新建）")
    report, _ = run(area, {"type": "moved", "title_contains": "新建", "section": "招商引资"})
    assert report.criteria[0].measured == "是在该处新建的，不是移动过去的"


def test_unpublished_page(area, trainee):
    item = {"type": "unpublished", "title_contains": "过期通知"}
    page = make_news(section(area, "通知公告"), "一则过期通知")
    report, passed = run(area, item)
    assert passed == [False] and report.criteria[0].measured == "仍在线"
    page.unpublish(user=trainee)
    assert run(area, item)[1] == [True]


def test_several_expectations_in_one_task(area, trainee):
    make_news(section(area, "通知公告"), "我市组团参加中博会", tags=["中博会"], image=wagtail_image(photo((400, 300))))
    old = make_news(section(area, "通知公告"), "一则过期通知")
    old.unpublish(user=trainee)
    report, passed = run(area, NEWS, {"type": "unpublished", "title_contains": "过期通知"}, {"type": "moved", "title_contains": "不存在", "section": "招商引资"})
    assert passed == [True, True, False] and not report.passed
