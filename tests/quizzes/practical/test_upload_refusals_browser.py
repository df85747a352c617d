"""In a real browser: each kind of refused upload brings the trainee back to the task page with its reason.

Screenshots of each message go to tests/e2e/artifacts/upload-refused-<case>.png.
"""

from pathlib import Path

import pytest

from quizzes.models import Submission

from .images import jpeg, jpeg_html_polyglot, jpeg_with_segment, photo, png_ztxt_bomb_after_pixels, truncated_jpeg

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "e2e" / "artifacts"

CASES = {
    "truncated": ("photo.jpg", "image/jpeg", truncated_jpeg(), "已损坏或不完整"),
    "polyglot": ("photo.jpg", "image/jpeg", jpeg_html_polyglot(), "图片结束之后"),
    "comment-script": ("photo.jpg", "image/jpeg", jpeg_with_segment(0xFE, b"<script>alert(1)</script>"), "网页代码"),
    "ztxt-bomb": ("photo.png", "image/png", png_ztxt_bomb_after_pixels(), "文本数据块"),
    "name-too-long": ("图" * 8000 + ".jpg", "image/jpeg", jpeg(photo((800, 600))), "文件名太长"),
}


@pytest.mark.parametrize("case", CASES)
def test_refused_upload_is_explained_on_the_task_page(live_server, browser_page, trainee, image_task, case):
    name, mime, data, words = CASES[case]
    page = browser_page
    page.set_viewport_size({"width": 1100, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", trainee.username)
    page.fill("input[name=password]", "pass12345")
    page.click("button[type=submit]")
    task_url = f"{live_server.url}/hands-on/tasks/{image_task.pk}/"
    page.goto(task_url)
    page.set_input_files("input[type=file]", files=[{"name": name, "mimeType": mime, "buffer": data}])
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url == task_url
    text = page.inner_text("body")
    assert words in text, text[:800]
    assert "Bad Request" not in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"upload-refused-{case}.png"), full_page=True)
    assert not Submission.objects.exists()
