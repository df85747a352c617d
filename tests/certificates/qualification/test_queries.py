"""The overview, a team page, the exports and the API run a constant number of queries, whatever the data size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quizzes.practical.services import submit_work
from tests.factories import TeamFactory, UserFactory

from .conftest import take
from .factories import CertificateFactory

pytestmark = pytest.mark.django_db


def _grow(programme, course, teams: int, per_team: int, complete, exam, task=None):
    made = []
    for _ in range(teams):
        team = TeamFactory()
        for k in range(per_team):
            person = UserFactory(role="trainee", team=team)
            if k % 2 == 0:
                CertificateFactory(holder=person, programme=programme, team=team, expires_in=30 if k % 4 == 0 else 400)
            complete(person, course)
            if k % 2 == 1:
                take(*exam, person, k % 3)
            elif task is not None:
                submit_work(task=task, user=person, text="作业")
        made.append(team)
    return made


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


URLS = [
    "/qualification/",
    "/qualification/?sort=percent&dir=desc",
    "/qualification/export.xlsx",
    "/qualification/export.csv",
    "/qualification/teams/{code}/",
    "/qualification/teams/{code}/export.xlsx",
    "/qualification/commendation/",
    "/api/v1/qualification/overview/",
    "/api/v1/teams/",
    "/api/v1/teams/{code}/qualification/",
]


def test_query_counts_do_not_grow_with_data(client, programme, course, bureau_admin, complete, exam, task):
    client.force_login(bureau_admin)
    (first,) = _grow(programme, course, 1, 2, complete, exam)
    urls = [u.format(code=first.code) for u in URLS]
    for url in urls:  # what a first visit fills once (shared outlines, the inbox count) is not counted
        _count(client, url)
    small = {url: _count(client, url) for url in urls}
    # Many more teams, and more people in the team whose page is shown.
    _grow(programme, course, 6, 4, complete, exam, task)
    for k in range(6):
        person = UserFactory(role="trainee", team=first)
        CertificateFactory(holder=person, programme=programme, team=first, expires_in=-1 if k % 2 else 20)
        take(*exam, person, 2)
        submit_work(task=task, user=person, text="作业")
    for url in urls:
        _count(client, url)
    large = {url: _count(client, url) for url in urls}
    assert large == small
    # And the numbers themselves stay small: the overview is one aggregate query plus fixed overhead.
    # Two more for the figures other apps add through extra_columns (exam pass rate; site inspection, one for its four).
    assert small["/qualification/"] <= 14
