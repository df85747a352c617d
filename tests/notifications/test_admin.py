"""The Wagtail admin screens are the bureau's: robots (malformed addresses refused with a message), event
policies, the delivery log with its filters. Trainers and team leads get 403 everywhere."""

import pytest

from notifications.models import Delivery, RobotWebhook
from notifications.services import notify

from .conftest import DINGTALK_SECRET, DINGTALK_TOKEN, WECOM_KEY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site")]

ROBOTS = "/admin/snippets/notifications/robotwebhook/"
POLICIES = "/admin/snippets/notifications/eventpolicy/"
LOG = "/admin/snippets/notifications/delivery/"


@pytest.mark.parametrize("who", ["trainer", "team_lead", "trainee"])
@pytest.mark.parametrize("url", [ROBOTS, ROBOTS + "add/", POLICIES, POLICIES + "add/", LOG])
def test_only_the_bureau(client, request, who, url):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/login" in response["Location"] or response["Location"].startswith("/admin/")


def test_delivery_log_filters(client, bureau_admin, trainee, team, other_trainee, wecom_robot):
    notify("work.returned", [trainee], {"task": "甲"}, key="one", team=team)
    Delivery.objects.filter(channel="wecom").update(status="failed", error_code="93000", last_error="invalid webhook url")
    client.force_login(bureau_admin)
    page = client.get(LOG).content.decode()
    assert "93000" in page
    assert "93000" in client.get(LOG, {"team": team.pk, "channel": "wecom", "status": "failed"}).content.decode()
    assert "93000" not in client.get(LOG, {"status": "sent"}).content.decode()
    assert client.get(LOG + "add/").status_code in (302, 403, 404)  # the log is read-only
    row = Delivery.objects.get(channel="wecom")
    assert client.get(f"{LOG}inspect/{row.pk}/").status_code == 200


def _robot_form(**values):
    return {"team": "", "kind": "wecom", "name": "", "url": "", "secret": "", "is_active": "on", **values}


@pytest.mark.parametrize(
    "values, message",
    [
        ({"url": "https://example.com/cgi-bin/webhook/send?key=" + WECOM_KEY}, "这不是企业微信机器人地址"),
        ({"url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x"}, "企业微信机器人地址应为"),
        ({"url": "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + WECOM_KEY}, "这不是企业微信机器人地址"),
        (
            {"url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + WECOM_KEY, "secret": "SECabc"},
            "企业微信机器人没有加签密钥",
        ),
        (
            {"kind": "dingtalk", "url": "https://oapi.dingtalk.com/robot/send?access_token=" + DINGTALK_TOKEN, "secret": "abc"},
            "钉钉加签密钥以 SEC 开头",
        ),
        (
            {
                "kind": "dingtalk",
                "url": "https://oapi.dingtalk.com/robot/send?access_token=" + DINGTALK_TOKEN + "&timestamp=1&sign=x",
            },
            "不带 timestamp 和 sign",
        ),
        ({"kind": "dingtalk", "url": "javascript:alert(1)"}, "这不是钉钉机器人地址"),
    ],
)
def test_malformed_robot_refused_with_a_message(client, bureau_admin, values, message):
    client.force_login(bureau_admin)
    response = client.post(ROBOTS + "add/", _robot_form(**values))
    assert response.status_code == 200 and message in response.content.decode()
    assert not RobotWebhook.objects.exists()


def test_good_robot_saved_and_switched_on_again(client, bureau_admin, team):
    client.force_login(bureau_admin)
    response = client.post(
        ROBOTS + "add/",
        _robot_form(
            team=team.pk,
            kind="dingtalk",
            url="https://oapi.dingtalk.com/robot/send?access_token=" + DINGTALK_TOKEN,
            secret=DINGTALK_SECRET,
        ),
    )
    assert response.status_code == 302
    robot = RobotWebhook.objects.get()
    RobotWebhook.objects.filter(pk=robot.pk).update(is_active=False, auth_failures=3, disabled_reason="310000")
    client.post(f"{ROBOTS}edit/{robot.pk}/", _robot_form(team=team.pk, kind="dingtalk", url=robot.url, secret=DINGTALK_SECRET))
    robot.refresh_from_db()
    assert robot.is_active and robot.auth_failures == 0 and robot.disabled_reason == ""


def test_event_policy_form_offers_the_registered_events(client, bureau_admin):
    client.force_login(bureau_admin)
    page = client.get(POLICIES + "add/").content.decode()
    assert "work.returned" in page and "作业被退回" in page
    assert client.post(POLICIES + "add/", {"event": "no.such", "sms_template_code": ""}).status_code == 200
