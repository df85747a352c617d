"""Delivery end to end over real HTTP to the local platforms server: success, rate limits, bad signatures,
server errors, timeouts; retries with backoff, leases, quiet hours, caps and the robots' 20 a minute."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import delivery
from notifications.models import Delivery, EventPolicy, Notification, RobotWebhook
from notifications.services import notify
from tests.factories import UserFactory
from tests.notifications.conftest import DINGTALK_TOKEN, WECOM_KEY

pytestmark = pytest.mark.django_db


def _returned(trainee, team, key="work.returned:1", **extra):
    return notify(
        "work.returned",
        [trainee],
        {"name": trainee.full_name, "task": "专题页面", "reviewer": "石建军", "comment": "栏目为空", **extra},
        key=key,
        team=team,
    )


def test_wecom_message_delivered_once_through_the_task(django_capture_on_commit_callbacks, platforms, wecom_robot, trainee, team):
    with django_capture_on_commit_callbacks(execute=True):
        _returned(trainee, team)
    with django_capture_on_commit_callbacks(execute=True):
        _returned(trainee, team)  # the same event again (a retried request): nothing new
    messages = platforms.of("wecom")
    assert len(messages) == 1
    content = messages[0]["body"]["markdown"]["content"]
    assert messages[0]["key"] == WECOM_KEY
    assert "专题页面" in content and "栏目为空" in content and "http://testserver/hands-on/" not in content
    assert "](http://testserver/" in content  # a link back into the product
    row = Delivery.objects.get(channel="wecom")
    assert (row.status, row.attempts, row.team_id) == ("sent", 1, team.pk)
    assert Notification.objects.filter(recipient=trainee).count() == 1


def test_dingtalk_signed_as_documented(django_capture_on_commit_callbacks, platforms, dingtalk_robot, trainee, team):
    with django_capture_on_commit_callbacks(execute=True):
        _returned(trainee, team)
    [message] = platforms.of("dingtalk")
    assert message["signed"] and message["token"] == DINGTALK_TOKEN
    assert message["body"]["markdown"]["title"].startswith("你提交的")


def test_wrong_dingtalk_secret_is_refused_permanently_and_robot_switches_off(
    django_capture_on_commit_callbacks, platforms, dingtalk_robot, trainee, team, bureau_admin, settings
):
    settings.NOTIFY_ROBOT_DISABLE_AFTER = 3
    RobotWebhook.objects.filter(pk=dingtalk_robot.pk).update(secret="SEC" + "f" * 64)
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            _returned(trainee, team, key=f"work.returned:{n}")
    failed = Delivery.objects.filter(channel="dingtalk").order_by("pk")
    assert [d.status for d in failed] == ["failed"] * 3
    assert {d.error_code for d in failed} == {"310000"} and "sign not match" in failed[0].last_error
    assert all(d.attempts == 1 for d in failed)  # permanent: not retried
    robot = RobotWebhook.objects.get(pk=dingtalk_robot.pk)
    assert not robot.is_active and robot.auth_failures == 3 and "310000" in robot.disabled_reason
    told = Notification.objects.get(recipient=bureau_admin, event="robot.disabled")
    assert "310000" in told.context["error"]
    with django_capture_on_commit_callbacks(execute=True):
        _returned(trainee, team, key="work.returned:after")
    assert not Delivery.objects.filter(event_key="work.returned:after", channel="dingtalk").exists()
    assert platforms.of("dingtalk") == []


def test_success_resets_the_refusal_count(django_capture_on_commit_callbacks, platforms, wecom_robot, trainee, team):
    platforms.mode[WECOM_KEY] = "invalid"
    with django_capture_on_commit_callbacks(execute=True):
        _returned(trainee, team, key="a")
    assert RobotWebhook.objects.get(pk=wecom_robot.pk).auth_failures == 1
    platforms.mode[WECOM_KEY] = "ok"
    with django_capture_on_commit_callbacks(execute=True):
        _returned(trainee, team, key="b")
    robot = RobotWebhook.objects.get(pk=wecom_robot.pk)
    assert robot.auth_failures == 0 and robot.is_active


@pytest.mark.parametrize("mode, code", [("ratelimit", "45009"), ("error500", "http_502"), ("timeout", "unreachable")])
def test_temporary_failures_are_retried_with_backoff(
    django_capture_on_commit_callbacks, platforms, wecom_robot, trainee, team, mode, code
):
    platforms.mode[WECOM_KEY] = mode
    with django_capture_on_commit_callbacks(execute=True):
        _returned(trainee, team)
    row = Delivery.objects.get(channel="wecom")
    assert (row.status, row.error_code, row.attempts) == ("queued", code, 1)
    assert row.next_try_at > timezone.now() + timedelta(seconds=20)
    platforms.mode[WECOM_KEY] = "ok"
    assert delivery.deliver_due() == 0  # not due yet
    assert delivery.deliver_due(now=row.next_try_at + timedelta(seconds=1)) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(platforms.of("wecom")) == 1


def test_gives_up_after_max_attempts(django_capture_on_commit_callbacks, platforms, wecom_robot, trainee, team, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    platforms.mode[WECOM_KEY] = "error500"
    with django_capture_on_commit_callbacks(execute=True):
        _returned(trainee, team)
    moment = timezone.now()
    for _ in range(3):
        moment += timedelta(hours=7)
        delivery.deliver_due(now=moment)
    row = Delivery.objects.get(channel="wecom")
    assert row.status == "failed" and row.attempts == 3 and "gave up after 3 attempts" in row.last_error


def test_robot_sends_at_most_20_a_minute(platforms, wecom_robot, trainee, team):
    users = [trainee] + [UserFactory(role="trainee", team=team) for _ in range(2)]
    for n in range(25):
        notify("work.returned", [users[n % 3]], {"task": f"任务{n}"}, key=f"burst:{n}", team=team)
    now = timezone.now()
    delivery.deliver_due(now=now)
    assert len(platforms.of("wecom")) == 20
    waiting = Delivery.objects.filter(channel="wecom", status="queued")
    assert waiting.count() == 5 and all(d.attempts == 0 for d in waiting)
    delivery.deliver_due(now=now + timedelta(seconds=62))
    assert len(platforms.of("wecom")) == 25


def test_quiet_hours_hold_robots_until_morning_but_not_urgent(platforms, wecom_robot, trainee, team, settings):
    settings.NOTIFY_QUIET_HOURS = (22, 7)
    night = (timezone.localtime(timezone.now()) + timedelta(days=1)).replace(hour=23, minute=30)
    _returned(trainee, team, key="night")
    notify("work.returned", [trainee], {"task": "紧急"}, key="urgent", team=team, urgent=True)
    delivery.deliver_due(now=night)
    assert ["紧急" in m["body"]["markdown"]["content"] for m in platforms.of("wecom")] == [True]
    held = Delivery.objects.get(event_key="night", channel="wecom")
    assert held.status == "queued" and timezone.localtime(held.next_try_at).hour == 7 and held.attempts == 0
    delivery.deliver_due(now=held.next_try_at)
    assert len(platforms.of("wecom")) == 2


def test_team_daily_cap(platforms, wecom_robot, trainee, team, settings):
    settings.NOTIFY_TEAM_DAILY_CAP = 2
    for n in range(4):
        _returned(trainee, team, key=f"cap:{n}")
    delivery.deliver_due()
    assert len(platforms.of("wecom")) == 2
    assert Delivery.objects.filter(channel="wecom", status="skipped", error_code="daily_cap").count() == 2


def test_expired_lease_is_claimed_again_and_the_old_worker_cannot_record(platforms, wecom_robot, trainee, team):
    _returned(trainee, team)
    long_ago = timezone.now() - timedelta(seconds=delivery.lease_seconds() + 5)
    Delivery.objects.update(next_try_at=long_ago)
    [first] = delivery.claim(token="dead-worker", now=long_ago)  # a worker claimed it, then stalled past its lease
    assert delivery.claim(token="other", now=long_ago) == []  # while leased, nobody else takes it
    [again] = delivery.claim(token="new-worker")
    assert again.pk == first.pk and again.attempts == 2
    assert delivery.deliver_one(first, token="dead-worker") == "lost"  # the old lease no longer holds: not sent
    assert delivery.deliver_one(again, token="new-worker") == "sent"
    assert len(platforms.of("wecom")) == 1


def test_sms_signed_request_with_provider_template(django_capture_on_commit_callbacks, platforms, trainee, team):
    EventPolicy.objects.create(event="certificate.expiring", sms_template_code="SMS_276450123")
    trainee.phone = "13800000001"
    trainee.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            "certificate.expiring",
            [trainee],
            {
                "name": trainee.full_name,
                "programme": "常德市商务网站管理员资格",
                "date": "2027-01-30",
                "days": 30,
                "serial": "CD-2026-000001",
            },
            key="exp:1",
        )
    [sms] = platforms.of("sms")
    assert sms["action"] == "SendSms" and sms["template"] == "SMS_276450123" and sms["sign_name"] == "常德市商务局"
    assert sms["template_params"] == {"programme": "常德市商务网站管理员资格", "date": "2027-01-30"}
    assert sms["out_id"] == Delivery.objects.get(channel="sms").idempotency_key[:32]


def test_sms_rate_limit_retried_bad_number_failed(django_capture_on_commit_callbacks, platforms, trainee, team):
    EventPolicy.objects.create(event="certificate.expiring", sms_template_code="SMS_1")
    other = UserFactory(role="trainee", team=team, phone="13800000002")
    trainee.phone = "13800000001"
    trainee.save()
    platforms.mode.update({"13800000001": "ratelimit", "13800000002": "invalid"})
    with django_capture_on_commit_callbacks(execute=True):
        notify("certificate.expiring", [trainee, other], {}, key="exp:2")
    rows = {d.recipient_id: d for d in Delivery.objects.filter(channel="sms")}
    assert (rows[trainee.pk].status, rows[trainee.pk].error_code) == ("queued", "isv.BUSINESS_LIMIT_CONTROL")
    assert (rows[other.pk].status, rows[other.pk].error_code) == ("failed", "isv.MOBILE_NUMBER_ILLEGAL")


def test_sms_with_wrong_secret_is_refused_by_the_server(django_capture_on_commit_callbacks, platforms, trainee, settings):
    settings.SMS_ACCESS_KEY_SECRET = "not-the-secret"
    EventPolicy.objects.create(event="certificate.expiring", sms_template_code="SMS_1")
    trainee.phone = "13800000001"
    trainee.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify("certificate.expiring", [trainee], {}, key="exp:3")
    row = Delivery.objects.get(channel="sms")
    assert (row.status, row.error_code) == ("failed", "SignatureDoesNotMatch")
    assert platforms.of("sms") == [] and len(platforms.refused) == 1


def test_sms_off_unless_configured(settings, trainee):
    settings.SMS_PROVIDER = ""
    EventPolicy.objects.create(event="certificate.expiring", sms_template_code="SMS_1")
    trainee.phone = "13800000001"
    trainee.save()
    notify("certificate.expiring", [trainee], {}, key="exp:4")
    assert not Delivery.objects.filter(channel="sms").exists()
    assert Notification.objects.filter(recipient=trainee, event="certificate.expiring").exists()


def test_email_html_escapes_names_and_carries_a_stable_message_id(django_capture_on_commit_callbacks, mailoutbox, trainee):
    trainee.email = "li@example.cn"
    trainee.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            "work.accepted",
            [trainee],
            {"task": "<script>alert(1)</script>", "reviewer": "石建军", "comment": "很好"},
            key="acc:1",
        )
    [mail] = mailoutbox
    html = mail.alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<script>alert(1)</script>" in mail.subject  # plain text subject: shown as text by mail clients
    row = Delivery.objects.get(channel="email")
    assert mail.extra_headers["Message-ID"] == f"<{row.idempotency_key}@webmaster-academy>"
