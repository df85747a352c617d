"""A county webmaster's journey through the real site, in a real browser."""

import re

import pytest

from .conftest import axe_violations, login, shot

pytestmark = pytest.mark.e2e


def test_trainee_reads_a_lesson_and_progress_moves(page):
    login(page, "linli1")
    assert page.url.endswith("/my/")
    shot(page, "a01-my-courses")

    page.goto(f"{page.base_url}/courses/")
    page.get_by_role("link", name="网站图片处理").first.click()
    shot(page, "a02-course-page")
    page.get_by_role("button", name="报名并开始学习").click()
    assert page.locator("h1").inner_text()  # lands on the first lesson
    shot(page, "a03-first-lesson")

    page.get_by_role("button", name=re.compile("标记为已完成")).click()
    page.wait_for_load_state()
    shot(page, "a04-next-lesson")
    page.goto(f"{page.base_url}/my/")
    assert "已完成" in page.locator(".continue").inner_text()
    assert page.locator(".continue .progress").get_attribute("aria-valuenow") != "0"
    shot(page, "a05-my-courses-progress")


def test_after_the_last_lesson_continue_leads_to_the_quiz_or_task(page):
    """Reading every lesson leaves the quiz and the tasks: “继续学习” goes there, not back to lesson 1."""
    login(page, "linli2")
    page.goto(f"{page.base_url}/courses/images/")
    enrol = page.get_by_role("button", name="报名并开始学习")
    if enrol.count():
        enrol.click()
        page.wait_for_load_state()
    for _ in range(20):
        page.goto(f"{page.base_url}/courses/images/")
        target = page.locator("aside a.button--primary").first.get_attribute("href")
        if "/quizzes/" in target or "/hands-on/" in target:
            break
        page.goto(page.base_url + target)
        page.get_by_role("button", name=re.compile("标记为已完成")).click()
        page.wait_for_load_state()
    shot(page, "a06-course-page-next-is-the-quiz")
    assert re.search(r"/(quizzes|hands-on/tasks)/\d+/$", target), target
    page.locator("aside a.button--primary").first.click()
    page.wait_for_load_state()
    assert re.search(r"/(quizzes|hands-on/tasks)/\d+/$", page.url), page.url

    page.goto(f"{page.base_url}/my/")
    shot(page, "a07-my-courses-next-is-the-quiz")
    entry = page.locator(".course-card", has=page.get_by_role("link", name="网站图片处理"))
    assert re.search(r"/(quizzes|hands-on/tasks)/\d+/$", entry.locator("a.button").first.get_attribute("href"))


@pytest.mark.parametrize("path", ["/", "/courses/", "/courses/backoffice/", "/courses/backoffice/login-and-roles/", "/my/"])
def test_trainee_pages_have_no_serious_accessibility_violations(page, path):
    login(page, "wuling1")
    page.goto(page.base_url + path)
    assert axe_violations(page) == []


def test_login_page_accessible_and_wrong_password_message(page):
    page.goto(f"{page.base_url}/accounts/login/")
    assert axe_violations(page) == []
    page.fill("input[name=username]", "wuling2")
    page.fill("input[name=password]", "not-the-password")
    page.click("button[type=submit]")
    assert "用户名或密码不正确" in page.locator(".form-error").inner_text()
    shot(page, "a00-login-error")
