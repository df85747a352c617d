"""Events heard from the other apps: a review returned or accepted, a certificate issued or revoked, an
enrolment (one person or a whole team). Those apps never import notifications."""

import pytest

from certificates import services as certificate_services
from courses.services import enroll, enroll_team
from notifications.models import Delivery, Notification
from quizzes.practical.services import review_submission, submit_work
from tests.certificates.factories import ProgrammeFactory
from tests.factories import UserFactory
from tests.quizzes.practical.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed_task(db):
    return TaskFactory(kind="reviewed", spec={}, title="网站安全自查报告", accept_text=True, max_submissions=3)


def test_returned_work_reaches_inbox_and_team_robot(
    django_capture_on_commit_callbacks, platforms, wecom_robot, reviewed_task, trainee, trainer
):
    submission = submit_work(task=reviewed_task, user=trainee, text="初稿")
    with django_capture_on_commit_callbacks(execute=True):
        review_submission(submission=submission, reviewer=trainer, accept=False, feedback="请补充<b>软件清单</b>。")
    note = Notification.objects.get(recipient=trainee)
    assert note.event == "work.returned" and note.context["comment"] == "请补充<b>软件清单</b>。"
    assert note.context["reviewer"] == "石建军" and note.link == f"/hands-on/tasks/{reviewed_task.pk}/"
    [message] = platforms.of("wecom")
    content = message["body"]["markdown"]["content"]
    assert "＜b＞软件清单＜/b＞" in content and "<b>" not in content  # markup neutralised for the robot's markdown
    assert Delivery.objects.get(channel="wecom").status == "sent"


def test_accepted_work_goes_to_the_trainee_only(django_capture_on_commit_callbacks, reviewed_task, trainee, trainer, wecom_robot):
    submission = submit_work(task=reviewed_task, user=trainee, text="报告")
    with django_capture_on_commit_callbacks(execute=True):
        review_submission(submission=submission, reviewer=trainer, accept=True, feedback="很好")
    assert Notification.objects.get(recipient=trainee).event == "work.accepted"
    assert not Delivery.objects.filter(channel="wecom").exists()  # not news for the whole group


def test_a_refused_review_sends_nothing(django_capture_on_commit_callbacks, reviewed_task, trainee, trainer):
    from quizzes.practical.services import ReviewRefused

    submission = submit_work(task=reviewed_task, user=trainee, text="报告")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ReviewRefused):
        review_submission(submission=submission, reviewer=trainer, accept=False, feedback="")
    assert not Notification.objects.exists()


def test_certificate_issued_and_revoked(django_capture_on_commit_callbacks, trainee, course, bureau_admin):
    programme = ProgrammeFactory(name="常德市商务网站管理员资格", slug="cd", courses=[course])
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_services.issue_certificate(holder=trainee, programme=programme, actor=bureau_admin, manual=True)
    issued = Notification.objects.get(recipient=trainee, event="certificate.issued")
    assert issued.context["verify_url"] == certificate.verification_url and issued.context["serial"] == certificate.serial
    with django_capture_on_commit_callbacks(execute=True):
        certificate_services.revoke_certificate(certificate=certificate, actor=bureau_admin, reason="信息有误")
    revoked = Notification.objects.get(recipient=trainee, event="certificate.revoked")
    assert revoked.context["reason"] == "信息有误"


def test_enrolment_one_person_and_a_whole_team(django_capture_on_commit_callbacks, trainee, team, course):
    with django_capture_on_commit_callbacks(execute=True):
        enroll(user=trainee, course=course)
        enroll(user=trainee, course=course)  # twice: one enrolment, one message
    assert Notification.objects.filter(recipient=trainee, event="course.enrolled").count() == 1
    others = [UserFactory(role="trainee", team=team) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        enroll_team(team=team, course=course)
    assert Notification.objects.filter(event="course.enrolled").count() == 4
    assert set(Notification.objects.filter(event="course.enrolled").values_list("recipient", flat=True)) == {
        trainee.pk,
        *[u.pk for u in others],
    }
