import shutil

import pytest

from .factories import TaskFactory, wagtail_image
from .images import photo


@pytest.fixture
def original(db):
    return wagtail_image(photo((1600, 1200)))


@pytest.fixture
def image_task(original):
    return TaskFactory(
        title="新闻配图处理",
        original_image=original,
        spec={"formats": ["JPEG"], "width": 800, "height": 600, "mode": "RGB", "strip_exif": "all", "no_upscale": True},
    )


@pytest.fixture
def submit(django_capture_on_commit_callbacks):
    """Hand in work the way the site does: commit, then the background check runs (immediately in tests)."""
    from quizzes.practical.services import submit_work

    def _submit(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            submission = submit_work(**kwargs)
        submission.refresh_from_db()
        return submission

    return _submit


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture(autouse=True)
def default_language():
    """A request in English leaves English active in this thread; put the default language back after each test."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


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
