"""In a real browser: the task page says “检查中…” and updates itself when the background check finishes."""

import shutil

import pytest

from quizzes.practical.services import run_check, submit_work

from .conftest import upload
from .images import cmyk_jpeg

# serialized_rollback: the flush after a transactional test would also remove the page tree the migrations made.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        yield browser.new_page(locale="zh-CN")
        browser.close()


def test_checking_page_updates_itself(live_server, browser_page, trainee, image_task, settings):
    # A queue nobody works on yet: the check waits, as when the worker is busy.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    submission = submit_work(task=image_task, user=trainee, upload=upload(cmyk_jpeg((800, 600))))
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", trainee.username)
    page.fill("input[name=password]", "pass12345")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/hands-on/tasks/{image_task.pk}/")
    assert "检查中…" in page.inner_text(".task-latest")
    run_check(submission_id=submission.pk)
    page.wait_for_selector("table.check-report", timeout=15_000)
    text = page.inner_text(".task-latest")
    assert "未通过检查" in text and "CMYK（印刷色彩模式）" in text
