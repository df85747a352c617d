"""The figures per team, checked against people, enrolments and certificates set up by hand."""

import datetime

import pytest
from django.utils import timezone

from certificates.models import CertificateStatus
from certificates.qualification import selectors
from courses.models import Enrollment
from lms.models import CountyTeam
from tests.factories import TeamFactory, UserFactory

from .factories import CertificateFactory

pytestmark = pytest.mark.django_db


def _row(overview, team):
    return next(r for r in overview.rows if r.team.pk == team.pk)


def test_figures_count_what_they_say(programme, course, team, other_team, make_trainees, complete):
    a, b, c, d, e = make_trainees(team, 5)
    CertificateFactory(holder=a, programme=programme, team=team, expires_in=300)  # certified
    CertificateFactory(holder=b, programme=programme, team=team, expires_in=20)  # certified, expiring
    CertificateFactory(holder=c, programme=programme, team=team, expires_in=-5)  # expired
    CertificateFactory(holder=d, programme=programme, team=team, status=CertificateStatus.REVOKED)
    CertificateFactory(holder=d, programme=programme, team=team, status=CertificateStatus.SUPERSEDED)
    for person in (a, b, c):
        complete(person, course)
    Enrollment.objects.create(user=e, course=course, last_activity_at=timezone.now() - datetime.timedelta(days=3))
    # Not members: a deactivated trainee with a certificate, the team lead, and another team's trainee.
    gone = UserFactory(role="trainee", team=team, is_active=False)
    CertificateFactory(holder=gone, programme=programme, team=team)
    lead = UserFactory(role="team_lead", team=team)
    CertificateFactory(holder=lead, programme=programme, team=team)
    (x,) = make_trainees(other_team, 1)
    CertificateFactory(holder=x, programme=programme, team=team)  # issued while in `team`, now in other_team

    overview = selectors.qualification_overview(programme=programme, teams=CountyTeam.objects.all())
    row = _row(overview, team)
    assert (row.members, row.certified, row.expiring, row.expired) == (5, 2, 1, 1)
    assert row.percent_qualified == 40.0
    assert (row.trained, row.courses_completed, row.required_courses) == (3, 3, 1)
    assert row.course_completion_percent == 60.0
    assert row.last_activity is not None
    other = _row(overview, other_team)
    assert (other.members, other.certified, other.percent_qualified) == (1, 1, 100.0)
    assert [r.team for r in overview.ranking] == [other_team, team]
    assert overview.totals["members"] == 6 and overview.totals["certified"] == 3
    assert overview.totals["fully_qualified_teams"] == 1


def test_a_person_counts_for_their_trainee_team_only(programme, team, other_team):
    """Someone who is a trainee in one team and team lead of another counts in the first only."""
    person = UserFactory(role="trainee", team=team)
    from lms.services import assign_role

    assign_role(user=person, role="team_lead", team=other_team)
    CertificateFactory(holder=person, programme=programme, team=team)
    overview = selectors.qualification_overview(programme=programme, teams=CountyTeam.objects.all())
    assert _row(overview, team).certified == 1
    assert _row(overview, other_team).certified == 0
    assert _row(overview, other_team).members == 0


def test_empty_team_and_inactive_team(programme, team):
    closed = TeamFactory(name="旧县", code="closed", is_active=False)
    overview = selectors.qualification_overview(programme=programme, teams=CountyTeam.objects.all())
    assert [r.team for r in overview.rows] == [team]
    row = overview.rows[0]
    assert (row.members, row.certified, row.percent_qualified, row.last_activity) == (0, 0, 0.0, None)
    assert not row.top_ten
    assert closed not in [r.team for r in overview.rows]


def test_ranking_shares_places_and_highlights_only_teams_with_qualified_people(programme, make_trainees):
    teams = [TeamFactory(code=f"t{n}", sort_order=n) for n in range(4)]
    for team, certified in zip(teams, (1, 2, 2, 0), strict=True):
        for person in make_trainees(team, 2)[:certified]:
            CertificateFactory(holder=person, programme=programme, team=team)
    overview = selectors.qualification_overview(programme=programme, teams=CountyTeam.objects.all())
    ranks = {r.team.code: r.rank for r in overview.rows}
    assert ranks == {"t1": 1, "t2": 1, "t0": 3, "t3": 4}
    assert {r.team.code for r in overview.rows if r.top_ten} == {"t0", "t1", "t2"}


def test_sorting_by_a_column(programme, make_trainees):
    small, big = TeamFactory(code="small"), TeamFactory(code="big")
    make_trainees(small, 1)
    make_trainees(big, 3)
    rows = selectors.qualification_overview(programme=programme, teams=CountyTeam.objects.all(), sort="members", descending=True).rows
    assert [r.team.code for r in rows] == ["big", "small"]
    rows = selectors.qualification_overview(programme=programme, teams=CountyTeam.objects.all(), sort="members").rows
    assert [r.team.code for r in rows] == ["small", "big"]
    rows = selectors.qualification_overview(programme=programme, teams=CountyTeam.objects.all(), sort="bogus").rows
    assert len(rows) == 2


def test_monthly_trend_counts_issued_certificates_per_month(programme, team, make_trainees):
    now = timezone.now()
    people = make_trainees(team, 3)
    CertificateFactory(holder=people[0], programme=programme, team=team, issued_at=now)
    CertificateFactory(holder=people[1], programme=programme, team=team, issued_at=now - datetime.timedelta(days=40))
    CertificateFactory(holder=people[2], programme=programme, team=team, issued_at=now - datetime.timedelta(days=800))
    trend = selectors.monthly_issued(programme=programme, teams=CountyTeam.objects.all(), now=now)
    assert len(trend) == 12
    assert trend[-1] == (timezone.localdate(now).replace(day=1), 1)
    assert sum(n for _, n in trend) == 2


def test_team_detail_shows_each_member_per_course_and_who_is_stuck(programme, course, team, make_trainees, complete):
    from courses.services import mark_lesson_done

    done, halfway, idle, fresh = make_trainees(team, 4)
    complete(done, course)
    CertificateFactory(holder=done, programme=programme, team=team, expires_in=30)
    lessons = list(course.lessons())
    mark_lesson_done(user=halfway, lesson=lessons[0])
    mark_lesson_done(user=idle, lesson=lessons[0])
    Enrollment.objects.filter(user=idle).update(last_activity_at=timezone.now() - datetime.timedelta(days=30))
    detail = selectors.team_detail(team=team, programme=programme)
    by_person = {m.person: m for m in detail.members}
    assert by_person[done].certificate_state == "expiring" and by_person[done].qualified
    assert by_person[halfway].courses[0].state == "in_progress"
    assert (by_person[halfway].courses[0].lessons_done, by_person[halfway].courses[0].lessons_total) == (1, 3)
    assert by_person[fresh].courses[0].state == "not_enrolled"
    stuck = {m.person for m in detail.stuck}
    # Idle for a month, and never started: both stuck. Active this week, or qualified: not stuck.
    assert stuck == {idle, fresh}
    assert by_person[idle].stuck_at.course == course
