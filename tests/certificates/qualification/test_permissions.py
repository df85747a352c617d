"""Who sees which team's figures, as a matrix: each role tries another team's page, export and API."""

import pytest
from django.urls import reverse

from tests.factories import TeamFactory, UserFactory

from .factories import CertificateFactory

pytestmark = pytest.mark.django_db

SECRET_NAME = "保密人员"


@pytest.fixture
def setup(programme, team, other_team, trainee, other_trainee, trainer, team_lead, bureau_admin):
    # A person in the other team whose name must never leak to those who may not see that team.
    secret = UserFactory(role="trainee", team=other_team, full_name=SECRET_NAME)
    CertificateFactory(holder=secret, programme=programme, team=other_team)
    return {"trainee": trainee, "trainer": trainer, "team_lead": team_lead, "bureau_admin": bureau_admin}


def _urls(code):
    return {
        "page": reverse("qualification:team", args=[code]),
        "xlsx": reverse("qualification:team_export", args=[code, "xlsx"]),
        "csv": reverse("qualification:team_export", args=[code, "csv"]),
        "api": f"/api/v1/teams/{code}/qualification/",
    }


@pytest.mark.parametrize("role", ["trainer", "team_lead"])
@pytest.mark.parametrize("kind", ["page", "xlsx", "csv", "api"])
def test_another_teams_detail_is_not_found(client, setup, other_team, role, kind):
    client.force_login(setup[role])
    response = client.get(_urls(other_team.code)[kind])
    assert response.status_code == 404
    assert SECRET_NAME.encode() not in response.content


@pytest.mark.parametrize("kind", ["page", "xlsx", "csv", "api"])
def test_a_trainee_sees_no_team_not_even_their_own(client, setup, team, kind):
    client.force_login(setup["trainee"])
    response = client.get(_urls(team.code)[kind])
    assert response.status_code in (403, 404)


@pytest.mark.parametrize("role", ["trainer", "team_lead", "bureau_admin"])
@pytest.mark.parametrize("kind", ["page", "xlsx", "csv", "api"])
def test_own_or_supervised_team_is_visible(client, setup, team, role, kind):
    client.force_login(setup[role])
    assert client.get(_urls(team.code)[kind]).status_code == 200


@pytest.mark.parametrize("kind", ["page", "xlsx", "csv", "api"])
def test_bureau_sees_every_team(client, setup, other_team, kind):
    client.force_login(setup["bureau_admin"])
    response = client.get(_urls(other_team.code)[kind])
    assert response.status_code == 200


@pytest.mark.parametrize("url", ["/qualification/", "/qualification/export.xlsx", "/qualification/export.csv", "/api/v1/qualification/overview/", "/api/v1/teams/"])
def test_overviews_hold_only_visible_teams(client, setup, other_team, url):
    client.force_login(setup["trainer"])
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert other_team.name.encode() not in response.content
    assert SECRET_NAME.encode() not in response.content


@pytest.mark.parametrize("url", ["/qualification/", "/qualification/export.csv", "/api/v1/qualification/overview/", "/api/v1/teams/", "/qualification/commendation/"])
def test_trainee_gets_no_overview(client, setup, url):
    client.force_login(setup["trainee"])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", ["/qualification/", "/qualification/export.csv", "/qualification/commendation/"])
def test_anonymous_is_sent_to_log_in(client, setup, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", ["/api/v1/qualification/overview/", "/api/v1/teams/", "/api/v1/teams/hanshou/qualification/"])
def test_anonymous_api_is_refused(client, setup, url):
    assert client.get(url).status_code in (401, 403)


@pytest.mark.parametrize("role", ["trainer", "team_lead"])
def test_commendation_is_the_bureaus(client, setup, role):
    client.force_login(setup[role])
    assert client.get("/qualification/commendation/").status_code == 403
    assert client.post("/qualification/commendation/", {"unit_min_percent": "50"}).status_code == 403


def test_team_lead_is_taken_to_their_team(client, setup, team):
    client.force_login(setup["team_lead"])
    response = client.get("/qualification/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("qualification:team", args=[team.code]))


def test_trainer_of_several_teams_sees_exactly_those(client, programme, team, other_team):
    from lms.services import set_supervision

    third = TeamFactory(name="石门县", code="shimen")
    trainer = UserFactory(role="trainer")
    set_supervision(trainer=trainer, teams=[team, third])
    client.force_login(trainer)
    codes = [t["code"] for t in client.get("/api/v1/teams/").json()]
    assert sorted(codes) == ["hanshou", "shimen"]
    overview = client.get("/api/v1/qualification/overview/").json()
    assert sorted(r["team"]["code"] for r in overview["teams"]) == ["hanshou", "shimen"]


def test_unknown_programme_is_not_found(client, setup):
    client.force_login(setup["bureau_admin"])
    assert client.get("/qualification/?programme=nope").status_code == 404
    assert client.get("/api/v1/qualification/overview/?programme=nope").status_code == 404


def test_unknown_export_format_is_not_found(client, setup):
    client.force_login(setup["bureau_admin"])
    assert client.get("/qualification/export.pdf").status_code == 404
