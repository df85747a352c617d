"""Take the screenshots that illustrate the demo lessons (courses/demo_screenshots/*.png) from the product itself.

    .venv/bin/python scripts/take_lesson_screenshots.py [--only NAME ...]

It builds a throw-away demo database in a temporary folder (migrate + seed_demo), starts the development server on a
free port, and drives headless Chromium (Playwright, Debian's /usr/bin/chromium) through the Wagtail admin in
Simplified Chinese as the demo trainee wuling1, the trainer and the bureau. Each picture is shrunk to at most 1200 px
wide and reduced to a 256-colour palette with Pillow, so it stays under ~120 KB. Which lesson step shows which file,
and its alt text, is data in courses/demo_content.py; this script only knows how to reach each screen.
Run it again after the admin changes look, then commit the PNGs.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "courses" / "demo_screenshots"
MAX_WIDTH = 1200
MAX_BYTES = 120_000
PASSWORD = "changde2026"

# Run in the server's environment after seed_demo: a lesson waiting for the bureau's review, and the ids the shots need.
PREPARE = """
import json
from wagtail.models import Page
from courses.models import LessonPage
from lms.models import User
from quizzes.models import PracticeAreaPage, PracticeSectionPage, PracticalTask, TopicPage, NewsPage

trainer = User.objects.get(username="trainer1")
lesson = LessonPage.objects.get(slug="daily-update")
if not lesson.workflow_in_progress:
    lesson.intro = lesson.intro + "（节假日值班安排已更新）"
    revision = lesson.save_revision(user=trainer)
    lesson.get_workflow().start(lesson, trainer)
user = User.objects.get(username="wuling1")
area = PracticeAreaPage.objects.get(owner_user=user)
news = PracticeSectionPage.objects.child_of(area).get(slug="news")
item = NewsPage.objects.child_of(news).first()
if item is None:
    item = NewsPage(title="常德市商务局召开外贸企业座谈会", slug="waimao-zuotanhui", owner=user)
    news.add_child(instance=item)
    item.save_revision(user=user).publish(user=user)
assert LessonPage.objects.get(pk=lesson.pk).workflow_in_progress
topic = TopicPage.objects.descendant_of(area).first()
task = PracticalTask.objects.filter(kind="topic_page").first()
print(json.dumps({"area": area.pk, "news": news.pk, "topic": topic.pk, "topic_url": topic.url, "task": task.pk,
                  "news_item": item.pk, "lesson": lesson.pk}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _manage(env: dict, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def _save(png: bytes, name: str) -> None:
    """Shrink to MAX_WIDTH and a 256-colour palette: admin screens are flat colours, so this keeps them sharp."""
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    if picture.width > MAX_WIDTH:
        picture = picture.resize((MAX_WIDTH, round(picture.height * MAX_WIDTH / picture.width)), Image.Resampling.LANCZOS)
    for colours in (256, 128, 64):
        buffer = io.BytesIO()
        picture.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            buffer, "PNG", optimize=True
        )
        if buffer.tell() <= MAX_BYTES:
            break
    (OUT / name).write_bytes(buffer.getvalue())
    print(f"  {name}: {picture.width}×{picture.height}, {buffer.tell() // 1024} KB")


def _login(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def _shots(ids: dict) -> dict:
    """name → what to do before the screenshot (page, base URL). Names match courses/demo_content.py."""

    def login_form(page, base):
        page.context.clear_cookies()
        page.goto(f"{base}/admin/login/")
        page.fill("input[name=username]", "wuling1")
        page.fill("input[name=password]", PASSWORD)

    def dashboard(page, base):
        _login(page, base, "wuling1")

    def explorer(page, base):
        _login(page, base, "wuling1")
        page.goto(f"{base}/admin/pages/{ids['area']}/")

    def choose_type(page, base):
        _login(page, base, "wuling1")
        page.goto(f"{base}/admin/pages/{ids['area']}/add_subpage/")

    def news_form(page, base):
        _login(page, base, "wuling1")
        page.goto(f"{base}/admin/pages/add/quizzes/newspage/{ids['news']}/")
        page.fill("#id_title", "我市举办2026年农产品产销对接会")
        page.wait_for_timeout(500)

    def publish_menu(page, base):
        _login(page, base, "wuling1")
        page.goto(f"{base}/admin/pages/{ids['topic']}/edit/")
        page.click("footer .w-dropdown__toggle, .footer__container .w-dropdown__toggle")
        page.wait_for_timeout(500)

    def unpublish(page, base):
        _login(page, base, "wuling1")
        page.goto(f"{base}/admin/pages/{ids['news_item']}/unpublish/")

    def review_actions(page, base):
        _login(page, base, "bureau")
        page.goto(f"{base}/admin/pages/{ids['lesson']}/edit/")
        page.click("footer .w-dropdown__toggle, .footer__container .w-dropdown__toggle")
        page.wait_for_timeout(500)

    def updated_dates(page, base):
        _login(page, base, "wuling1")
        page.goto(f"{base}/admin/pages/{ids['news']}/")

    def front_topic(page, base):
        page.goto(f"{base}{ids['topic_url']}")

    def topic_form(page, base):
        _login(page, base, "wuling1")
        page.goto(f"{base}/admin/pages/add/quizzes/topicpage/{ids['area']}/")

    def check_report(page, base):
        page.context.clear_cookies()
        page.goto(f"{base}/accounts/login/?next=/hands-on/tasks/{ids['task']}/")
        page.fill("input[name=username]", "wuling1")
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit], form button[type=submit]")
        page.wait_for_url(f"**/hands-on/tasks/{ids['task']}/")

    return {
        "admin-login.png": login_form,
        "admin-dashboard.png": dashboard,
        "admin-page-tree.png": explorer,
        "admin-choose-page-type.png": choose_type,
        "admin-news-form.png": news_form,
        "admin-unpublish.png": unpublish,
        "admin-review-actions.png": review_actions,
        "admin-updated-dates.png": updated_dates,
        "topic-front-page.png": front_topic,
        "topic-add-form.png": topic_form,
        "topic-check-report.png": check_report,
        "topic-publish-menu.png": publish_menu,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="file names to retake (default: all)")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lesson-shots-") as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
            "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
            "MEDIA_ROOT": f"{tmp}/media",
            "LOG_LEVEL": "WARNING",
        }
        print("Building a demo database …")
        _manage(env, "migrate", "--noinput")
        _manage(env, "seed_demo")
        ids = json.loads(_manage(env, "shell", stdin=PREPARE).strip().splitlines()[-1])
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{base}/admin/login/", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium")
                context = browser.new_context(
                    viewport={"width": 1280, "height": 800},
                    locale="zh-CN",
                    extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"},
                )
                page = context.new_page()
                for name, prepare in _shots(ids).items():
                    if args.only and name not in args.only:
                        continue
                    prepare(page, base)
                    page.wait_for_load_state("networkidle")
                    _save(page.screenshot(), name)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
