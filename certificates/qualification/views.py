"""Team qualification pages: the overview (bureau, trainers), a team's page, exports, commendation."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from lms import permissions

from . import charts, exports, extra_columns, selectors, services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _programme(request):
    """The programme chosen in ?programme=, else the first active one; None when the bureau has none yet."""
    slug = request.GET.get("programme")
    if slug:
        return get_object_or_404(selectors.programmes(), slug=slug)
    return selectors.default_programme()


def _sort(request) -> tuple[str, bool]:
    sort = request.GET.get("sort", "rank")
    if sort not in selectors.SORTABLE and sort != "rank":
        sort = "rank"
    return sort, request.GET.get("dir") == "desc"


def _require_dashboard(user) -> None:
    if not permissions.can_see_qualification(user):
        raise PermissionDenied


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@login_required
def overview(request):
    _require_dashboard(request.user)
    teams = permissions.visible_teams(request.user)
    if not permissions.is_bureau_admin(request.user) and teams.count() == 1:
        # A team lead has one team: their page says more than a one-row table.
        return redirect(reverse("qualification:team", args=[teams.get().code]) + _query(request, keep=("programme",)))
    programme = _programme(request)
    if programme is None:
        return render(request, "certificates/qualification/no_programme.html", status=200)
    sort, descending = _sort(request)
    data = selectors.qualification_overview(programme=programme, teams=teams, sort=sort, descending=descending)
    return render(
        request,
        "certificates/qualification/overview.html",
        {
            "overview": data,
            "programme": programme,
            "programmes": list(selectors.programmes()),
            "sort": sort,
            "descending": descending,
            "team_chart": charts.team_bars(data.rows),
            "month_chart": charts.month_bars(data.trend),
            "can_commend": permissions.can_see_commendation(request.user),
            "columns": _columns(with_score=bool(data.quiz_count)),
        },
    )


def _columns(*, with_score: bool):
    columns = [
        ("rank", pgettext("qualification", "Rank")),
        ("name", pgettext("qualification", "County team")),
        ("members", pgettext("qualification", "Members")),
        ("certified", _("Certified")),
        ("percent", _("% qualified")),
        ("expiring", _("Expiring ≤60 days")),
        ("expired", pgettext("qualification", "Expired")),
        ("trained", _("All courses done")),
        ("score", _("Average quiz score")),
        ("waiting", _("Tasks waiting for review")),
        ("activity", pgettext("qualification", "Last activity")),
    ]
    # Without quizzes in the programme's courses there is no score to show, not a column of dashes.
    columns = [c for c in columns if with_score or c[0] != "score"]
    return columns + [(extra.key, extra.label) for extra in extra_columns.columns()]


def _query(request, keep=("programme", "sort", "dir")) -> str:
    params = request.GET.copy()
    for key in list(params):
        if key not in keep:
            del params[key]
    return f"?{params.urlencode()}" if params else ""


def _visible_team(request, code: str):
    # Another team's page is a 404, not a 403: whether it exists is not this viewer's business.
    _require_dashboard(request.user)
    return get_object_or_404(permissions.visible_teams(request.user), code=code)


@login_required
def team(request, code: str):
    county = _visible_team(request, code)
    programme = _programme(request)
    if programme is None:
        return render(request, "certificates/qualification/no_programme.html")
    detail = selectors.team_detail(team=county, programme=programme)
    visible = permissions.visible_teams(request.user)
    figures = selectors.qualification_overview(programme=programme, teams=visible, months=1)
    trend = selectors.monthly_issued(programme=programme, teams=visible.filter(pk=county.pk))
    return render(
        request,
        "certificates/qualification/team.html",
        {
            "detail": detail,
            "team": county,
            "row": next((r for r in figures.rows if r.team.pk == county.pk), None),
            "programme": programme,
            "programmes": list(selectors.programmes()),
            "month_chart": charts.month_bars(trend),
            "many_teams": len(figures.rows) > 1,
        },
    )


@login_required
def overview_export(request, fmt: str):
    _require_dashboard(request.user)
    programme = _programme(request)
    if programme is None:
        raise Http404
    sort, descending = _sort(request)
    data = selectors.qualification_overview(
        programme=programme, teams=permissions.visible_teams(request.user), sort=sort, descending=descending
    )
    sheets = exports.overview_sheets(data)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        return _download(exports.to_csv(sheets[0]), f"qualification-{programme.slug}-{stamp}.csv", "text/csv; charset=utf-8")
    return _download(exports.to_xlsx(sheets), f"qualification-{programme.slug}-{stamp}.xlsx", XLSX)


@login_required
def team_export(request, code: str, fmt: str):
    county = _visible_team(request, code)
    programme = _programme(request)
    if programme is None:
        raise Http404
    sheets = exports.team_sheets(selectors.team_detail(team=county, programme=programme))
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        return _download(exports.to_csv(sheets[0]), f"team-{county.code}-{programme.slug}-{stamp}.csv", "text/csv; charset=utf-8")
    return _download(exports.to_xlsx(sheets), f"team-{county.code}-{programme.slug}-{stamp}.xlsx", XLSX)


class CommendationRuleForm(forms.Form):
    unit_min_percent = forms.DecimalField(
        label=gettext_lazy("Advanced unit: minimum % qualified"), min_value=Decimal(0), max_value=Decimal(100), decimal_places=1
    )
    unit_min_members = forms.IntegerField(label=gettext_lazy("Advanced unit: minimum members"), min_value=1, max_value=10000)
    unit_top_n = forms.IntegerField(label=gettext_lazy("Advanced units: how many"), min_value=1, max_value=100)
    person_top_n = forms.IntegerField(label=gettext_lazy("Advanced individuals: how many"), min_value=1, max_value=500)
    person_certified_in_year = forms.BooleanField(label=gettext_lazy("Individuals: certified within the year"), required=False)
    person_first_attempt_only = forms.BooleanField(
        label=gettext_lazy("Individuals: every quiz passed at the first attempt"), required=False
    )


@login_required
def commendation(request):
    if not permissions.can_see_commendation(request.user):
        raise PermissionDenied
    programme = _programme(request)
    if programme is None:
        return render(request, "certificates/qualification/no_programme.html")
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    if not 2000 <= year <= this_year + 1:
        year = this_year
    rule = selectors.rule_for(programme=programme, year=year)
    form = CommendationRuleForm(
        request.POST or None,
        initial={name: getattr(rule, name) for name in services.RULE_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        services.set_commendation_rule(programme=programme, year=year, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The commendation rules for %(year)s are saved.") % {"year": year})
        return redirect(f"{reverse('qualification:commendation')}?programme={programme.slug}&year={year}")
    result = selectors.commendation_candidates(rule=rule, teams=permissions.visible_teams(request.user))
    return render(
        request,
        "certificates/qualification/commendation.html",
        {
            "programme": programme,
            "programmes": list(selectors.programmes()),
            "year": year,
            "years": list(range(this_year + 1, this_year - 5, -1)),
            "rule_saved": rule.pk is not None,
            "form": form,
            "result": result,
            "today": datetime.date.today(),
        },
    )
