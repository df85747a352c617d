"""The checks: each rule has an id, the checklist's wording, its source, and what it costs.

`evaluate` turns a crawl into findings (each with its evidence: URL, column, item, dates), the verdict
(合格/不合格 and the 单项否决 rule that decided it) and a 100-point score. Nothing here touches the
database: the same function serves registered sites, `inspect_site` and practice sites.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from . import dates
from .columns import WINDOW_DAYS, ColumnKind
from .crawler import CrawlResult
from .fetching import same_host

CHECKLIST = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"
HOUSE = "站长学堂内部规范（图文并茂）"


@dataclass(frozen=True)
class Rule:
    id: str
    wording: str  # the checklist's words, in Chinese as published
    source: str
    veto: str = ""  # when this rule fails a site outright: the threshold in words
    points: float = 0.0  # deducted per finding …
    cap: float = 0.0  # … up to this much for the rule
    lesson: str = ""  # words in the title of the lesson that teaches the fix


RULES = [
    Rule("severe_error", "存在严重错别字或严重表述错误", CHECKLIST, veto="出现1处即否决", lesson="信息每日更新"),
    Rule(
        "site_unavailable",
        "网站不能访问：监测1周，每天20次以上，超过15秒打不开为不可访问，累计不可访问比例≥5%",
        CHECKLIST,
        veto="比例≥5%",
    ),
    Rule("home_not_updated", "首页栏目信息超过2周未更新", CHECKLIST, veto="首页2周无新信息", lesson="信息每日更新"),
    Rule(
        "column_not_updated",
        "栏目不更新：动态、要闻类栏目超过2周未更新，通知公告、政策文件类栏目超过6个月未更新（无发布日期的视为未更新）",
        CHECKLIST,
        veto="≥5个动态·通知类栏目，或≥10个应更新栏目",
        points=2,
        cap=20,
        lesson="信息每日更新",
    ),
    Rule("blank_column", "空白栏目：栏目无任何信息", CHECKLIST, veto="≥5个", points=2, cap=10, lesson="栏目设置"),
    Rule("unanswered_message", "互动回应差：留言超过3个月未回复（近1年内）", CHECKLIST, veto="出现即否决", lesson="信息每日更新"),
    Rule("broken_link", "链接不可用：首页及其他页面的链接打不开（含外部链接）", CHECKLIST, points=1, cap=20, lesson="栏目设置"),
    Rule("broken_image", "图片无法显示", CHECKLIST, points=0.5, cap=10, lesson="图片处理"),
    Rule("slow_page", "页面超过15秒未打开", CHECKLIST, points=1, cap=10),
    Rule("page_too_large", "页面过大（超过检查上限）", HOUSE, points=1, cap=5, lesson="图片处理"),
    Rule("offsite_redirect", "站内链接跳转到其他网站", HOUSE, points=0, cap=0),
    Rule("article_without_picture", "文章无配图（图文并茂）", HOUSE, points=0.5, cap=10, lesson="图片处理"),
    Rule("image_without_alt", "图片缺少替代文字（alt）", HOUSE, points=0.2, cap=5, lesson="图片处理"),
]
RULES_BY_ID = {rule.id: rule for rule in RULES}
VETO_ORDER = ["severe_error", "site_unavailable", "home_not_updated", "column_not_updated", "blank_column", "unanswered_message"]

STALE_VETO_NEWS_NOTICE = 5
STALE_VETO_ANY = 10
BLANK_VETO = 5
UNANSWERED_DAYS = 90
AVAILABILITY_VETO_RATIO = 0.05

PASS, FAIL = "pass", "fail"
VERDICT_LABELS = {PASS: _("合格"), FAIL: _("不合格")}


def _finding(
    rule: str, *, url: str, column: str = "", item: str = "", dates_: dict | None = None, evidence: str = "", key: str = ""
):
    return {
        "rule": rule,
        "key": f"{rule}|{key or url}|{item}"[:500],
        "url": url,
        "column": column,
        "item": item,
        "dates": dates_ or {},
        "evidence": evidence,
    }


def _newest(stored: list[str], today: date) -> date | None:
    values = [d for d in (dates.resolve(s, today) for s in stored) if d and d <= today]
    return max(values) if values else None


def evaluate(
    crawl: CrawlResult,
    *,
    today: date,
    column_overrides: dict[str, dict] | None = None,
    weights: dict[str, tuple[float, float]] | None = None,
    availability: dict | None = None,
) -> dict:
    """Findings, verdict, deciding rule and score of one crawl.

    `column_overrides`: url → {"kind": …, "excluded": bool, "name": …} (the bureau's corrections).
    `weights`: rule id → (points, cap) replacing the defaults. `availability`: {"probes", "failures"}
    over the last week (scheduled probes), when there are any.
    """
    overrides = column_overrides or {}
    findings: list[dict] = []
    columns = []
    names = {column["url"]: column["name"] for column in crawl.columns}
    for column in crawl.columns:
        override = overrides.get(column["url"], {})
        if override.get("excluded"):
            continue
        columns.append({**column, "kind": override.get("kind") or column["kind"], "name": override.get("name") or column["name"]})

    # Severe errors, once per page and expression.
    for url, page in crawl.pages.items():
        for error in page.get("errors", []):
            findings.append(
                _finding(
                    "severe_error",
                    url=url,
                    column=names.get(page.get("column", ""), ""),
                    item=error["wrong"],
                    evidence=f"“{error['wrong']}”应为“{error['right']}”：…{error['context']}…",
                )
            )

    # Availability: the week's probes, and this run's own visit of the home page.
    if availability and availability.get("probes"):
        ratio = availability["failures"] / availability["probes"]
        if ratio >= AVAILABILITY_VETO_RATIO:
            findings.append(
                _finding(
                    "site_unavailable",
                    url=crawl.start_url,
                    evidence=(f"近7天监测{availability['probes']}次，不可访问{availability['failures']}次（{ratio:.1%}）"),
                )
            )
    if crawl.home_failed:
        findings.append(_finding("slow_page", url=crawl.start_url, evidence=f"首页加载用时{crawl.home_elapsed:.1f}秒"))

    # Home page updates: the newest dated item on it; a navigation-only home page is judged by its columns.
    home = crawl.pages.get(crawl.start_url, {})
    home_dates = [d for item in home.get("items", []) for d in item["dates"]]
    basis = "首页"
    if not home_dates:
        basis = "各二级栏目（首页仅为导航）"
        home_dates = [
            d for page in crawl.pages.values() if page.get("kind") == "column" for item in page["items"] for d in item["dates"]
        ]
    newest = _newest(home_dates, today)
    if newest is None or (today - newest).days > 14:
        findings.append(
            _finding(
                "home_not_updated",
                url=crawl.start_url,
                dates_={"newest": newest.isoformat() if newest else None},
                evidence=(
                    f"{basis}最新信息日期：{newest.isoformat()}，距检查日{(today - newest).days}天"
                    if newest
                    else f"{basis}没有带日期的信息"
                ),
            )
        )

    # Columns: blank, not updated in their window, unanswered messages.
    stale_news_notice = stale_any = blank = 0
    column_report = []
    for column in columns:
        pages = [p for p in crawl.pages.values() if p.get("column") == column["url"] and p.get("kind") == "column"]
        if not pages:
            column_report.append({**column, "state": "unread", "newest": None, "items": 0})
            continue
        items = [item for page in pages for item in page["items"] if same_host(item["href"], crawl.start_url) or item["dates"]]
        article_dates = [
            p["published"]
            for p in crawl.pages.values()
            if p.get("column") == column["url"] and p.get("kind") == "article" and p.get("published")
        ]
        stored = [d for item in items for d in item["dates"]] + article_dates
        newest_col = _newest(stored, today)
        state = "ok"
        if not items:
            state = "blank"
            blank += 1
            findings.append(
                _finding(
                    "blank_column",
                    url=column["url"],
                    column=column["name"],
                    evidence="栏目列表没有任何信息" + ("（页面显示“暂无信息”）" if any(p["empty_notice"] for p in pages) else ""),
                )
            )
        elif column["kind"] == ColumnKind.INTERACTION:
            for item in items:
                asked = _newest(item["dates"][:1], today)
                if not asked or len(item["dates"]) > 1 or not item["unanswered"]:
                    continue
                waited = (today - asked).days
                if waited > UNANSWERED_DAYS and waited <= 365:
                    findings.append(
                        _finding(
                            "unanswered_message",
                            url=column["url"],
                            column=column["name"],
                            item=item["title"],
                            dates_={"asked": asked.isoformat()},
                            evidence=f"留言于{asked.isoformat()}，{waited}天未回复",
                        )
                    )
        else:
            window = WINDOW_DAYS.get(column["kind"])
            if window is not None and (newest_col is None or (today - newest_col).days > window):
                state = "stale"
                stale_any += 1
                if column["kind"] in (ColumnKind.NEWS, ColumnKind.NOTICE):
                    stale_news_notice += 1
                findings.append(
                    _finding(
                        "column_not_updated",
                        url=column["url"],
                        column=column["name"],
                        dates_={"newest": newest_col.isoformat() if newest_col else None, "window_days": window},
                        evidence=(
                            f"最新信息{newest_col.isoformat()}，超过{window}天未更新"
                            if newest_col
                            else "栏目信息没有发布日期，视为未更新"
                        ),
                    )
                )
        column_report.append(
            {**column, "state": state, "newest": newest_col.isoformat() if newest_col else None, "items": len(items)}
        )

    # Links and images, each checked once in the run.
    for href, entry in crawl.links.items():
        internal = same_host(href, crawl.start_url)
        code, status = entry.get("error_code", ""), entry.get("status", 0)
        source = entry["sources"][0]
        if code == "offsite_redirect" and internal:
            findings.append(_finding("offsite_redirect", url=source, item=href, evidence=entry.get("message", "")))
            continue
        broken = status >= 400 or code == "redirect_loop" or (internal and code in ("unreachable", "slow"))
        if broken:
            rule = "broken_image" if entry["image"] else "broken_link"
            findings.append(
                _finding(
                    rule,
                    url=source,
                    item=href,
                    key=href,
                    evidence=(f"HTTP {status}" if status >= 400 else entry.get("message", ""))
                    + f"（出现在{len(entry['sources'])}个页面）",
                )
            )
    for url, page in crawl.pages.items():
        if page.get("truncated"):
            findings.append(
                _finding(
                    "page_too_large",
                    url=url,
                    column=names.get(page.get("column", ""), ""),
                    evidence="页面超过检查上限，只读取了前一部分",
                )
            )
        if page.get("slow") and url != crawl.start_url:
            findings.append(
                _finding("slow_page", url=url, column=names.get(page.get("column", ""), ""), evidence="页面超过15秒未加载完")
            )
        if page.get("kind") == "article" and page.get("content_images", 0) == 0:
            findings.append(
                _finding(
                    "article_without_picture", url=url, column=names.get(page.get("column", ""), ""), item=page.get("title", "")
                )
            )
        for image in page.get("images", []):
            if not image["alt"]:
                findings.append(
                    _finding("image_without_alt", url=url, item=image["src"], key=image["src"], evidence=image["src"])
                )
    for error in crawl.page_errors:
        if error["code"] == "slow":
            findings.append(_finding("slow_page", url=error["url"], evidence=error["message"]))

    findings = _dedupe(findings)
    vetoes = _vetoes(findings, stale_news_notice=stale_news_notice, stale_any=stale_any, blank=blank)
    score, deductions = _score(findings, weights or {})
    return {
        "verdict": FAIL if vetoes else PASS,
        "deciding_rule": vetoes[0] if vetoes else "",
        "vetoes": vetoes,
        "score": score,
        "deductions": deductions,
        "findings": findings,
        "columns": column_report,
        "pages": len(crawl.pages),
        "links_checked": len(crawl.links),
        "capped": crawl.capped,
        "today": today.isoformat(),
        "counts": {"stale_news_notice": stale_news_notice, "stale_any": stale_any, "blank": blank},
    }


def _dedupe(findings: list[dict]) -> list[dict]:
    seen, unique = set(), []
    for finding in findings:
        if finding["key"] not in seen:
            seen.add(finding["key"])
            unique.append(finding)
    return unique


def _vetoes(findings, *, stale_news_notice: int, stale_any: int, blank: int) -> list[str]:
    present = {finding["rule"] for finding in findings}
    failed = []
    for rule in VETO_ORDER:
        if rule == "column_not_updated":
            hit = stale_news_notice >= STALE_VETO_NEWS_NOTICE or stale_any >= STALE_VETO_ANY
        elif rule == "blank_column":
            hit = blank >= BLANK_VETO
        else:
            hit = rule in present
        if hit:
            failed.append(rule)
    return failed


def _score(findings: list[dict], weights: dict[str, tuple[float, float]]) -> tuple[float, dict[str, float]]:
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding["rule"]] = counts.get(finding["rule"], 0) + 1
    deductions = {}
    for rule_id, count in counts.items():
        rule = RULES_BY_ID[rule_id]
        points, cap = weights.get(rule_id, (rule.points, rule.cap))
        taken = min(cap, points * count)
        if taken:
            deductions[rule_id] = round(taken, 2)
    return round(max(0.0, 100.0 - sum(deductions.values())), 1), deductions


def reference_window(today: date) -> tuple[date, date]:
    """The availability week ending on `today`."""
    return today - timedelta(days=7), today
