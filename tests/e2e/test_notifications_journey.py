"""A reviewed task is returned: the trainee sees the bell count rise and reads the message; the team's
DingTalk robot (a local server speaking DingTalk's API, checking the signature) receives exactly one
correctly signed message, delivered by the task worker."""

import time

import pytest

from tests.notifications.platforms import Platforms

from .conftest import django_shell, login, shot

pytestmark = pytest.mark.e2e

TOKEN = "b" * 64
SECRET = "SEC" + "fedcba9876543210" * 4


@pytest.fixture
def platforms():
    server = Platforms().start()
    server.dingtalk_secrets[TOKEN] = SECRET
    yield server
    server.stop()


def _bell(page) -> int:
    return int(page.locator(".site-bell").get_attribute("data-unread"))


def test_returned_work_reaches_the_bell_inbox_and_the_team_robot(page, browser, server_env, platforms):
    prepared = django_shell(
        server_env,
        "notification_journey",
        username="jinshi9",
        full_name="周<b>晓</b>梅",
        team_code="jinshi",
        robot_url=f"{platforms.base}/robot/send?access_token={TOKEN}",
        secret=SECRET,
    )
    trainee = page
    login(trainee, "jinshi9")
    trainee.goto(f"{trainee.base_url}/my/")
    before = _bell(trainee)
    shot(trainee, "n01-bell-before")

    reviewer = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    reviewer.set_default_timeout(20_000)
    reviewer.base_url = trainee.base_url
    login(reviewer, prepared["reviewer"])
    reviewer.goto(f"{reviewer.base_url}/hands-on/review/{prepared['submission']}/")
    feedback = "请补充整改完成情况和截图。"
    reviewer.fill("textarea[name=feedback]", feedback)
    reviewer.locator("button[name=decision][value=return]").click()
    reviewer.wait_for_load_state()
    reviewer.context.close()

    trainee.reload()
    assert _bell(trainee) == before + 1
    assert trainee.locator(".site-bell__count").inner_text() == str(before + 1)
    shot(trainee, "n02-bell-after")
    trainee.locator(".site-bell").click()
    trainee.wait_for_load_state()
    message = trainee.locator(".notif--unread").first
    assert feedback in message.inner_text() and prepared["task"] in message.inner_text()
    shot(trainee, "n03-inbox")
    message.get_by_role("button", name="查看").click()
    trainee.wait_for_load_state()
    assert f"/hands-on/tasks/{prepared['task_id']}/" in trainee.url
    assert _bell(trainee) == before
    trainee.set_viewport_size({"width": 390, "height": 844})
    trainee.goto(f"{trainee.base_url}/notifications/")
    shot(trainee, "n04-inbox-phone")

    deadline = time.monotonic() + 60
    while not platforms.of("dingtalk") and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(3)  # anything doubled would have arrived by now
    received = platforms.of("dingtalk")
    assert len(received) == 1 and platforms.refused == []
    assert received[0]["signed"] and received[0]["token"] == TOKEN
    text = received[0]["body"]["markdown"]["text"]
    assert feedback in text and "周＜b＞晓＜/b＞梅" in text and "<b>" not in text
