"""Exam day in a real browser: the bureau schedules a sitting for two teams in the admin; two trainees
wait on the server-time countdown, start together, one passes and one fails (and is not shown the right
answers); the bureau creates the make-up (创建补考); the failing trainee passes it and the certificate follows.

Both trainees have done everything else of the programme beforehand (set up through the shell), so the
exam is their last requirement. The only shortcut is time: the sitting is closed through the shell rather
than waiting for its minute-precise close."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from .conftest import axe_violations, django_shell, login, shot
from .test_full_journey import _answer_quiz

pytestmark = pytest.mark.e2e

TITLE = "资格考试（临澧县、桃源县）"
PASSER, FAILER = "linli9", "taoyuan9"
WAIT = 60_000
ZONE = ZoneInfo("Asia/Shanghai")  # the admin reads times in the product's zone (settings.TIME_ZONE)


def _minute(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


def _schedule(page, *, opens: datetime) -> None:
    page.goto(f"{page.base_url}/admin/snippets/exams/examsitting/add/")
    page.fill("#id_title", TITLE)
    page.locator("#id_quiz").select_option(label="网站管理制度与信息安全 · 结业测验")
    page.get_by_label("临澧县").check()
    page.get_by_label("桃源县").check()
    page.fill("#id_opens_at", _minute(opens))
    page.fill("#id_latest_entry_at", _minute(opens + timedelta(minutes=10)))
    page.fill("#id_closes_at", _minute(opens + timedelta(minutes=40)))
    page.keyboard.press("Escape")  # close the date picker
    page.fill("#id_contact", "市商务局电子商务科 王老师 0736-7255555")
    page.locator("#id_title").click()
    shot(page, "x01-admin-schedule-sitting")
    page.locator("button[type=submit]", has_text="保存").first.click()
    page.wait_for_load_state()
    assert page.locator(f"text={TITLE}").count() >= 1, page.content()[:2000]
    shot(page, "x02-admin-sittings")


def _submit(page) -> None:
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#quiz-submit").click()
    page.locator(".quiz-score__figure").wait_for(timeout=WAIT)


def test_exam_day_with_a_makeup_and_the_certificate(browser, base_url, server_env):
    candidates = {}
    for username, name, team in ((PASSER, "向晓东", "linli"), (FAILER, "卓文静", "taoyuan")):
        candidates[username] = django_shell(
            server_env,
            "trainee_with_all_but",
            username=username,
            full_name=name,
            team_code=team,
            lesson_slug="",
            quiz_course="rules-security",
            task_titles=[],
        )
    key = candidates[PASSER]["key"]

    def context():
        ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        ctx.set_default_timeout(20_000)
        page = ctx.new_page()
        page.base_url, page.steps = base_url, 0
        return ctx, page

    bureau_ctx, bureau = context()
    login(bureau, "bureau")
    # The next whole minute at least 25 s away: the trainees then wait on the countdown.
    now = datetime.now(ZONE)
    opens = (now + timedelta(seconds=85)).replace(second=0, microsecond=0)
    _schedule(bureau, opens=opens)

    contexts = {}
    for username in (PASSER, FAILER):
        ctx, page = context()
        login(page, username)
        page.get_by_role("link", name="我的考试").first.click()
        page.wait_for_load_state()
        page.get_by_role("link", name=TITLE).click()
        page.locator("#exam-countdown").wait_for()
        assert page.locator("#exam-start").is_hidden()
        contexts[username] = (ctx, page)
    passer, failer = contexts[PASSER][1], contexts[FAILER][1]
    shot(passer, "x03-waiting-countdown")
    failer.set_viewport_size({"width": 390, "height": 844})  # a phone: the panels stack, nothing runs off
    shot(failer, "x03-waiting-countdown-phone")
    assert failer.evaluate("document.documentElement.scrollWidth <= 390")
    assert axe_violations(passer) == []
    # The start button appears by itself when the server's clock reaches the opening.
    for page in (passer, failer):
        page.locator("#exam-start button").wait_for(state="visible", timeout=120_000)
    shot(passer, "x04-start-button")
    passer.locator("#exam-start button").click()
    failer.locator("#exam-start button").click()
    for page in (passer, failer):
        page.locator("#quiz-form").wait_for(timeout=WAIT)

    _answer_quiz(passer, key)
    _submit(passer)
    assert passer.locator(".quiz-score--pass").count() == 1
    _submit(failer)  # nothing answered
    assert failer.locator(".quiz-score--pass").count() == 0
    # Scores right away, but no right answer while the sitting runs (and while a make-up is ahead).
    assert failer.locator(".is-right, .quiz-right").count() == 0
    shot(failer, "x05-failed-no-answers")

    sitting_id = django_shell(server_env, "close_sitting", title=TITLE)["id"]
    bureau.goto(f"{base_url}/admin/snippets/exams/examsitting/")
    bureau.locator("tr", has_text=TITLE).get_by_role("link", name="创建补考").click()
    bureau.wait_for_load_state()
    intro = bureau.locator(".nice-padding").first.inner_text()
    # The demo trainees of both teams stayed away (6) and one candidate failed: 7, the passer is not among them.
    assert "应邀请 7 人" in intro, intro
    start = datetime.now(ZONE)
    bureau.fill("#id_opens_at", _minute(start))
    bureau.fill("#id_closes_at", _minute(start + timedelta(minutes=30)))
    bureau.keyboard.press("Escape")
    bureau.locator("#id_title").click()
    shot(bureau, "x06-admin-create-makeup")
    bureau.get_by_role("button", name="安排补考").click()
    bureau.wait_for_load_state()
    assert "已安排补考" in bureau.content(), bureau.content()[:3000]

    bureau.goto(f"{base_url}/exams/{sitting_id}/results/")
    figures = bureau.locator("table.figures tfoot tr th").all_inner_texts()
    assert figures[1:] == ["8", "2", "2", "1", "6"], figures
    shot(bureau, "x07-results")
    bureau.set_viewport_size({"width": 390, "height": 844})
    shot(bureau, "x07-results-phone")
    bureau.set_viewport_size({"width": 1280, "height": 900})

    failer.goto(f"{base_url}/exams/")
    shot(failer, "x07-my-exams-phone")
    makeup_link = failer.locator(".exam-list a", has_text="补考").first
    makeup_link.click()
    failer.wait_for_load_state()
    failer.get_by_role("button", name="开始考试").click()
    failer.locator("#quiz-form").wait_for(timeout=WAIT)
    _answer_quiz(failer, key)
    _submit(failer)
    assert failer.locator(".quiz-score--pass").count() == 1
    shot(failer, "x08-makeup-passed")

    # The certificate follows: issued by the task worker once the exam completes the last course.
    for username, page in ((FAILER, failer), (PASSER, passer)):
        for _ in range(60):
            if django_shell(server_env, "certificate_of", username=username):
                break
            page.wait_for_timeout(1000)
        else:
            pytest.fail(f"no certificate for {username}")
    failer.goto(f"{base_url}/my/certificates/")
    assert "常德市商务网站管理员资格" in failer.content()
    shot(failer, "x09-certificate")
    for ctx in [bureau_ctx, *(c for c, _ in contexts.values())]:
        ctx.close()
