"""Writes of site inspection: registering sites, queuing and running inspections, storing their findings,
opening and closing 整改 items, availability probes."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.models import CountyTeam, User
from lms.services import record_audit

from . import rules
from .crawler import Crawler, SiteUnavailable
from .expressions import ExpressionMatcher
from .fetching import Limits, check_url, fetch, make_client
from .models import (
    AvailabilityProbe,
    ExpressionRule,
    Finding,
    InspectedSite,
    InspectionRun,
    PageCache,
    Rectification,
    RuleWeight,
    SiteColumn,
)
from .signals import rectification_closed, rectification_opened

logger = logging.getLogger(__name__)


def limits() -> Limits:
    """The bureau's caps, with any override from settings.INSPECTION_LIMITS (tests shrink delays and timeouts)."""
    return Limits(**getattr(settings, "INSPECTION_LIMITS", {}))


def lease_seconds() -> float:
    # A run's crawl is capped at max_seconds, so a run whose worker has not finished long after that died.
    return limits().max_seconds + 300


def expression_matcher() -> ExpressionMatcher:
    return ExpressionMatcher(list(ExpressionRule.objects.filter(is_active=True).values_list("wrong", "right")))


def weights() -> dict[str, tuple[float, float]]:
    return {row.rule: (float(row.points), float(row.cap)) for row in RuleWeight.objects.all()}


@transaction.atomic
def register_site(
    *, team: CountyTeam, base_url: str, name: str = "", actor: User | None, allow_internal: bool = False, start_pages: str = ""
) -> InspectedSite:
    """Register a team's site; refuses what is not http(s) and internal addresses unless allowed (RefusedURL)."""
    check_url(base_url, allow_internal=allow_internal)
    site = InspectedSite.objects.create(
        team=team, base_url=base_url, name=name or team.name, allow_internal=allow_internal, start_pages=start_pages
    )
    record_audit(actor=actor, action="inspection.site_register", obj=site, team=team, after={"base_url": base_url})
    return site


def request_run(
    *, site: InspectedSite, actor: User | None = None, today: date | None = None, enqueue: bool = True
) -> InspectionRun:
    """Queue an inspection of `site` (a run already queued or running is returned instead of a second one)."""
    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            run = InspectionRun.objects.create(site=site, today=today, requested_by=actor)
            record_audit(
                actor=actor, action="inspection.run_request", obj=run, team=site.team, after={"today": today.isoformat()}
            )
    except IntegrityError:
        return InspectionRun.objects.get(site=site, state__in=[InspectionRun.State.QUEUED, InspectionRun.State.RUNNING])
    if enqueue:
        from .tasks import run_inspection

        transaction.on_commit(lambda: run_inspection.enqueue(run_id=run.pk))
    return run


def claim_run(*, run_id: int) -> InspectionRun | None:
    """Take a queued run, or a running one whose worker stopped (no finish within the lease). None: not ours to run."""
    with transaction.atomic():
        run = InspectionRun.objects.select_for_update().select_related("site", "site__team").filter(pk=run_id).first()
        if run is None or run.state in (InspectionRun.State.DONE, InspectionRun.State.FAILED):
            return None
        now = timezone.now()
        if (
            run.state == InspectionRun.State.RUNNING
            and run.heartbeat_at
            and (now - run.heartbeat_at).total_seconds() < lease_seconds()
        ):
            return None
        run.state, run.started_at, run.heartbeat_at = InspectionRun.State.RUNNING, now, now
        run.attempts += 1
        run.save(update_fields=["state", "started_at", "heartbeat_at", "attempts"])
        return run


def stale_runs():
    """Runs whose worker died (resumed by `inspect_sites`, by any worker)."""
    cutoff = timezone.now() - timedelta(seconds=lease_seconds())
    return InspectionRun.objects.filter(state=InspectionRun.State.RUNNING, heartbeat_at__lt=cutoff)


def execute_run(*, run_id: int) -> InspectionRun | None:
    """Crawl and judge the run's site, then store everything in one transaction (the run is redone
    whole if its worker dies: the pages cached by earlier runs make the redo cheap)."""
    run = claim_run(run_id=run_id)
    if run is None:
        return None
    site = run.site
    overrides = {
        column.url: {"kind": column.kind, "excluded": column.excluded}
        for column in SiteColumn.objects.filter(site=site).only("url", "kind", "excluded")
    }
    cache = {row.url: row.data for row in PageCache.objects.filter(site=site).only("url", "data")}
    crawler = Crawler(
        site.base_url,
        limits=limits(),
        allow_internal=site.allow_internal,
        respect_robots=site.respect_robots,
        matcher=expression_matcher(),
        cache=cache,
        extra_start_pages=site.extra_start_pages(),
    )
    try:
        crawl = crawler.run()
    except SiteUnavailable as unavailable:
        with transaction.atomic():
            AvailabilityProbe.objects.create(site=site, at=timezone.now(), ok=False, elapsed=0, detail=str(unavailable)[:300])
            InspectionRun.objects.filter(pk=run.pk).update(
                state=InspectionRun.State.FAILED, finished_at=timezone.now(), error=str(unavailable)
            )
        run.refresh_from_db()
        return run
    report = rules.evaluate(
        crawl,
        today=run.today,
        column_overrides=overrides,
        weights=weights(),
        availability=availability(site=site, today=run.today),
    )
    return store_results(run=run, crawl=crawl, report=report)


def availability(*, site: InspectedSite, today: date) -> dict:
    """The last week's scheduled probes of the site: how many, how many failed (≥ 15 s or no answer)."""
    start, end = rules.reference_window(today)
    probes = AvailabilityProbe.objects.filter(site=site, at__date__gt=start, at__date__lte=end)
    return {"probes": probes.count(), "failures": probes.filter(ok=False).count()}


@transaction.atomic
def store_results(*, run: InspectionRun, crawl, report: dict) -> InspectionRun:
    run = InspectionRun.objects.select_for_update().select_related("site", "site__team").get(pk=run.pk)
    site = run.site
    Finding.objects.filter(run=run).delete()  # a redone run replaces what a dead worker may have left
    Finding.objects.bulk_create(
        [
            Finding(
                run=run,
                rule=f["rule"],
                key=f["key"],
                url=f["url"][:500],
                column=f["column"][:500],
                item=f["item"][:500],
                dates=f["dates"],
                evidence=f["evidence"],
            )
            for f in report["findings"]
        ]
    )
    _store_columns(site=site, columns=crawl.columns)
    if crawl.cache:
        PageCache.objects.bulk_create(
            [PageCache(site=site, url=url[:500], data=data) for url, data in crawl.cache.items() if len(url) <= 500],
            update_conflicts=True,
            unique_fields=["site", "url"],
            update_fields=["data", "updated_at"],
        )
    run.state, run.finished_at, run.pages = InspectionRun.State.DONE, timezone.now(), len(crawl.pages)
    run.verdict, run.deciding_rule, run.score = report["verdict"], report["deciding_rule"], report["score"]
    run.report = {key: value for key, value in report.items() if key != "findings"}
    run.save()
    sync_rectifications(run=run, findings=report["findings"], visited=set(crawl.pages), complete=not crawl.capped)
    record_audit(
        actor=run.requested_by,
        action="inspection.verdict",
        obj=run,
        team=site.team,
        after={
            "verdict": run.verdict,
            "deciding_rule": run.deciding_rule,
            "score": report["score"],
            "findings": len(report["findings"]),
        },
    )
    return run


def _store_columns(*, site: InspectedSite, columns: list[dict]) -> None:
    """New columns are added with their class; known ones keep the bureau's class and exclusion."""
    known = {column.url: column for column in SiteColumn.objects.filter(site=site)}
    new = []
    for column in columns:
        row = known.get(column["url"])
        if row is None:
            new.append(SiteColumn(site=site, url=column["url"][:500], name=column["name"][:100], detected_kind=column["kind"]))
        elif row.name != column["name"][:100] or row.detected_kind != column["kind"]:
            row.name, row.detected_kind = column["name"][:100], column["kind"]
            row.save(update_fields=["name", "detected_kind", "last_seen"])
    SiteColumn.objects.bulk_create(new, ignore_conflicts=True)


def _lesson_for(rule_id: str, found: dict) -> tuple[str, str]:
    word = rules.RULES_BY_ID[rule_id].lesson
    if not word:
        return "", ""
    if word not in found:
        from courses.models import LessonPage

        lesson = LessonPage.objects.live().filter(title__icontains=word).order_by("path").first()
        found[word] = (lesson.get_url() or "", lesson.title) if lesson else ("", "")
    return found[word]


def sync_rectifications(*, run: InspectionRun, findings: list[dict], visited: set[str], complete: bool) -> None:
    """Open a 整改 item for each new finding; close the open items this run no longer finds (only for pages
    the run read, when caps cut it short). Must run inside the transaction that stores the run."""
    site, now = run.site, timezone.now()
    open_items = {item.key: item for item in Rectification.objects.select_for_update().filter(site=site, closed_at__isnull=True)}
    found_keys, lessons, opened, closed = set(), {}, [], []
    for finding in findings:
        found_keys.add(finding["key"])
        if finding["key"] in open_items:
            continue
        rule = rules.RULES_BY_ID[finding["rule"]]
        lesson_url, lesson_title = _lesson_for(rule.id, lessons)
        days = 7 if rule.veto else 30
        opened.append(
            Rectification(
                site=site,
                team=site.team,
                key=finding["key"],
                rule=rule.id,
                url=finding["url"][:500],
                column=finding["column"][:500],
                item=finding["item"][:500],
                evidence=finding["evidence"],
                lesson_url=lesson_url,
                lesson_title=lesson_title,
                opened_at=now,
                deadline=run.today + timedelta(days=days),
                opened_run=run,
            )
        )
    Rectification.objects.bulk_create(opened)
    for key, item in open_items.items():
        if key in found_keys or (not complete and item.url not in visited):
            continue
        item.closed_at, item.closed_run = now, run
        item.save(update_fields=["closed_at", "closed_run"])
        closed.append(item)
    opened = list(Rectification.objects.filter(opened_run=run, closed_at__isnull=True)) if opened else []
    transaction.on_commit(lambda: _announce(opened, closed))


def _announce(opened: list[Rectification], closed: list[Rectification]) -> None:
    for item in opened:
        rectification_opened.send(sender=Rectification, item=item)
    for item in closed:
        rectification_closed.send(sender=Rectification, item=item)


def probe_site(*, site: InspectedSite) -> AvailabilityProbe:
    """One scheduled visit of the home page: a failure is no answer, an error status, or over 15 s."""
    caps = limits()
    from .fetching import HostGate

    with make_client(caps) as client:
        response = fetch(client, HostGate(1, 0), site.base_url, limits=caps, allow_internal=site.allow_internal)
    ok = response.ok and response.elapsed <= caps.page_seconds and not response.error_code
    detail = response.error or ("" if ok else _("HTTP status %(status)s") % {"status": response.status})
    return AvailabilityProbe.objects.create(
        site=site, at=timezone.now(), ok=ok, elapsed=round(response.elapsed, 3), detail=detail[:300]
    )


def inspect_url(
    url: str, *, today: date, allow_internal: bool = False, respect_robots: bool = True, caps: Limits | None = None
) -> dict:
    """Inspect a site without registering it (the `inspect_site` command, practice sites): the report
    with its findings. Raises SiteUnavailable with a clear message when the site cannot be inspected."""
    crawl = Crawler(
        url, limits=caps or limits(), allow_internal=allow_internal, respect_robots=respect_robots, matcher=expression_matcher()
    ).run()
    report = rules.evaluate(crawl, today=today, weights=weights())
    report["url"] = url
    return report
