"""Commendation candidates under the bureau's rules, the rule form (audited), the API payloads,
and generate_scale_data."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from certificates.qualification import selectors, services
from certificates.qualification.models import CommendationRule
from lms.models import AuditEvent, CountyTeam
from tests.factories import TeamFactory

from .factories import CertificateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_results(programme, course, make_trainees, complete):
    """Three teams: 'full' all 3 qualified, 'most' 2 of 3, 'tiny' 1 of 1 (too small under the default rule)."""
    now = timezone.now()
    teams = {code: TeamFactory(code=code, name=name) for code, name in (("full", "全县"), ("most", "多县"), ("tiny", "小县"))}
    people = {}
    for code, (size, qualified) in {"full": (3, 3), "most": (3, 2), "tiny": (1, 1)}.items():
        people[code] = make_trainees(teams[code], size)
        for n, person in enumerate(people[code][:qualified]):
            complete(person, course)
            CertificateFactory(holder=person, programme=programme, team=teams[code], issued_at=now - datetime.timedelta(days=10 + n))
    return teams, people


def test_candidates_follow_the_default_rules(programme, county_results):
    teams, people = county_results
    rule = selectors.rule_for(programme=programme, year=timezone.localdate().year)
    result = selectors.commendation_candidates(rule=rule, teams=CountyTeam.objects.all())
    assert [row.team.code for row in result.units] == ["full"]
    assert result.eligible_units == 1
    # Earliest certified first; everyone certified this year with all courses done is a candidate.
    assert len(result.people) == 6
    assert result.people[0].certificate.issued_at <= result.people[-1].certificate.issued_at


def test_rules_change_the_candidates(programme, county_results):
    teams, _ = county_results
    year = timezone.localdate().year
    rule = services.set_commendation_rule(
        programme=programme, year=year, actor=None, unit_min_percent=60, unit_min_members=1, unit_top_n=2,
        person_top_n=2, person_certified_in_year=True,
    )
    result = selectors.commendation_candidates(rule=rule, teams=CountyTeam.objects.all())
    # 'full' and 'tiny' both at 100%: 'full' has more certified, so it ranks first.
    assert [row.team.code for row in result.units] == ["full", "tiny"]
    assert result.eligible_units == 3
    assert len(result.people) == 2


def test_a_past_year_counts_what_was_true_then(programme, county_results):
    last_year = timezone.localdate().year - 1
    rule = selectors.rule_for(programme=programme, year=last_year)
    result = selectors.commendation_candidates(rule=rule, teams=CountyTeam.objects.all())
    assert result.units == [] and result.people == []
    assert result.as_of.year == last_year


def test_people_without_every_course_completed_are_not_candidates(programme, course, team, make_trainees):
    (person,) = make_trainees(team, 1)
    CertificateFactory(holder=person, programme=programme, team=team)
    rule = selectors.rule_for(programme=programme, year=timezone.localdate().year)
    assert selectors.commendation_candidates(rule=rule, teams=CountyTeam.objects.all()).people == []


def test_rule_form_saves_and_audits(client, bureau_admin, programme):
    client.force_login(bureau_admin)
    year = timezone.localdate().year
    response = client.post(
        f"/qualification/commendation/?programme={programme.slug}&year={year}",
        {"unit_min_percent": "95.5", "unit_min_members": "2", "unit_top_n": "5", "person_top_n": "20", "person_certified_in_year": "on"},
    )
    assert response.status_code == 302
    rule = CommendationRule.objects.get(programme=programme, year=year)
    assert (float(rule.unit_min_percent), rule.unit_top_n, rule.person_top_n) == (95.5, 5, 20)
    event = AuditEvent.objects.get(action="commendation_rule.set")
    assert event.actor == bureau_admin and event.before is None and event.after["unit_top_n"] == 5
    page = client.get(f"/qualification/commendation/?programme={programme.slug}&year={year}").content.decode()
    assert "先进单位" in page and "95.5" in page


def test_rule_form_rejects_nonsense_with_a_message_and_saves_nothing(client, bureau_admin, programme):
    client.force_login(bureau_admin)
    response = client.post("/qualification/commendation/", {"unit_min_percent": "150", "unit_min_members": "-1", "unit_top_n": "x", "person_top_n": "0"})
    assert response.status_code == 200
    assert not CommendationRule.objects.exists()
    assert "errorlist" in response.content.decode()


def test_commendation_page_survives_a_silly_year(client, bureau_admin, programme):
    client.force_login(bureau_admin)
    assert client.get("/qualification/commendation/?year=abc").status_code == 200
    assert client.get("/qualification/commendation/?year=99999").status_code == 200


def test_api_payloads_carry_the_same_figures(client, bureau_admin, programme, county_results):
    teams, people = county_results
    client.force_login(bureau_admin)
    overview = client.get("/api/v1/qualification/overview/").json()
    rows = {r["team"]["code"]: r for r in overview["teams"]}
    assert (rows["most"]["members"], rows["most"]["certified"], rows["most"]["percent_qualified"]) == (3, 2, 66.7)
    assert overview["programme"]["slug"] == programme.slug and len(overview["trend"]) == 12
    detail = client.get("/api/v1/teams/most/qualification/").json()
    assert detail["figures"]["certified"] == 2
    members = {m["id"]: m for m in detail["members"]}
    assert members[people["most"][0].pk]["certificate_state"] == "valid"
    assert members[people["most"][2].pk]["certificate_state"] == "none"
    assert members[people["most"][2].pk]["courses"][0]["state"] == "not_enrolled"


def test_pages_render_in_chinese(client, bureau_admin, programme, county_results):
    client.force_login(bureau_admin)
    page = client.get("/qualification/").content.decode()
    assert "团队持证情况" in page and "全县" in page and "<svg" in page
    team_page = client.get("/qualification/teams/most/").content.decode()
    assert "谁卡在哪一步" in team_page


def test_no_programme_yet_says_what_to_do(client, bureau_admin, team):
    client.force_login(bureau_admin)
    response = client.get("/qualification/")
    assert response.status_code == 200 and "还没有资格项目" in response.content.decode()


def test_generate_scale_data_adds_what_it_says(db):
    from certificates.models import Programme
    from quizzes.models import Attempt

    out = io.StringIO()
    call_command("generate_scale_data", teams=3, trainees=30, attempts=100, stdout=out)
    teams = CountyTeam.objects.filter(region="规模测试")
    assert teams.count() == 3
    programme = Programme.objects.get(slug="scale")
    overview = selectors.qualification_overview(programme=programme, teams=teams)
    assert sum(r.members for r in overview.rows) == 30
    assert overview.quiz_count == 4
    assert Attempt.objects.filter(quiz_id__in=selectors.programme_parts(programme).quiz_ids).count() == 100
    assert all(r.average_score is not None for r in overview.rows)
    assert "quiz attempts: 100 rows" in out.getvalue()
