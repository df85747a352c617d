"""send_scheduled_notifications: each message once per period, however often cron runs it."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from certificates import services as certificate_services
from certificates.models import BulkJob, Certificate
from notifications import scheduled
from notifications.models import Delivery, Notification
from quizzes.practical.services import submit_work
from tests.certificates.factories import ProgrammeFactory
from tests.quizzes.practical.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(trainee, course, bureau_admin):
    programme = ProgrammeFactory(name="常德市商务网站管理员资格", slug="cd", courses=[course])
    return certificate_services.issue_certificate(holder=trainee, programme=programme, actor=bureau_admin, manual=True)


def test_expiry_windows_once_each(certificate, trainee):
    expires = certificate.expires_at
    for days_before in (70, 59, 59, 45, 29, 29, 6, 6, 1):
        scheduled.certificate_expiry(expires - timedelta(days=days_before, hours=1))
    sent = Notification.objects.filter(recipient=trainee, event="certificate.expiring").order_by("pk")
    assert [n.context["days"] for n in sent] == [60, 30, 7]


def test_renewed_certificate_starts_its_windows_again(certificate, trainee):
    scheduled.certificate_expiry(certificate.expires_at - timedelta(days=5))
    Certificate.objects.filter(pk=certificate.pk).update(expires_at=certificate.expires_at + timedelta(days=365))
    certificate.refresh_from_db()
    scheduled.certificate_expiry(certificate.expires_at - timedelta(days=5))
    assert Notification.objects.filter(event="certificate.expiring").count() == 2


def test_review_digest_is_one_message_per_trainer_per_day(trainee, other_trainee, trainer):
    task = TaskFactory(kind="reviewed", spec={}, title="报告", accept_text=True)
    submit_work(task=task, user=trainee, text="一")
    submit_work(task=task, user=other_trainee, text="二")  # not supervised by this trainer
    now = timezone.now()
    scheduled.review_digests(now)
    scheduled.review_digests(now + timedelta(minutes=5))
    [digest] = Notification.objects.filter(event="review.digest")
    assert digest.recipient == trainer and digest.context["count"] == 1 and "汉寿县 1" in digest.context["summary"]
    scheduled.review_digests(now + timedelta(days=1))
    assert Notification.objects.filter(event="review.digest").count() == 2


def test_stuck_trainee_told_to_trainer_once(trainee, trainer, course):
    from courses.models import Enrollment
    from courses.services import enroll

    enroll(user=trainee, course=course)
    Enrollment.objects.update(last_activity_at=timezone.now() - timedelta(days=15))
    scheduled.stuck_trainees(timezone.now())
    scheduled.stuck_trainees(timezone.now())
    [note] = Notification.objects.filter(event="trainee.stuck")
    assert note.recipient == trainer and note.context["trainee"] == "李明"


def test_weekly_digest_on_monday_mornings_to_lead_and_team_robot(platforms, wecom_robot, team_lead, trainee, certificate, team):
    today = timezone.localtime(timezone.now()).replace(hour=9, minute=0, second=0, microsecond=0)
    monday = today + timedelta(days=7 - today.weekday())  # next Monday, after the certificate was issued
    assert scheduled.weekly_team_digests(monday - timedelta(days=1)) == 0  # Sunday: nothing
    scheduled.weekly_team_digests(monday)
    scheduled.weekly_team_digests(monday + timedelta(hours=3))
    [digest] = Notification.objects.filter(event="team.weekly_digest")
    assert digest.recipient == team_lead and digest.context["qualified"] == "100.0%" and digest.context["rank"] == 1
    assert Delivery.objects.filter(event="team.weekly_digest", channel="wecom").count() == 1


def test_monthly_summary_and_teams_without_trainer(bureau_admin, trainee, certificate, team):
    today = timezone.localtime(timezone.now())
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1, hour=10, minute=0)
    scheduled.monthly_summary(first - timedelta(days=1))  # not the 1st: nothing
    scheduled.monthly_summary(first)
    scheduled.monthly_summary(first + timedelta(hours=1))
    [summary] = Notification.objects.filter(event="bureau.monthly_summary")
    assert summary.recipient == bureau_admin and summary.context["month"] == today.strftime("%Y-%m")
    assert summary.context["issued"] == 1
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    assert scheduled.teams_without_trainer(monday - timedelta(days=1)) == 0  # only from Monday 08:00
    scheduled.teams_without_trainer(monday)
    scheduled.teams_without_trainer(monday + timedelta(hours=2))
    assert Notification.objects.filter(event="team.no_trainer", recipient=bureau_admin).count() == 1


def test_bulk_jobs_finished_or_failed(bureau_admin):
    BulkJob.objects.create(kind="issue", state="done", total=5, done=5, changed=4, created_by=bureau_admin)
    BulkJob.objects.create(kind="render", state="failed", total=5, done=2, error="磁盘已满", created_by=bureau_admin)
    BulkJob.objects.create(kind="render", state="running", total=5, created_by=bureau_admin)
    scheduled.bulk_jobs(timezone.now())
    scheduled.bulk_jobs(timezone.now())
    assert sorted(Notification.objects.values_list("event", flat=True)) == ["bulk_job.failed", "bulk_job.finished"]


def test_command_runs_everything_and_is_idempotent(certificate, trainee):
    out = io.StringIO()
    call_command("send_scheduled_notifications", "--now", (certificate.expires_at - timedelta(days=20)).isoformat(), stdout=out)
    call_command(
        "send_scheduled_notifications", "--now", (certificate.expires_at - timedelta(days=20)).isoformat(), stdout=io.StringIO()
    )
    assert "certificate_expiry: 1" in out.getvalue() and "delivered:" in out.getvalue()
    assert Notification.objects.filter(event="certificate.expiring").count() == 1
