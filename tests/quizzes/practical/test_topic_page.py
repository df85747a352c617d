"""The topic-page check reads the trainee's own TopicPage: each criterion passing and failing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.practical.checkers.topic_page import check_topic_page
from quizzes.practical.practice import ensure_practice_area

from .pages import banner, column, good_topic_columns, images, make_news, make_topic, picture, section, text

pytestmark = pytest.mark.django_db
SPEC = {"min_columns": 3, "min_images": 2, "banner_width": 1200, "banner_height": 300, "max_age_days": 1, "require_lead": True}


@pytest.fixture
def area(site, trainee):
    return ensure_practice_area(user=trainee)


def outcome(area, spec=SPEC, **kwargs):
    report, page = check_topic_page(area=area, spec=spec, **kwargs)
    return report, {c.key: c for c in report.criteria}


def test_a_good_topic_page_passes_every_criterion(area):
    a, b = images()
    target = make_news(section(area, "通知公告"), "参展指南")
    make_topic(area, columns=good_topic_columns(a, b, link_target=target), banner=banner())
    report, by_key = outcome(area)
    assert report.passed, report.criteria
    assert set(by_key) == {"title_lead", "columns", "no_empty_column", "images", "alt_text", "banner", "links", "published", "fresh"}


def test_no_topic_page_is_a_clear_error(area):
    report, _ = outcome(area)
    assert not report.passed and "专题页" in report.error


def test_missing_lead_and_too_few_columns(area):
    a, b = images()
    make_topic(area, columns=good_topic_columns(a, b)[:2], lead="", banner=banner())
    report, by_key = outcome(area)
    assert not by_key["title_lead"].passed and not by_key["columns"].passed
    assert by_key["columns"].measured == "2"


def test_empty_column_is_named(area):
    a, b = images()
    columns = good_topic_columns(a, b) + [column("供求信息", text("<p> </p>"))]
    make_topic(area, columns=columns, banner=banner())
    _, by_key = outcome(area)
    assert not by_key["no_empty_column"].passed and "供求信息" in by_key["no_empty_column"].measured


def test_pictures_need_alt_text_and_enough_of_them(area):
    a, b = images()
    columns = [column("展会动态", text("<p>开幕</p>"), picture(a, alt="")), column("二", text("<p>x</p>")), column("三", text("<p>y</p>"))]
    make_topic(area, columns=columns, banner=banner())
    _, by_key = outcome(area)
    assert not by_key["images"].passed and by_key["images"].measured == "1 张图片"
    assert not by_key["alt_text"].passed


def test_rich_text_images_count_and_their_alt_is_checked(area):
    a, b = images()
    html = f'<p>开幕</p><embed embedtype="image" id="{a.pk}" format="fullwidth" alt="开幕式"/><embed embedtype="image" id="{b.pk}" format="left" alt=""/>'
    make_topic(area, columns=[column("一", text(html)), column("二", text("<p>x</p>")), column("三", text("<p>y</p>"))], banner=banner())
    _, by_key = outcome(area)
    assert by_key["images"].passed and not by_key["alt_text"].passed


def test_banner_must_have_the_required_size(area):
    a, b = images()
    make_topic(area, columns=good_topic_columns(a, b), banner=banner((1000, 300)))
    _, by_key = outcome(area)
    assert not by_key["banner"].passed and by_key["banner"].measured == "1000 × 300 像素"


def test_broken_internal_links_are_found(area):
    a, b = images()
    target = make_news(section(area, "通知公告"), "将被删除的通知")
    unpublished = make_news(section(area, "通知公告"), "草稿通知", publish=False)
    columns = good_topic_columns(a, b, link_target=target)
    columns[0]["value"]["items"].append(text(f'<p><a linktype="page" id="{unpublished.pk}">草稿</a> <a linktype="page" id="999999">已删</a></p>'))
    make_topic(area, columns=columns, banner=banner())
    target.delete()
    _, by_key = outcome(area)
    assert not by_key["links"].passed and by_key["links"].measured == "3 个死链"


def test_unpublished_and_stale_pages_fail(area):
    a, b = images()
    make_topic(area, columns=good_topic_columns(a, b), banner=banner(), publish=False)
    _, by_key = outcome(area)
    assert not by_key["published"].passed and not by_key["fresh"].passed
    assert by_key["columns"].passed  # the draft's content is what is read


def test_freshness_counts_days_since_last_publication(area):
    a, b = images()
    make_topic(area, columns=good_topic_columns(a, b), banner=banner())
    _, by_key = outcome(area, now=timezone.now() + timedelta(days=3))
    assert not by_key["fresh"].passed and by_key["fresh"].measured == "3 天前"


def test_another_trainees_page_is_never_read(area, other_trainee):
    a, b = images()
    make_topic(ensure_practice_area(user=other_trainee), columns=good_topic_columns(a, b), banner=banner())
    report, _ = outcome(area)
    assert report.error
