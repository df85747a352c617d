from datetime import date

import pytest

from inspection import dates
from inspection.columns import classify
from inspection.expressions import STARTER_LIST, ExpressionMatcher
from inspection.fetching import decode


@pytest.mark.parametrize(
    "text, expected",
    [
        ("发布时间：2026-11-20 10:30", date(2026, 11, 20)),
        ("发布日期:2026年11月20日", date(2026, 11, 20)),
        ("来源：县商务局 日期：2026/1/5 浏览次数：12", date(2026, 1, 5)),
        ("时间： 2026.11.02", date(2026, 11, 2)),
        ("发布时间：2026-13-40", None),
        ("点击量 20261120", None),
    ],
)
def test_labelled_dates(text, expected):
    assert dates.labelled_date(text) == expected


def test_list_item_dates_and_month_day_years():
    assert dates.encode_item_date("县商务局召开会议 2026-11-28") == ["2026-11-28"]
    assert dates.encode_item_date("留言时间：2026-07-01 回复时间：2026-07-03") == ["2026-07-01", "2026-07-03"]
    assert dates.encode_item_date("关于消费季的通知 [11-20]") == ["--11-20"]
    assert dates.encode_item_date("第2期 简报") == []
    assert dates.resolve("--11-20", date(2026, 11, 30)) == date(2026, 11, 20)
    assert dates.resolve("--12-20", date(2026, 11, 30)) == date(2025, 12, 20)  # not in the future
    assert dates.resolve("--02-29", date(2026, 3, 1)) == date(2024, 2, 29) or dates.resolve("--02-29", date(2026, 3, 1)) is None


def test_column_classes():
    assert classify("工作动态") == "news"
    assert classify("通知公告") == "notice"
    assert classify("政策解读") == "notice"
    assert classify("人事信息") == "personnel"
    assert classify("在线咨询") == "interaction"
    assert classify("关于我们") == "other"


def test_expressions_found_once_with_context():
    matcher = ExpressionMatcher(STARTER_LIST)
    found = matcher.find("要全面从严冶党，全面从严冶党，坚持依法治国")
    assert [(f["wrong"], f["right"]) for f in found] == [("全面从严冶党", "全面从严治党")]
    assert matcher.find("全面从严治党，依法治国") == []
    assert ExpressionMatcher([]).find("依法冶国") == []
    assert ExpressionMatcher(STARTER_LIST).version != ExpressionMatcher(STARTER_LIST[:3]).version


def test_gbk_pages_are_decoded():
    html = '<html><head><meta charset="gb2312"></head><body>澧县商务局 2026年11月20日</body></html>'
    assert decode(html.encode("gbk"), "text/html")[0] == html
    text, encoding = decode("汉寿县商务局工作动态，信息每日更新。".encode("gb18030") * 20, "text/html")
    assert "汉寿县商务局" in text
