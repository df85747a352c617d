"""In a real browser: the task page says “检查中…” and updates itself when the background check finishes."""

import pytest

from quizzes.practical.services import run_check, submit_work

from .conftest import upload
from .images import cmyk_jpeg

# serialized_rollback: the flush after a transactional test would also remove the page tree the migrations made.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


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
