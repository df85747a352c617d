"""Hands-on tasks in the figures: a reviewed task embedded in the programme's course, real submissions
handed in and reviewed through the task services."""

import pytest

from certificates.qualification import selectors
from lms.models import CountyTeam
from quizzes.practical.services import review_submission, submit_work

pytestmark = pytest.mark.django_db


def test_tasks_waiting_for_review_per_team(programme, team, other_team, make_trainees, task, trainer):
    waiting, accepted, returned, idle = make_trainees(team, 4)
    (elsewhere,) = make_trainees(other_team, 1)
    submit_work(task=task, user=waiting, text="我的策划书")
    review_submission(submission=submit_work(task=task, user=accepted, text="策划书"), reviewer=trainer, accept=True)
    review_submission(submission=submit_work(task=task, user=returned, text="草稿"), reviewer=trainer, accept=False, feedback="补充栏目设置")
    submit_work(task=task, user=elsewhere, text="别的县")
    rows = {r.team.code: r for r in selectors.qualification_overview(programme=programme, teams=CountyTeam.objects.all()).rows}
    assert rows[team.code].tasks_waiting == 1
    assert rows[other_team.code].tasks_waiting == 1

    detail = selectors.team_detail(team=team, programme=programme)
    assert detail.tasks == [task]
    states = {m.person: m.tasks[0].state for m in detail.members}
    assert states == {waiting: "review", accepted: "accepted", returned: "returned", idle: "not_submitted"}


def test_resubmitted_after_return_shows_the_latest(programme, team, make_trainees, task, trainer):
    (person,) = make_trainees(team, 1)
    review_submission(submission=submit_work(task=task, user=person, text="草稿"), reviewer=trainer, accept=False, feedback="再改改")
    submit_work(task=task, user=person, text="改好了")
    member = selectors.team_detail(team=team, programme=programme).members[0]
    assert member.tasks[0].state == "review"


def test_pages_exports_and_api_show_task_columns(client, bureau_admin, programme, team, make_trainees, task):
    import io

    from openpyxl import load_workbook

    submit_work(task=task, user=make_trainees(team, 1)[0], text="策划书")
    client.force_login(bureau_admin)
    assert "待评审作业" in client.get("/qualification/").content.decode()
    team_page = client.get(f"/qualification/teams/{team.code}/").content.decode()
    assert "专题策划书" in team_page and "待评审" in team_page
    book = load_workbook(io.BytesIO(client.get("/qualification/export.xlsx").content))
    header = [c.value for c in book["各团队"][1]]
    assert book["各团队"].cell(row=2, column=header.index("待评审作业") + 1).value == 1
    member = client.get(f"/api/v1/teams/{team.code}/qualification/").json()["members"][0]
    assert member["tasks"] == [{"task_id": task.pk, "task": "专题策划书", "state": "review"}]
    assert client.get("/api/v1/qualification/overview/").json()["teams"][0]["tasks_waiting"] == 1
