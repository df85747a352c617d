"""The back-office check (后台使用): reads the page tree, revisions and page log of the trainee's practice area."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from wagtail.models import Page, PageLogEntry, Revision

from quizzes.models import NewsPage

from .report import CheckReport


def _aware(value):
    when = parse_datetime(value)
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return when


def check_backoffice(*, area: Page, spec: dict) -> CheckReport:
    report = CheckReport()
    pages = list(Page.objects.descendant_of(area).select_related("content_type"))
    by_pk = {page.pk: page for page in pages}
    parent_of = {page.path: page for page in pages}
    news = {n.pk: n for n in NewsPage.objects.descendant_of(area).prefetch_related("tags").select_related("featured_image")}

    def parent_title(page) -> str:
        parent = parent_of.get(page.path[: -page.steplen])
        return parent.title if parent else ""

    def matching(text: str):
        return [page for page in pages if text in page.title]

    for item in spec["expect"]:
        text = item["title_contains"]
        found = matching(text)
        kind = item["type"]
        if kind == "news_published":
            candidates = [news[p.pk] for p in found if p.pk in news]
            best = next((n for n in candidates if n.live), candidates[0] if candidates else None)
            label = _("News “%(text)s” published under “%(section)s”") % {"text": text, "section": item["section"]}
            if best is None:
                report.add("news", label, required=_("a news page"), measured=_("not found"), passed=False)
                continue
            problems = []
            if not best.live:
                problems.append(_("not published"))
            if parent_title(best) != item["section"]:
                problems.append(_("in “%(section)s”") % {"section": parent_title(best)})
            if item.get("tag") and item["tag"] not in {t.name for t in best.tags.all()}:
                problems.append(_("tag “%(tag)s” missing") % {"tag": item["tag"]})
            if item.get("featured_image") and best.featured_image is None:
                problems.append(_("no featured image"))
            required = [_("published"), _("in “%(section)s”") % {"section": item["section"]}]
            if item.get("tag"):
                required.append(_("tag “%(tag)s”") % {"tag": item["tag"]})
            if item.get("featured_image"):
                required.append(_("featured image"))
            report.add("news", label, required="、".join(required), measured="、".join(problems) or _("all as required"), passed=not problems)
        elif kind == "scheduled":
            when = _aware(item["go_live_at"])
            label = _("“%(text)s” scheduled to go live at %(when)s") % {"text": text, "when": timezone.localtime(when).strftime("%Y-%m-%d %H:%M")}
            ids = [p.pk for p in found]
            scheduled = (
                Revision.page_revisions.filter(object_id__in=[str(pk) for pk in ids], approved_go_live_at__isnull=False)
                .order_by("-created_at").first() if ids else None
            )
            if scheduled is None:
                report.add("scheduled", label, required=_("scheduled publication"), measured=_("not scheduled") if ids else _("not found"), passed=False)
                continue
            at = scheduled.approved_go_live_at
            ok = abs(at - when) <= timedelta(minutes=1)
            report.add("scheduled", label, required=timezone.localtime(when).strftime("%Y-%m-%d %H:%M"),
                       measured=timezone.localtime(at).strftime("%Y-%m-%d %H:%M"), passed=ok)
        elif kind == "moved":
            label = _("“%(text)s” moved to “%(section)s”") % {"text": text, "section": item["section"]}
            moved_ids = set(
                PageLogEntry.objects.filter(page_id__in=[p.pk for p in found], action="wagtail.move").values_list("page_id", flat=True)
            ) if found else set()
            target = next((p for p in found if parent_title(p) == item["section"]), None)
            if target is None:
                where = "、".join(parent_title(p) for p in found) or _("not found")
                report.add("moved", label, required=item["section"], measured=where, passed=False)
            else:
                report.add("moved", label, required=_("moved into “%(section)s”") % {"section": item["section"]},
                           measured=_("moved") if target.pk in moved_ids else _("created there, not moved"), passed=target.pk in moved_ids)
        elif kind == "unpublished":
            label = _("“%(text)s” unpublished") % {"text": text}
            target = next((p for p in found if p.first_published_at and not p.live), None)
            if target is not None:
                report.add("unpublished", label, required=_("unpublished (kept as a draft)"), measured=_("unpublished"), passed=True)
            else:
                measured = _("still live") if any(p.live for p in found) else (_("never published") if found else _("not found"))
                report.add("unpublished", label, required=_("unpublished (kept as a draft)"), measured=measured, passed=False)
    report.facts = {"area_id": area.pk, "pages": len(by_pk)}
    return report
