"""A trainee inspects their own practice site: the product's Wagtail pages, served by a live test server."""

from datetime import date

import pytest

from inspection.practice import inspect_practice_site
from quizzes.models import NewsPage, PracticeSectionPage
from quizzes.practical.practice import DEFAULT_SECTIONS, ensure_practice_area

# serialized_rollback: a plain flush would run post_migrate, whose groups would then clash with the next serialized test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_practice_site_inspection_finds_blank_sections_and_a_news_item_without_picture(live_server, settings, site, trainee):
    settings.SITE_URL = live_server.url
    area = ensure_practice_area(user=trainee)
    first = area.get_children().type(PracticeSectionPage).first().specific
    news = NewsPage(title="县商务局召开电商工作会议", date=date(2026, 11, 28), body="<p>会议部署了信息每日更新。</p>")
    first.add_child(instance=news)
    news.save_revision().publish()

    report = inspect_practice_site(user=trainee, today=date(2026, 11, 30))
    rules = sorted((f["rule"], f["column"] or f["item"]) for f in report["findings"])
    blank = [name for name, _slug in DEFAULT_SECTIONS if name != first.title]
    assert sorted(name for rule, name in rules if rule == "blank_column") == sorted(blank)
    assert any(rule == "article_without_picture" for rule, _ in rules)
    assert report["url"].startswith(live_server.url)
