"""A team without a supervising trainer is flagged to the bureau, and its reviewed work waits in the bureau's queue."""

import pytest

from lms.selectors import teams_without_trainer
from lms.services import assign_role
from quizzes.practical.services import submit_work
from tests.factories import TeamFactory, UserFactory
from tests.quizzes.practical.factories import TaskFactory

pytestmark = pytest.mark.django_db

FLAG = "无督导讲师"


@pytest.fixture
def orphan(db):
    return TeamFactory(name="石门县", code="shimen")


@pytest.fixture
def reviewed(db):
    return TaskFactory(kind="reviewed", spec={}, accept_text=True, title="网站安全自查报告")


def test_a_team_counts_as_supervised_only_by_an_active_trainer(team, orphan, trainer):
    assert list(teams_without_trainer()) == [orphan]
    trainer.is_active = False
    trainer.save()
    assert set(teams_without_trainer()) == {team, orphan}


def test_bureau_overview_flags_teams_without_a_trainer(client, programme, team, orphan, trainer, bureau_admin):
    client.force_login(bureau_admin)
    page = client.get("/qualification/").content.decode()
    rows = {name: row for row in page.split("<tr")[1:] for name in ("汉寿县", "石门县") if f">{name}</a>" in row}
    assert FLAG in rows["石门县"] and FLAG not in rows["汉寿县"]
    assert "/hands-on/review/?unsupervised=on" in page


def test_bureau_queue_shows_unsupervised_work_with_a_flag_and_a_filter(client, reviewed, team, orphan, trainer, bureau_admin):
    watched = UserFactory(role="trainee", team=team, full_name="有人管")
    alone = UserFactory(role="trainee", team=orphan, full_name="没人管")
    submit_work(task=reviewed, user=watched, text="报告一")
    submit_work(task=reviewed, user=alone, text="报告二")
    client.force_login(bureau_admin)
    page = client.get("/hands-on/review/").content.decode()
    rows = {name: row for row in page.split("<tr")[1:] for name in ("有人管", "没人管") if name in row}
    assert FLAG in rows["没人管"] and FLAG not in rows["有人管"]
    only = client.get("/hands-on/review/", {"unsupervised": "on"}).content.decode()
    assert "没人管" in only and "有人管" not in only
    # The trainer's own queue is unchanged: their team only, and no such filter.
    client.force_login(trainer)
    mine = client.get("/hands-on/review/").content.decode()
    assert "有人管" in mine and "没人管" not in mine and 'name="unsupervised"' not in mine


def test_a_trainer_leaving_makes_the_flag_appear(client, programme, team, trainer, bureau_admin):
    client.force_login(bureau_admin)
    assert FLAG not in client.get("/qualification/").content.decode()
    from lms.models import Membership

    Membership.objects.filter(user=trainer, role="trainer").delete()
    assert FLAG in client.get("/qualification/").content.decode()
    assign_role(user=trainer, role="trainer")
    assert FLAG not in client.get("/qualification/").content.decode()


def test_overview_export_flags_teams_without_a_trainer(client, programme, team, orphan, trainer, bureau_admin):
    import csv
    import io

    client.force_login(bureau_admin)
    rows = list(csv.reader(io.StringIO(client.get("/qualification/export.csv").content.decode("utf-8-sig"))))
    column = rows[0].index("督导讲师")
    flags = {row[1]: row[column] for row in rows[1:]}
    assert flags["石门县"] == FLAG and flags["汉寿县"] == "是"
