"""The crawler and the rules against generated sites on 127.0.0.1: exactly the planted findings."""

from datetime import date

import pytest

from inspection.crawler import Crawler, SiteUnavailable
from inspection.expressions import STARTER_LIST, ExpressionMatcher
from inspection.fetching import USER_AGENT, Limits
from inspection.rules import evaluate
from tests.inspection.sites import add_heavy_pages, build_defect_site

TODAY = date(2026, 11, 30)


def crawl(base, **limits):
    return Crawler(
        base + "/",
        limits=Limits(**{"delay": 0, "page_seconds": 3, **limits}),
        allow_internal=True,
        matcher=ExpressionMatcher(STARTER_LIST),
    ).run()


def short(report, base):
    return sorted((f["rule"], f["url"].replace(base, ""), f["item"].replace(base, "")) for f in report["findings"])


def test_clean_site_has_no_findings(clean_site):
    site, base = clean_site
    report = evaluate(crawl(base), today=TODAY)
    assert report["findings"] == []
    assert (report["verdict"], report["score"]) == ("pass", 100.0)
    kinds = {column["name"]: (column["kind"], column["state"]) for column in report["columns"]}
    assert kinds == {
        "工作动态": ("news", "ok"),
        "通知公告": ("notice", "ok"),
        "政策文件": ("notice", "ok"),
        "在线咨询": ("interaction", "ok"),
        "对外贸易": ("other", "ok"),
    }
    assert site.user_agents == {USER_AGENT}
    assert site.hits["/news/2.html"] == 1  # the paginated list was followed


def test_defect_site_has_exactly_the_planted_findings(defect_site, external_site):
    site, base = defect_site
    report = evaluate(crawl(base), today=TODAY)
    ext = external_site[1]
    assert short(report, base) == sorted(
        [
            ("severe_error", "/news/a1.html", "全面从严冶党"),
            ("home_not_updated", "/", ""),
            ("column_not_updated", "/news/", ""),
            ("column_not_updated", "/yaowen/", ""),  # 2026年9月1日
            ("column_not_updated", "/notice/", ""),  # [05-01]
            ("column_not_updated", "/policy/", ""),  # no dates
            ("column_not_updated", "/county/", ""),  # GBK page, 2026-11-10
            ("blank_column", "/renshi/", ""),
            ("blank_column", "/plan/", ""),
            ("blank_column", "/zt/", ""),
            ("blank_column", "/zs/", ""),
            ("blank_column", "/trade/", ""),
            ("unanswered_message", "/ask/", "企业出口退税咨询"),
            ("broken_link", "/", "/gone.html"),
            ("broken_link", "/", f"{ext}/missing"),
            ("broken_link", "/", "/loop1"),
            ("offsite_redirect", "/", "/away"),
            ("broken_image", "/", "/img/missing.png"),
            ("image_without_alt", "/yaowen/y1.html", "/img/photo.png"),
            ("article_without_picture", "/news/a2.html", "外贸企业座谈会"),
        ]
    )
    assert report["verdict"] == "fail"
    assert report["deciding_rule"] == "severe_error"
    assert report["vetoes"] == ["severe_error", "home_not_updated", "column_not_updated", "blank_column", "unanswered_message"]
    assert report["score"] == 100 - (2 * 5 + 2 * 5 + 3 + 0.5 + 0.2 + 0.5)
    assert site.max_in_flight <= 2
    county = next(column for column in report["columns"] if column["name"] == "县区动态")
    assert county["newest"] == "2026-11-10"  # read from the GBK page


def test_heavy_pages_end_cleanly(external_site):
    site = build_defect_site(external_site[1])
    add_heavy_pages(site, slow_seconds=2.5)
    base = site.start()
    try:
        from tests.inspection import sites as generated

        site.add(
            "/",
            generated.page(
                "首页",
                '<ul class="x"><li><a href="/heavy/">图片新闻</a><span>2026-11-29</span></li></ul>',
                nav=generated.nav_html([("/heavy/", "图片新闻")]),
            ),
        )
        result = crawl(base, page_seconds=1.5, max_page_bytes=2 * 1024 * 1024)
        report = evaluate(result, today=TODAY)
    finally:
        site.stop()
    found = {(f["rule"], f["url"].replace(base, "")) for f in report["findings"]}
    assert ("page_too_large", "/heavy/big.html") in found
    assert ("slow_page", "/heavy/slow.html") in found
    assert ("slow_page", "/heavy/endless.html") in found or ("page_too_large", "/heavy/endless.html") in found


def test_page_cap_stops_the_crawl(defect_site):
    _site, base = defect_site
    result = crawl(base, max_pages=3)
    assert result.capped == "pages"
    assert result.fetched <= 3


def test_etag_cache_is_used_on_the_next_run(clean_site):
    site, base = clean_site
    first = crawl(base)
    cache = first.cache
    assert base + "/news/a1.html" in cache
    second = Crawler(
        base + "/", limits=Limits(delay=0), allow_internal=True, matcher=ExpressionMatcher(STARTER_LIST), cache=cache
    ).run()
    assert second.not_modified >= 1
    assert evaluate(second, today=TODAY)["findings"] == []


def test_robots_txt_is_respected(clean_site):
    site, base = clean_site
    site.add("/robots.txt", "User-agent: *\nDisallow: /news/\n", "text/plain")
    result = crawl(base)
    assert "/news/" not in site.hits and "/news/a1.html" not in site.hits
    assert result.robots_skipped > 0
    ignoring = Crawler(base + "/", limits=Limits(delay=0), allow_internal=True, respect_robots=False).run()
    assert ignoring.robots_skipped == 0 and site.hits.get("/news/", 0) >= 1


@pytest.mark.parametrize(
    "url, code",
    [
        ("ftp://127.0.0.1/", "refused"),
        ("javascript:alert(1)", "refused"),
        ("http://127.0.0.1:1/", "unreachable"),
    ],
)
def test_bad_start_urls_give_clear_errors(url, code):
    allow = code != "refused"
    with pytest.raises(SiteUnavailable) as raised:
        Crawler(url, limits=Limits(delay=0, page_seconds=2), allow_internal=allow).run()
    assert raised.value.code == code
    assert str(raised.value)


def test_private_address_refused_without_permission(clean_site):
    _site, base = clean_site
    with pytest.raises(SiteUnavailable) as raised:
        Crawler(base + "/", limits=Limits(delay=0)).run()
    assert raised.value.code == "refused"
    assert "127.0.0.1" in str(raised.value)


def test_non_html_and_offsite_redirect_start(clean_site):
    site, base = clean_site
    site.add("/file.pdf", b"%PDF-1.4", "application/pdf")
    with pytest.raises(SiteUnavailable) as raised:
        crawl(base.rstrip("/") + "/file.pdf".replace("/file.pdf", "") + "/file.pdf") if False else Crawler(
            base + "/file.pdf", limits=Limits(delay=0), allow_internal=True
        ).run()
    assert raised.value.code == "not_html"
    from tests.inspection.sites import redirect

    site.add("/moved", redirect("http://localhost:9/"))
    with pytest.raises(SiteUnavailable) as raised:
        Crawler(base + "/moved", limits=Limits(delay=0), allow_internal=True).run()
    assert raised.value.code == "offsite_redirect"
