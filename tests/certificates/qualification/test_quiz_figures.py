"""Quiz scores in the figures: real quizzes embedded in the programme's lessons, real attempts graded by the engine."""

import datetime

import pytest
from django.utils import timezone

from certificates.qualification import selectors, services
from lms.models import CountyTeam
from quizzes import services as quiz_services
from tests.factories import TeamFactory
from tests.quizzes.factories import question, quiz

from .conftest import take
from .factories import CertificateFactory

pytestmark = pytest.mark.django_db


def test_average_quiz_score_per_team(programme, team, other_team, make_trainees, exam):
    q, items = exam
    a, b, c = make_trainees(team, 3)
    take(q, items, a, 2)  # 100
    take(q, items, b, 1)  # 50
    take(q, items, b, 2)  # 100
    quiz_services.start_attempt(quiz=q, user=c)  # open, not counted
    overview = selectors.qualification_overview(programme=programme, teams=CountyTeam.objects.all())
    rows = {r.team.code: r for r in overview.rows}
    assert rows[team.code].average_score == pytest.approx(83.33, abs=0.01)
    assert rows[other_team.code].average_score is None
    assert overview.quiz_count == 1


def test_attempts_at_quizzes_outside_the_programme_do_not_count(programme, team, make_trainees, exam):
    q, items = exam
    (a,) = make_trainees(team, 1)
    other_items = [question(name="旁")]
    other = quiz(other_items, title="练习测验")
    take(other, other_items, a, 0)
    take(q, items, a, 2)
    row = selectors.qualification_overview(programme=programme, teams=CountyTeam.objects.all()).rows[0]
    assert row.average_score == 100.0


def test_score_breaks_ties_in_the_ranking(programme, make_trainees, exam):
    q, items = exam
    low, high = TeamFactory(code="low", sort_order=0), TeamFactory(code="high", sort_order=1)
    take(q, items, make_trainees(low, 1)[0], 1)
    take(q, items, make_trainees(high, 1)[0], 2)
    ranking = selectors.qualification_overview(programme=programme, teams=CountyTeam.objects.all()).ranking
    assert [r.team.code for r in ranking] == ["high", "low"]
    assert [r.rank for r in ranking] == [1, 2]


def test_team_detail_shows_each_quiz_as_the_engine_grades_it(programme, team, make_trainees, exam):
    q, items = exam
    passed, failed, retried, untouched = make_trainees(team, 4)
    take(q, items, passed, 2)
    take(q, items, failed, 0)
    take(q, items, retried, 0)
    take(q, items, retried, 2)
    detail = selectors.team_detail(team=team, programme=programme)
    assert detail.quizzes == [q]
    states = {m.person: m.quizzes[0] for m in detail.members}
    assert states[passed].state == "passed" and states[passed].passed_first_time
    assert states[failed].state == "failed" and states[failed].grade == 0
    assert states[retried].state == "passed" and not states[retried].passed_first_time
    assert states[untouched].state == "not_started" and states[untouched].grade is None


def test_commendation_prefers_scores_and_can_require_first_attempt_passes(programme, course, make_trainees, complete, exam):
    q, items = exam
    year = timezone.localdate().year
    team = TeamFactory(code="t1")
    first_time, second_time, top = make_trainees(team, 3)
    for n, person in enumerate((first_time, second_time, top)):
        complete(person, course)
        CertificateFactory(holder=person, programme=programme, team=team, issued_at=timezone.now() - datetime.timedelta(days=5 - n))
    take(q, items, first_time, 1)  # 50: not passed at first attempt... pass mark 60
    take(q, items, first_time, 2)
    take(q, items, second_time, 2)
    take(q, items, top, 2)
    rule = services.set_commendation_rule(
        programme=programme, year=year, actor=None, unit_min_percent=100, unit_min_members=1, unit_top_n=3,
        person_top_n=10, person_certified_in_year=True, person_first_attempt_only=True,
    )
    people = [c.person for c in selectors.commendation_candidates(rule=rule, teams=CountyTeam.objects.all()).people]
    assert first_time not in people
    assert people == [second_time, top]  # equal scores: the earlier certified first
    rule.person_first_attempt_only = False
    people = [c.person for c in selectors.commendation_candidates(rule=rule, teams=CountyTeam.objects.all()).people]
    # first_time averages 75 over their two attempts: after the two with 100.
    assert people == [second_time, top, first_time]


def test_pages_exports_and_api_show_quiz_columns(client, bureau_admin, programme, team, make_trainees, exam):
    import io

    from openpyxl import load_workbook

    q, items = exam
    take(q, items, make_trainees(team, 1)[0], 2)
    client.force_login(bureau_admin)
    assert "平均测验得分" in client.get("/qualification/").content.decode()
    team_page = client.get(f"/qualification/teams/{team.code}/").content.decode()
    assert "结业测验" in team_page and "已通过" in team_page
    book = load_workbook(io.BytesIO(client.get("/qualification/export.xlsx").content))
    header = [c.value for c in book["各团队"][1]]
    assert "平均测验得分" in header
    assert book["各团队"].cell(row=2, column=header.index("平均测验得分") + 1).value == 100
    detail = client.get(f"/api/v1/teams/{team.code}/qualification/").json()
    assert detail["figures"]["average_score"] == 100.0
    assert detail["members"][0]["quizzes"][0] == {
        "quiz_id": q.pk, "quiz": "结业测验", "state": "passed", "grade": 100.0, "attempts": 1, "passed_first_time": True,
    }
