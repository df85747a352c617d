"""On a 390 px phone the review queue and a task page fit the screen: a wide table scrolls in its own box,
the page never scrolls sideways. Real Chromium against the live test server."""

import os
import shutil

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from quizzes.practical.services import submit_work

from .factories import RubricCriterionFactory, TaskFactory

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# serialized_rollback: a plain flush would run post_migrate, whose groups would then clash with the next serialized test.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no Chromium")]


def _page_width(live_server, user, path) -> tuple[int, str]:
    from playwright.sync_api import sync_playwright

    client = Client()
    client.force_login(user)
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 390, "height": 844})
        context.add_cookies([cookie])
        page = context.new_page()
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if os.environ.get("PHONE_WIDTH_SHOTS"):  # a folder to look at the pages in
            page.screenshot(
                path=os.path.join(os.environ["PHONE_WIDTH_SHOTS"], path.strip("/").replace("/", "-") + ".png"), full_page=True
            )
        widest = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)"
            ".map(e => e.tagName + '.' + e.className).slice(0, 5).join(', ')"
        )
        browser.close()
    return width, widest


def test_the_review_queue_and_a_task_page_fit_a_phone(live_server, trainee, trainer, settings):
    settings.ALLOWED_HOSTS = ["*"]
    task = TaskFactory(
        kind="reviewed",
        spec={},
        title="网站安全自查报告（含整改台账与附件清单）",
        accept_file=True,
        accept_link=True,
        accept_text=True,
    )
    RubricCriterionFactory(task=task, title="内容完整", levels_text="优秀 | 10\n合格 | 6\n不合格 | 0")
    submit_work(task=task, user=trainee, link="https://www.example.gov.cn/zwgk/tzgg/2026/11/report-self-check.html")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "1"  # Playwright's sync API runs an event loop in this thread
    try:
        width, widest = _page_width(live_server, trainer, reverse("practical:review_queue"))
        assert width <= 390, widest
        width, widest = _page_width(live_server, trainee, reverse("practical:task", args=[task.pk]))
        assert width <= 390, widest
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
