"""The topic-page check (专题制作): reads the trainee's TopicPage in their practice area."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page

from quizzes.models import TopicPage

from .report import CheckReport

PAGE_LINK = re.compile(r'<a[^>]*\blinktype="page"[^>]*\bid="(\d+)"', re.I)
EMBED_IMAGE = re.compile(r'<embed[^>]*\bembedtype="image"[^>]*>', re.I)
ALT = re.compile(r'\balt="([^"]*)"', re.I)
TAG = re.compile(r"<[^>]+>")


def find_topic_page(area: Page, spec: dict) -> TopicPage | None:
    """The topic page to check: the most recently edited one in the area (whose title matches, if the spec says)."""
    pages = TopicPage.objects.descendant_of(area)
    if spec.get("title_contains"):
        pages = pages.filter(title__contains=spec["title_contains"])
    return pages.order_by("-latest_revision_created_at", "-pk").first()


def _plain(html: str) -> str:
    return unescape(TAG.sub("", html or "")).strip()


def check_topic_page(*, area: Page, spec: dict, now=None) -> tuple[CheckReport, TopicPage | None]:
    now = now or timezone.now()
    report = CheckReport()
    page = find_topic_page(area, spec)
    if page is None:
        wanted = spec.get("title_contains")
        report.error = (
            _("No topic page whose title contains “%(text)s” was found in your practice area.") % {"text": wanted}
            if wanted else _("No topic page was found in your practice area. Create one in the admin first.")
        )
        return report, None
    # The draft is what the trainee is working on; whether it is live is a criterion of its own.
    content = page.get_latest_revision_as_object() if page.has_unpublished_changes else page
    report.facts = {"page_id": page.pk, "title": content.title}

    lead = (content.lead or "").strip()
    if spec.get("require_lead", True):
        report.add("title_lead", _("Title and lead paragraph"), required=_("a title and a lead of at least 20 characters"),
                   measured=_("title “%(title)s”, lead %(n)s characters") % {"title": content.title, "n": len(lead)},
                   passed=bool(content.title.strip()) and len(lead) >= 20,
                   hint=_("Open with one or two sentences saying what the topic is about."))

    columns = [block.value for block in content.columns if block.block_type == "column"]
    report.add("columns", _("Columns"), required=_("at least %(n)s") % {"n": spec["min_columns"]},
               measured=str(len(columns)), passed=len(columns) >= spec["min_columns"])

    empty, pictures, missing_alt, link_ids, chooser_links = [], 0, 0, set(), []
    for column in columns:
        filled = False
        for item in column["items"]:
            if item.block_type == "text":
                html = item.value.source
                filled |= bool(_plain(html))
                link_ids.update(int(pk) for pk in PAGE_LINK.findall(html))
                for embed in EMBED_IMAGE.findall(html):
                    pictures += 1
                    filled = True
                    alt = ALT.search(embed)
                    missing_alt += not (alt and alt.group(1).strip())
            elif item.block_type == "picture":
                if item.value["image"] is not None:
                    pictures += 1
                    filled = True
                    missing_alt += not (item.value["alt_text"] or "").strip()
            elif item.block_type == "page_link":
                chooser_links.append(item.value)
                filled = True
        if not filled:
            empty.append(column["heading"])
    report.add("no_empty_column", _("No empty column (栏目无空白)"), required=_("every column has content"),
               measured=_("empty: %(names)s") % {"names": "、".join(empty)} if empty else _("none empty"), passed=not empty,
               hint=_("Fill each column with at least one item, or remove it."))
    report.add("images", _("Text with pictures (图文并茂)"), required=_("at least %(n)s pictures") % {"n": spec["min_images"]},
               measured=ngettext("%(n)s picture", "%(n)s pictures", pictures) % {"n": pictures}, passed=pictures >= spec["min_images"])
    report.add("alt_text", _("Every picture has alt text"), required=_("all pictures"),
               measured=_("%(n)s without alt text") % {"n": missing_alt} if missing_alt else _("all have alt text"), passed=missing_alt == 0,
               hint=_("Describe each picture in its “alt text” field, for readers who cannot see it."))

    if "banner_width" in spec:
        banner = content.banner_image
        measured = _("%(w)s × %(h)s px") % {"w": banner.width, "h": banner.height} if banner else _("no banner image")
        ok = banner is not None and (banner.width, banner.height) == (spec["banner_width"], spec["banner_height"])
        report.add("banner", _("Banner image size"), required=_("%(w)s × %(h)s px") % {"w": spec["banner_width"], "h": spec["banner_height"]}, measured=measured, passed=ok,
                   hint=_("Crop the banner to exactly this size before uploading it."))

    broken = _broken_links(link_ids, chooser_links)
    report.add("links", _("No broken internal links"), required=_("every link leads to a published page"),
               measured=ngettext("%(n)s broken link", "%(n)s broken links", broken) % {"n": broken} if broken else _("none broken"),
               passed=broken == 0, hint=_("A link to a deleted or unpublished page leads nowhere: relink or remove it."))

    report.add("published", _("Page is published"), required=_("live"),
               measured=(_("live, with unpublished changes") if page.has_unpublished_changes else _("live")) if page.live else _("draft"),
               passed=page.live)
    if "max_age_days" in spec:
        last = page.last_published_at
        age_days = (now - last).days if last else None
        report.add("fresh", _("Updated recently (信息每日更新)"), required=_("published within %(n)s days") % {"n": spec["max_age_days"]},
                   measured=_("%(n)s days ago") % {"n": age_days} if last else _("never published"),
                   passed=last is not None and now - last <= timedelta(days=spec["max_age_days"]))
    return report, page


def _broken_links(link_ids: set[int], chooser_links: list) -> int:
    live_ids = set(Page.objects.filter(pk__in=link_ids, live=True).values_list("pk", flat=True)) if link_ids else set()
    broken = len(link_ids - live_ids)
    broken += sum(1 for target in chooser_links if target is None or not target.live)
    return broken
