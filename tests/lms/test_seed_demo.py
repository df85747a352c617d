"""`seed_demo` builds the demo once; running it again adds nothing."""

import pytest
from django.core.management import call_command

from courses.models import CoursePage, LessonPage
from lms.models import CountyTeam, Membership, TrainerSupervision, User

pytestmark = pytest.mark.django_db


def _counts():
    return (
        User.objects.count(), CountyTeam.objects.count(), Membership.objects.count(),
        TrainerSupervision.objects.count(), CoursePage.objects.count(), LessonPage.objects.count(),
    )


def test_seed_demo_is_idempotent_and_complete(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    first = _counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert _counts() == first

    assert set(CountyTeam.objects.values_list("name", flat=True)) >= {"汉寿县", "澧县", "津市市", "安乡县", "鼎城区", "武陵区", "石门县", "桃源县", "临澧县"}
    for team in CountyTeam.objects.all():
        assert Membership.objects.filter(team=team, role="trainee").count() >= 3
        assert Membership.objects.filter(team=team, role="team_lead").count() == 1
    # Each trainer supervises at most three counties (每人负责督导3个区县), and every team has one.
    trainers = User.objects.filter(memberships__role="trainer")
    assert trainers.count() == 4
    assert all(1 <= t.supervisions.count() <= 3 for t in trainers)
    assert not CountyTeam.objects.filter(supervisions__isnull=True).exists()
    titles = set(CoursePage.objects.values_list("title", flat=True))
    assert {"网站后台管理", "专题页面制作", "网站图片处理", "网站管理制度与信息安全"} <= titles
    for course in CoursePage.objects.all():
        assert course.lessons().count() >= 4

    assert client.login(username="hanshou1", password="changde2026")
    assert "网站后台管理" in client.get("/my/").content.decode()
