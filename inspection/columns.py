"""Columns (栏目): found in a home page's navigation and its blocks with a 更多 link, classed by name.

The classes and their update windows are the checklist's (国办秘函〔2019〕19号): news columns within 2 weeks,
notices and policy documents within 6 months; personnel and planning columns are "should be updated"
columns (we give them a year); interaction columns are checked for unanswered messages instead.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .fetching import same_host


class ColumnKind(models.TextChoices):
    NEWS = "news", _("News (动态要闻类)")
    NOTICE = "notice", _("Notices and policies (通知公告·政策文件类)")
    PERSONNEL = "personnel", _("Personnel and planning (人事·规划类)")
    INTERACTION = "interaction", _("Interaction (互动类)")
    OTHER = "other", _("Other (其他)")


# Update window in days per class; None: no window (not a "should be updated" column).
WINDOW_DAYS = {
    ColumnKind.NEWS: 14,
    ColumnKind.NOTICE: 183,
    ColumnKind.PERSONNEL: 365,
    ColumnKind.INTERACTION: None,
    ColumnKind.OTHER: None,
}

# Checked in this order: "政策解读动态" is news, "通知公告" is a notice. Interaction first: "咨询动态" is rare,
# "在线咨询" common.
_KEYWORDS = [
    (ColumnKind.INTERACTION, ("留言", "咨询", "信箱", "互动", "问答", "投诉", "建议", "征集", "来信")),
    (ColumnKind.NEWS, ("动态", "要闻", "新闻", "资讯", "快讯", "头条", "工作信息", "商务信息", "政务信息")),
    (ColumnKind.NOTICE, ("通知", "公告", "公示", "政策", "文件", "法规", "规章", "解读", "规范性")),
    (ColumnKind.PERSONNEL, ("人事", "任免", "招聘", "规划", "计划", "总结", "机构", "领导", "统计")),
]
_NOT_COLUMNS = ("首页", "网站首页", "返回首页", "无障碍", "English", "登录", "注册", "网站地图", "关于我们", "联系我们")


def classify(name: str) -> str:
    for kind, words in _KEYWORDS:
        if any(word in name for word in words):
            return kind
    return ColumnKind.OTHER


def discover(home: dict, base_url: str) -> list[dict]:
    """The columns a home page links to: its navigation entries and its blocks' 更多 links, same host only."""
    found: dict[str, dict] = {}
    for name, url in home["blocks"] + home["nav"]:
        name = name.strip()
        if not name or name in _NOT_COLUMNS or not same_host(url, base_url) or url.rstrip("/") == base_url.rstrip("/"):
            continue
        if url not in found:
            found[url] = {"name": name, "url": url, "kind": classify(name)}
    return list(found.values())
