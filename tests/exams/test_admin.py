"""The Wagtail admin for sittings: the bureau any team, a trainer only supervised teams (crafted POSTs
included), trainees and team leads nowhere; the 创建补考 action."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exams.models import ExamSitting
from lms.models import AuditEvent
from tests.factories import UserFactory

from .helpers import exam_quiz, sitting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _academy(site):
    """The role groups with their admin access are set up with the academy's site."""
    return site


ADD = "wagtailsnippets_exams_examsitting:add"
EDIT = "wagtailsnippets_exams_examsitting:edit"
LIST = "wagtailsnippets_exams_examsitting:list"


def _post(quiz, teams, people=(), **over):
    opens = timezone.localtime(timezone.now() + timedelta(days=1))
    data = {
        "title": "全市站长资格考试",
        "quiz": str(quiz.pk),
        "teams": [str(t.pk) for t in teams],
        "people": [str(p.pk) for p in people],
        "opens_at": opens.strftime("%Y-%m-%d %H:%M"),
        "latest_entry_at": (opens + timedelta(minutes=15)).strftime("%Y-%m-%d %H:%M"),
        "closes_at": (opens + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
        "contact": "市局 王老师 0736-7255555",
        "max_attempts": "1",
        "focus_loss_limit": "3",
        "review_policy": "after_close",
    }
    data.update(over)
    return data


def test_bureau_creates_a_sitting_for_any_team(client, bureau_admin, team, other_team):
    client.force_login(bureau_admin)
    response = client.post(reverse(ADD), _post(exam_quiz(), [team, other_team]))
    assert response.status_code == 302, response.content.decode()[:3000]
    created = ExamSitting.objects.get()
    assert set(created.teams.all()) == {team, other_team} and created.created_by == bureau_admin
    assert AuditEvent.objects.filter(action="exam.sitting.create", object_id=str(created.pk)).exists()


def test_trainer_cannot_pick_an_unsupervised_team_by_crafted_post(client, trainer, team, other_team, other_trainee):
    client.force_login(trainer)
    page = client.get(reverse(ADD))
    assert page.status_code == 200
    html = page.content.decode()
    assert team.name in html and other_team.name not in html  # only supervised teams offered
    response = client.post(reverse(ADD), _post(exam_quiz(), [team, other_team]))
    assert response.status_code == 200 and not ExamSitting.objects.exists()
    response = client.post(reverse(ADD), _post(exam_quiz(), [team], people=[other_trainee]))
    assert response.status_code == 200 and not ExamSitting.objects.exists()
    response = client.post(reverse(ADD), _post(exam_quiz(), [team]))
    assert response.status_code == 302
    assert ExamSitting.objects.get().created_by == trainer


def test_trainer_does_not_see_or_edit_other_teams_sittings(client, trainer, bureau_admin, team, other_team):
    theirs = sitting(actor=bureau_admin, teams=[other_team], opens_in=timedelta(days=1), title="澧县专场")
    mixed = sitting(actor=bureau_admin, teams=[team, other_team], opens_in=timedelta(days=1), title="两县联考")
    mine = sitting(actor=bureau_admin, teams=[team], opens_in=timedelta(days=1), title="汉寿专场")
    client.force_login(trainer)
    listing = client.get(reverse(LIST)).content.decode()
    assert "汉寿专场" in listing and "澧县专场" not in listing and "两县联考" not in listing
    assert client.get(reverse(EDIT, args=[theirs.pk])).status_code in (403, 404)
    assert client.get(reverse(EDIT, args=[mixed.pk])).status_code in (403, 404)
    response = client.post(reverse(EDIT, args=[theirs.pk]), _post(theirs.quiz, [team]))
    assert response.status_code in (403, 404)
    assert list(theirs.teams.all()) == [other_team]
    assert client.get(reverse(EDIT, args=[mine.pk])).status_code == 200
    assert client.get(reverse("exams_create_makeup", args=[theirs.pk])).status_code == 404


def test_changing_the_quiz_of_an_opened_sitting_is_refused_in_the_admin(client, bureau_admin, team):
    opened = sitting(actor=bureau_admin, teams=[team])
    original = opened.quiz
    client.force_login(bureau_admin)
    response = client.post(
        reverse(EDIT, args=[opened.pk]),
        _post(
            exam_quiz(),
            [team],
            opens_at=timezone.localtime(opened.opens_at).strftime("%Y-%m-%d %H:%M"),
            latest_entry_at="",
            closes_at=timezone.localtime(opened.closes_at).strftime("%Y-%m-%d %H:%M"),
        ),
    )
    assert response.status_code == 200
    assert "不能再更换测验" in response.content.decode()
    opened.refresh_from_db()
    assert opened.quiz == original


@pytest.mark.parametrize("who", ["trainee", "team_lead"])
def test_trainees_and_team_leads_cannot_open_the_admin_urls(client, who, bureau_admin, team, request):
    person = request.getfixturevalue(who)
    s = sitting(actor=bureau_admin, teams=[team])
    client.force_login(person)
    for url in (reverse(LIST), reverse(ADD), reverse(EDIT, args=[s.pk]), reverse("exams_create_makeup", args=[s.pk])):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
    response = client.post(reverse(ADD), _post(exam_quiz(), [team]))
    assert response.status_code in (302, 403, 404)
    assert ExamSitting.objects.count() == 1


def test_makeup_action_in_the_admin(client, bureau_admin, team, trainee):
    other = UserFactory(role="trainee", team=team)
    s = sitting(actor=bureau_admin, teams=[team], opens_in=timedelta(hours=-2), length=timedelta(hours=1))
    client.force_login(bureau_admin)
    url = reverse("exams_create_makeup", args=[s.pk])
    page = client.get(url)
    assert page.status_code == 200 and "应邀请 2 人" in page.content.decode(), page.content.decode()[-3000:]
    opens = timezone.localtime(timezone.now() + timedelta(days=2))
    bad = client.post(
        url, {"opens_at": opens.strftime("%Y-%m-%d %H:%M"), "closes_at": (opens - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")}
    )
    assert bad.status_code == 200 and "结束时间必须晚于开考时间" in bad.content.decode()
    done = client.post(
        url, {"opens_at": opens.strftime("%Y-%m-%d %H:%M"), "closes_at": (opens + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")}
    )
    assert done.status_code == 302
    makeup = ExamSitting.objects.get(parent=s)
    assert set(makeup.people.all()) == {trainee, other}
