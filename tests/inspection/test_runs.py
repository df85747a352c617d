"""Registered sites: a run stores findings, opens 整改 items with lesson links, and a later run closes
what it no longer finds; corrections of columns survive; bad input is refused with a clear message."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from inspection import services
from inspection.fetching import RefusedURL
from inspection.models import AvailabilityProbe, InspectionRun, Rectification, SiteColumn
from inspection.signals import rectification_closed, rectification_opened
from lms.models import AuditEvent
from tests.factories import CourseFactory, LessonFactory
from tests.inspection.sites import article, page

TODAY = date(2026, 11, 30)


@pytest.fixture
def lessons(catalogue):
    course = CourseFactory(parent=catalogue, title="网站后台管理")
    return {title: LessonFactory(parent=course, title=title) for title in ("页面树与栏目设置", "信息每日更新", "网站图片处理")}


def register(team, base, admin):
    return services.register_site(team=team, base_url=base + "/", name="汉寿县商务局", actor=admin, allow_internal=True)


def run_now(site, actor=None):
    run = services.request_run(site=site, actor=actor, today=TODAY, enqueue=False)
    return services.execute_run(run_id=run.pk)


def test_run_opens_items_and_a_later_run_closes_the_fixed_one(
    defect_site, team, bureau_admin, lessons, django_capture_on_commit_callbacks
):
    site_server, base = defect_site
    site = register(team, base, bureau_admin)
    opened, closed = [], []
    rectification_opened.connect(lambda item, **kw: opened.append(item.rule), weak=False, dispatch_uid="t-open")
    rectification_closed.connect(lambda item, **kw: closed.append(item.rule), weak=False, dispatch_uid="t-close")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run = run_now(site, bureau_admin)
        assert (run.state, run.verdict, run.deciding_rule) == ("done", "fail", "severe_error")
        assert run.findings.count() == 20
        blank = Rectification.objects.get(site=site, rule="blank_column", url=base + "/zt/")
        assert blank.lesson_url == lessons["页面树与栏目设置"].url
        assert Rectification.objects.get(rule="column_not_updated", url=base + "/news/").lesson_title == "信息每日更新"
        assert Rectification.objects.get(rule="article_without_picture").lesson_title == "网站图片处理"
        assert blank.deadline == TODAY + timedelta(days=7)
        assert len(opened) == 20
        assert AuditEvent.objects.filter(action="inspection.verdict", object_id=str(run.pk)).exists()

        # The webmaster fills the blank column; the next run closes its item and nothing else.
        site_server.add("/zt/1.html", article("第二届常德汽博会", "2026-11-29"))
        site_server.add(
            "/zt/",
            page("专题专栏", '<ul class="list"><li><a href="/zt/1.html">第二届常德汽博会</a><span>2026-11-29</span></li></ul>'),
        )
        with django_capture_on_commit_callbacks(execute=True):
            second = run_now(site)
        blank.refresh_from_db()
        assert blank.closed_at is not None and blank.closed_run == second
        assert closed == ["blank_column"]
        assert Rectification.objects.filter(site=site, closed_at__isnull=True).count() == 19
        assert second.findings.count() == 19
    finally:
        rectification_opened.disconnect(dispatch_uid="t-open")
        rectification_closed.disconnect(dispatch_uid="t-close")


def test_column_corrections_survive_later_crawls(clean_site, team, bureau_admin):
    _server, base = clean_site
    site = register(team, base, bureau_admin)
    run_now(site)
    trade = SiteColumn.objects.get(site=site, name="对外贸易")
    assert trade.detected_kind == "other"
    trade.kind = "news"  # the bureau says: a news column (2-week window) → stale since April
    trade.save()
    ask = SiteColumn.objects.get(site=site, name="在线咨询")
    ask.excluded = True
    ask.save()
    second = run_now(site)
    trade.refresh_from_db()
    assert trade.kind == "news"
    assert [f.rule for f in second.findings.all()] == ["column_not_updated"]
    assert "在线咨询" not in [column["name"] for column in second.report["columns"]]


def test_one_run_in_flight_per_site_and_a_dead_workers_run_is_taken_again(clean_site, team, bureau_admin, settings):
    _server, base = clean_site
    site = register(team, base, bureau_admin)
    first = services.request_run(site=site, today=TODAY, enqueue=False)
    assert services.request_run(site=site, today=TODAY, enqueue=False) == first
    assert services.claim_run(run_id=first.pk) is not None
    assert services.claim_run(run_id=first.pk) is None  # its worker is alive
    InspectionRun.objects.filter(pk=first.pk).update(heartbeat_at=timezone.now() - timedelta(hours=2))
    assert list(services.stale_runs()) == [first]
    run = services.execute_run(run_id=first.pk)
    assert (run.state, run.attempts, run.verdict) == ("done", 2, "pass")


def test_register_refuses_bad_addresses(team, bureau_admin):
    with pytest.raises(RefusedURL, match="http"):
        services.register_site(team=team, base_url="ftp://example.org/", actor=bureau_admin)
    with pytest.raises(RefusedURL, match="127.0.0.1"):
        services.register_site(team=team, base_url="http://127.0.0.1:8000/", actor=bureau_admin)
    with pytest.raises(RefusedURL, match="10.1.2.3"):
        services.register_site(team=team, base_url="http://10.1.2.3/", actor=bureau_admin)


def test_unreachable_site_fails_the_run_with_a_message(team, bureau_admin):
    site = services.register_site(team=team, base_url="http://127.0.0.1:1/", actor=bureau_admin, allow_internal=True)
    run = run_now(site)
    assert run.state == "failed" and "127.0.0.1" in run.error
    assert AvailabilityProbe.objects.filter(site=site, ok=False).count() == 1


def test_weekly_availability_ratio_fails_the_site(clean_site, team, bureau_admin):
    _server, base = clean_site
    site = register(team, base, bureau_admin)
    now = timezone.now()
    when = timezone.make_aware(timezone.datetime(2026, 11, 28, 12))
    AvailabilityProbe.objects.bulk_create(
        [AvailabilityProbe(site=site, at=when, ok=n >= 3, elapsed=1.0) for n in range(40)]  # 3 of 40 = 7.5 %
    )
    run = run_now(site)
    assert (run.verdict, run.deciding_rule) == ("fail", "site_unavailable")
    assert services.probe_site(site=site).ok
    assert now


def test_inspect_site_command_writes_json(defect_site, tmp_path, db):
    import json

    _server, base = defect_site
    out = tmp_path / "report.json"
    call_command("inspect_site", base + "/", "--today", "2026-11-30", "--allow-internal", "--json", str(out))
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["verdict"] == "fail" and report["deciding_rule"] == "severe_error"
    assert {"rule", "url", "column", "item", "dates", "evidence"} <= set(report["findings"][0])


def test_inspect_site_command_refuses_private_address_without_flag(clean_site, db):
    from django.core.management.base import CommandError

    _server, base = clean_site
    with pytest.raises(CommandError, match="127.0.0.1"):
        call_command("inspect_site", base + "/", "--today", "2026-11-30")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("inspect_site", base + "/", "--today", "30/11/2026")


def test_inspect_sites_inline(clean_site, defect_site, team, other_team, bureau_admin):
    register(team, clean_site[1], bureau_admin)
    services.register_site(team=other_team, base_url=defect_site[1] + "/", actor=bureau_admin, allow_internal=True)
    call_command("inspect_sites", "--inline", "--today", "2026-11-30", "--parallel", "1")
    assert sorted(InspectionRun.objects.values_list("verdict", flat=True)) == ["fail", "pass"]
