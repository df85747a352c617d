"""Pages of site inspection: the bureau's overview of every county site, a site's findings and trend, and
the county webmaster's 整改 items. Thin: permission, then a selector or a service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.models import CountyTeam, Membership

from . import permissions, selectors, services
from .fetching import RefusedURL
from .forms import RegisterSiteForm
from .models import InspectedSite, InspectionRun
from .rules import RULES_BY_ID, VERDICT_LABELS


def _path(url: str, base: str) -> str:
    """A URL of the site shown as its path (shorter tables); other hosts' URLs in full."""
    return "/" + url[len(base) :].lstrip("/") if url.startswith(base.rstrip("/")) else url


def _rule_label(rule_id: str) -> str:
    rule = RULES_BY_ID.get(rule_id)
    return rule.wording if rule else ""


@login_required
def overview(request):
    teams = permissions.teams_for(request.user)
    if not permissions.can_manage(request.user) and not permissions.permissions.is_staff_member(request.user):
        return redirect("inspection:my_items")
    sites = list(selectors.sites_with_latest(teams=teams))
    for site in sites:
        site.verdict_label = VERDICT_LABELS.get(site.latest_verdict, "")
        site.rule_label = _rule_label(site.latest_rule or "")
    return render(
        request,
        "inspection/overview.html",
        {
            "sites": sites,
            "can_manage": permissions.can_manage(request.user),
            "form": RegisterSiteForm(),
        },
    )


@login_required
@require_POST
def register(request):
    if not permissions.can_manage(request.user):
        raise PermissionDenied
    form = RegisterSiteForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("inspection:overview")
    data = form.cleaned_data
    try:
        site = services.register_site(
            team=data["team"],
            base_url=data["base_url"],
            name=data["name"],
            actor=request.user,
            allow_internal=data["allow_internal"],
        )
    except RefusedURL as refused:
        messages.error(request, str(refused))
        return redirect("inspection:overview")
    except IntegrityError:
        messages.error(request, _("This site is already registered."))
        return redirect("inspection:overview")
    messages.success(request, _("Site registered. Start its first inspection below."))
    return redirect("inspection:site", pk=site.pk)


@login_required
def site_detail(request, pk: int):
    site = get_object_or_404(InspectedSite.objects.select_related("team"), pk=pk)
    if not permissions.can_view_site(request.user, site):
        raise PermissionDenied
    latest = site.runs.filter(state=InspectionRun.State.DONE).order_by("-finished_at", "-pk").first()
    findings = list(latest.findings.all()) if latest else []
    for finding in findings:
        finding.rule_label = _rule_label(finding.rule)
        finding.path = _path(finding.url, site.base_url)
        finding.item_path = _path(finding.item, site.base_url)
    in_flight = site.runs.filter(state__in=[InspectionRun.State.QUEUED, InspectionRun.State.RUNNING]).first()
    last_failed = site.runs.filter(state=InspectionRun.State.FAILED).order_by("-pk").first()
    return render(
        request,
        "inspection/site.html",
        {
            "site": site,
            "latest": latest,
            "findings": findings,
            "trend": selectors.trend(site=site),
            "verdict_label": VERDICT_LABELS.get(latest.verdict, "") if latest else "",
            "deciding_label": _rule_label(latest.deciding_rule) if latest else "",
            "items": selectors.open_items(teams=[site.team_id]).filter(site=site),
            "in_flight": in_flight,
            "last_failed": last_failed if (last_failed and (not latest or last_failed.pk > latest.pk)) else None,
            "can_manage": permissions.can_manage(request.user),
        },
    )


@login_required
@require_POST
def start_run(request, pk: int):
    site = get_object_or_404(InspectedSite, pk=pk)
    if not permissions.can_manage(request.user):
        raise PermissionDenied
    services.request_run(site=site, actor=request.user)
    messages.success(request, _("Inspection queued: a task worker runs it; reload this page to see the result."))
    return redirect("inspection:site", pk=site.pk)


@login_required
def my_items(request):
    """The county webmaster's page: their team's open 整改 items with the lesson that teaches the fix."""
    team_ids = list(Membership.objects.filter(user=request.user, team__isnull=False).values_list("team_id", flat=True))
    return _items_page(request, team_ids, title=_("Rectification items"))


@login_required
def team_items(request, code: str):
    """A team's sites and 整改 items, for whoever may see that team (the overview links here)."""
    team = get_object_or_404(CountyTeam, code=code)
    if not permissions.teams_for(request.user).filter(pk=team.pk).exists():
        raise PermissionDenied
    return _items_page(request, [team.pk], title=team.name)


def _items_page(request, team_ids, *, title):
    items = list(selectors.open_items(teams=team_ids))
    for item in items:
        item.rule_label = _rule_label(item.rule)
    return render(
        request,
        "inspection/my_items.html",
        {
            "title": title,
            "items": items,
            "closed": selectors.recent_closed(teams=team_ids),
            "sites": list(selectors.sites_with_latest(teams=team_ids)),
        },
    )


@login_required
def practice(request):
    """A trainee inspects their own practice site: the same rules, no 整改 items."""
    from django.core.cache import cache

    from .practice import cache_key
    from .tasks import run_practice_inspection

    if request.method == "POST":
        cache.delete(cache_key(request.user.pk))
        run_practice_inspection.enqueue(user_id=request.user.pk)
        messages.success(request, _("Inspection of your practice site started; reload this page in a minute."))
        return redirect("inspection:practice")
    report = cache.get(cache_key(request.user.pk))
    findings = []
    if report and "findings" in report:
        for finding in report["findings"]:
            findings.append({**finding, "rule_label": _rule_label(finding["rule"])})
    return render(
        request,
        "inspection/practice.html",
        {
            "report": report,
            "findings": findings,
            "verdict_label": VERDICT_LABELS.get(report.get("verdict", ""), "") if report else "",
            "deciding_label": _rule_label(report.get("deciding_rule", "")) if report else "",
        },
    )
