"""Figures another app adds through extra_columns appear on the overview, the team page, the exports and the API,
sort like the built-in columns, cost one query for all teams, and never show another team's value."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy

from certificates.qualification import extra_columns
from lms.models import CountyTeam
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def _codes_by_team(team_ids, now):
    # One query for every team, as a real column must: the code's length stands in for a figure.
    return {pk: len(code) * 10 for pk, code in CountyTeam.objects.filter(pk__in=team_ids).values_list("pk", "code")}


@pytest.fixture
def figure_column():
    column = extra_columns.ExtraColumn(
        key="site_score",
        label=gettext_lazy("Site score"),
        values=_codes_by_team,
        display=lambda value: f"{value} 分",
        tone=lambda value: "bad" if value < 60 else "",
        url=lambda team: f"/inspection/teams/{team.code}/",
    )
    saved = dict(extra_columns._columns)
    extra_columns._columns.clear()  # this test's column alone (site inspection registers its own)
    extra_columns.register_column(column)
    yield column
    extra_columns._columns.clear()
    extra_columns._columns.update(saved)


@pytest.fixture
def teams(programme):
    short, long = TeamFactory(name="汉寿县", code="hs"), TeamFactory(name="澧县", code="lixianxian")
    for team in (short, long):
        UserFactory(role="trainee", team=team)
    return short, long


def test_overview_shows_sorts_and_links_the_figure(client, bureau_admin, figure_column, teams):
    short, long = teams
    client.force_login(bureau_admin)
    page = client.get("/qualification/?sort=site_score&dir=desc").content.decode()
    assert "Site score" in page or "site_score" in page
    assert "100 分" in page and "20 分" in page
    assert f'href="/inspection/teams/{long.code}/"' in page
    # Descending by the figure: the long code (100) comes before the short one (20).
    assert page.index("100 分") < page.index("20 分")
    assert 'class="q-bad">20 分' in page


def test_team_page_shows_only_its_own_value(client, bureau_admin, figure_column, teams):
    short, long = teams
    client.force_login(bureau_admin)
    page = client.get(f"/qualification/teams/{short.code}/").content.decode()
    assert "20 分" in page
    assert "100 分" not in page


def test_exports_and_api_carry_the_figure(client, bureau_admin, figure_column, teams):
    short, long = teams
    client.force_login(bureau_admin)
    text = client.get("/qualification/export.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][-1] == "Site score" or rows[0][-1] == str(figure_column.label)
    by_code = {row[2]: row for row in rows[1:]}
    assert by_code[long.code][-1] == "100" and by_code[short.code][-1] == "20"
    data = client.get("/api/v1/qualification/overview/").json()
    extra = {t["team"]["code"]: t["extra"] for t in data["teams"]}
    assert extra[long.code] == {"site_score": 100}


def test_a_column_costs_one_query_whatever_the_number_of_teams(client, bureau_admin, figure_column, teams):
    client.force_login(bureau_admin)
    client.get("/qualification/")  # what a first visit fills once (the inbox count) is not counted
    with CaptureQueriesContext(connection) as before:
        client.get("/qualification/")
    for n in range(5):
        UserFactory(role="trainee", team=TeamFactory(code=f"more{n}"))
    with CaptureQueriesContext(connection) as after:
        client.get("/qualification/")
    assert len(after) == len(before)


def test_a_lead_sees_no_other_teams_value_through_the_api(client, figure_column, teams):
    short, long = teams
    lead = UserFactory(role="team_lead", team=short)
    client.force_login(lead)
    data = client.get("/api/v1/qualification/overview/").json()
    assert [t["team"]["code"] for t in data["teams"]] == [short.code]
    assert data["teams"][0]["extra"] == {"site_score": 20}
