"""Trainee pages: 我的考试, the waiting page on server time, start rules with Chinese messages; the
results page and its exports scoped like the admin."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exams import services
from exams.models import SittingAttempt
from quizzes import services as quiz_services
from tests.factories import UserFactory

from .helpers import sitting

pytestmark = pytest.mark.django_db


def test_my_exams_groups_upcoming_open_and_past(client, bureau_admin, team, trainee):
    sitting(actor=bureau_admin, teams=[team], opens_in=timedelta(days=1), title="明天的考试")
    sitting(actor=bureau_admin, teams=[team], title="正在考")
    sitting(actor=bureau_admin, teams=[team], opens_in=timedelta(days=-2), title="前天的考试")
    client.force_login(trainee)
    html = client.get(reverse("exams:mine")).content.decode()
    assert "我的考试" in html
    assert (
        html.index("正在进行")
        < html.index("正在考")
        < html.index("即将开始")
        < html.index("明天的考试")
        < html.index("已结束")
        < html.index("前天的考试")
    )
    assert "缺考" in html  # the past one, missed


def test_waiting_page_carries_server_time_and_the_start_form(client, bureau_admin, team, trainee):
    s = sitting(actor=bureau_admin, teams=[team], opens_in=timedelta(minutes=30))
    client.force_login(trainee)
    before = int(timezone.now().timestamp() * 1000)
    html = client.get(reverse("exams:sitting", args=[s.pk])).content.decode()
    after = int(timezone.now().timestamp() * 1000)
    import re

    server_now = int(re.search(r'data-server-now="(\d+)"', html).group(1))
    opens = int(re.search(r'data-opens-at="(\d+)"', html).group(1))
    assert before <= server_now <= after
    assert opens == int(s.opens_at.timestamp() * 1000)
    assert 'id="exam-start"' in html and "hidden" in html and "countdown.js" in html
    # Pressing start early (a crafted POST) is refused with a message, and nothing is created.
    response = client.post(reverse("exams:start", args=[s.pk]), follow=True)
    assert "考试尚未开始" in response.content.decode()
    assert not SittingAttempt.objects.exists()


def test_start_leads_to_the_quiz_attempt_page(client, bureau_admin, team, trainee):
    s = sitting(actor=bureau_admin, teams=[team])
    client.force_login(trainee)
    response = client.post(reverse("exams:start", args=[s.pk]))
    link = SittingAttempt.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("quizzes:attempt", args=[link.attempt_id])
    page = client.get(response["Location"])
    assert page.status_code == 200 and "考题0" in page.content.decode()
    # A second start (another tab) resumes the same attempt.
    again = client.post(reverse("exams:start", args=[s.pk]))
    assert again["Location"] == response["Location"] and SittingAttempt.objects.count() == 1


def test_after_latest_entry_the_page_says_who_to_contact(client, bureau_admin, team, trainee):
    s = sitting(
        actor=bureau_admin,
        teams=[team],
        opens_in=timedelta(minutes=-30),
        entry=timedelta(minutes=15),
        contact="市局 王老师 0736-7255555",
    )
    client.force_login(trainee)
    html = client.get(reverse("exams:sitting", args=[s.pk])).content.decode()
    assert "已过入场时间" in html and "王老师" in html and 'action="/exams/' not in html
    response = client.post(reverse("exams:start", args=[s.pk]), follow=True)
    assert "已过入场时间" in response.content.decode() and not SittingAttempt.objects.exists()


def test_not_invited_people_get_404(client, bureau_admin, team, other_trainee):
    s = sitting(actor=bureau_admin, teams=[team])
    client.force_login(other_trainee)
    assert client.get(reverse("exams:sitting", args=[s.pk])).status_code == 404
    assert client.post(reverse("exams:start", args=[s.pk])).status_code == 404
    assert not SittingAttempt.objects.exists()


def test_submitting_after_close_keeps_only_saved_answers(client, bureau_admin, team, trainee):
    s = sitting(actor=bureau_admin, teams=[team], opens_in=timedelta(minutes=-10), length=timedelta(minutes=20))
    attempt = services.start_sitting_attempt(sitting=s, user=trainee)
    s.closes_at = timezone.now() - timedelta(minutes=5)  # the sitting has closed meanwhile
    s.save(update_fields=["closes_at"])
    attempt.deadline = s.closes_at
    attempt.save(update_fields=["deadline"])
    client.force_login(trainee)
    first_q = attempt.layout[0]
    response = client.post(
        reverse("quizzes:save", args=[attempt.pk]), {f"q{first_q['q']}": str(first_q["choices"][0])}, follow=True
    )
    assert "时间已到" in response.content.decode() or "已提交" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.auto_submitted and not attempt.responses.exclude(answer={}).exists()


def test_results_page_scoped_to_the_viewers_teams(client, bureau_admin, trainer, team, other_team, trainee, other_trainee):
    s = sitting(actor=bureau_admin, teams=[team, other_team])
    attempt = services.start_sitting_attempt(sitting=s, user=trainee)
    quiz_services.submit_attempt(attempt=attempt, user=trainee)
    url = reverse("exams:results", args=[s.pk])
    client.force_login(bureau_admin)
    html = client.get(url).content.decode()
    assert "汉寿县" in html and "澧县" in html and "李明" in html and "王芳" in html
    client.force_login(trainer)
    html = client.get(url).content.decode()
    assert "汉寿县" in html and "李明" in html and "王芳" not in html and "澧县" not in html
    people = client.get(url + "?format=csv")
    rows = list(csv.reader(io.StringIO(people.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["姓名", "用户名", "区县团队", "结果"]
    assert [r[0] for r in rows[1:]] == ["李明"] and rows[1][3] == "未通过"
    teams = client.get(url + "?format=csv-teams")
    trows = list(csv.reader(io.StringIO(teams.content.decode("utf-8-sig"))))
    assert trows[1] == ["汉寿县", "1", "1", "1", "0", "0"]
    xlsx = client.get(url + "?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    client.force_login(trainee)
    assert client.get(url).status_code == 403
    client.force_login(other_trainee)
    assert client.get(url + "?format=csv").status_code == 403


def test_results_export_is_formula_safe(client, bureau_admin, team):
    UserFactory(role="trainee", team=team, full_name='=HYPERLINK("http://x")')
    s = sitting(actor=bureau_admin, teams=[team])
    services.open_sitting(sitting=s)
    client.force_login(bureau_admin)
    body = client.get(reverse("exams:results", args=[s.pk]) + "?format=csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body


def test_team_lead_sees_only_own_team_results(client, bureau_admin, team_lead, team, other_team, other_trainee):
    only_other = sitting(actor=bureau_admin, teams=[other_team])
    client.force_login(team_lead)
    assert client.get(reverse("exams:results", args=[only_other.pk])).status_code == 404
