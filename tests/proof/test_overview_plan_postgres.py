"""The bureau overview's plan does not depend on fresh table statistics (PostgreSQL).

Right after a bulk load, before autovacuum has analysed anything, PostgreSQL guesses a handful of rows
where there are thousands. The per-team correlated subqueries the overview used to run became nested
loops executed per team (55 s at 1,000 teams); the overview now aggregates each table once and joins
those rows by hashing, with or without statistics.
"""

import pytest
from django.db import connection
from django.utils import timezone

from certificates.models import Certificate, CertificateStatus
from certificates.qualification import selectors
from certificates.qualification.scale import generate
from lms import roster
from lms.models import CountyTeam, Membership, User
from tests.factories import TeamFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _plan(programme) -> str:
    return selectors.explain_overview(programme=programme, teams=CountyTeam.objects.all())


def test_overview_plan_is_the_same_hash_join_before_and_after_analyze():
    data = generate(teams=40, trainees=400, attempts=4000, log=lambda line: None)
    programme = data["programme"]
    cold = _plan(programme)
    # One pass over each table: no per-team subplans, no nested loops that multiply misestimated rows.
    assert "SubPlan" not in cold and "Nested Loop" not in cold, cold
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    fresh = _plan(programme)
    assert "SubPlan" not in fresh and "Nested Loop" not in fresh, fresh
    overview = selectors.qualification_overview(programme=programme, teams=CountyTeam.objects.filter(code__startswith=f"s{data['run']}-"))
    assert overview.totals["teams"] == 40 and overview.totals["members"] == 400
    live = Certificate.objects.filter(programme=programme, status=CertificateStatus.VALID, expires_at__gte=timezone.now())
    assert overview.totals["certified"] == live.count() > 0


def _estimated_rows(model) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
        return cursor.fetchone()[0]


def test_generate_scale_data_analyzes_what_it_filled():
    from quizzes.models import Attempt

    generate(teams=5, trainees=60, attempts=700, log=lambda line: None)
    # ANALYZE of a small table reads every row: the planner's estimate is the exact count.
    assert _estimated_rows(Attempt) == Attempt.objects.count() >= 700
    assert _estimated_rows(Membership) == Membership.objects.count() >= 60


def test_roster_import_analyzes_people_and_memberships(django_capture_on_commit_callbacks):
    team = TeamFactory(name="汉寿县", code="hanshou")
    rows = roster.rows_from_dicts(
        [{"line": n + 2, "full_name": f"学员{n}", "phone": f"1390737{n:04d}", "team_name": team.name, "title": "网站管理员"} for n in range(37)]
    )
    with django_capture_on_commit_callbacks(execute=True):
        roster.apply_roster(rows=rows, actor=None, source="roster.xlsx")
    assert _estimated_rows(Membership) == Membership.objects.count() >= 37
    assert _estimated_rows(User) == User.objects.count() >= 37
