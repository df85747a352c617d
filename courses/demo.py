"""Demo courses for `manage.py seed_demo`: the four courses of the Changde webmaster curriculum,
with generated cover images, screenshots of the steps (courses/demo_screenshots/, taken from the product's own
admin by scripts/take_lesson_screenshots.py), trainees enrolled and some progress so the pages are not empty."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model
from wagtail.models import Collection

from lms.models import Role, User
from quizzes.demo import ensure_quizzes

from .demo_content import COURSES
from .models import CoursePage, LessonPage
from .services import enroll, mark_lesson_done
from .setup import ensure_academy_site

SCREENSHOTS_DIR = Path(__file__).resolve().parent / "demo_screenshots"
SCREENSHOT_COLLECTION = "课程截图"
COVER_COLOURS = {"backoffice": "#1d5fa8", "topic-pages": "#b3261e", "images": "#1e7b3c", "rules-security": "#6a4c93"}


def _cjk_font(size: int) -> ImageFont.ImageFont:
    try:
        path = subprocess.run(["fc-match", "-f", "%{file}", "sans:lang=zh-cn"], capture_output=True, text=True, timeout=5).stdout
        return ImageFont.truetype(path, size)
    except (OSError, subprocess.SubprocessError):
        return ImageFont.load_default(size)


def _cover_image(slug: str, title: str):
    """A 960×480 cover with the course title, so the catalogue shows something real without shipped files."""
    Image = get_image_model()
    existing = Image.objects.filter(title=f"封面：{title}").first()
    if existing:
        return existing
    picture = PILImage.new("RGB", (960, 480), COVER_COLOURS.get(slug, "#444444"))
    draw = ImageDraw.Draw(picture)
    for i in range(0, 960, 48):
        draw.line([(i, 480), (i + 240, 0)], fill=(255, 255, 255, 30), width=1)
    font = _cjk_font(72)
    box = draw.textbbox((0, 0), title, font=font)
    draw.text(((960 - (box[2] - box[0])) / 2, (480 - (box[3] - box[1])) / 2 - 20), title, font=font, fill="white")
    small = _cjk_font(28)
    draw.text((40, 410), "站长学堂 · 常德市商务局", font=small, fill="white")
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=82)
    return Image.objects.create(title=f"封面：{title}", file=ImageFile(buffer, name=f"cover-{slug}.jpg"))


def _screenshot_collection() -> Collection:
    existing = Collection.objects.filter(name=SCREENSHOT_COLLECTION).first()
    return existing or Collection.get_first_root_node().add_child(name=SCREENSHOT_COLLECTION)


def _screenshot(file_name: str, alt: str):
    """The Wagtail image for a committed screenshot, loaded once into the 课程截图 collection (None if the file
    is not there yet: the screenshot script builds its demo database before it has taken the pictures)."""
    Image = get_image_model()
    title = f"课程截图：{file_name.removesuffix('.png')}"
    existing = Image.objects.filter(title=title).first()
    if existing or not (SCREENSHOTS_DIR / file_name).is_file():
        return existing
    with open(SCREENSHOTS_DIR / file_name, "rb") as handle:
        return Image.objects.create(title=title, collection=_screenshot_collection(), description=alt,
                                    file=ImageFile(handle, name=f"lesson-{file_name}"))


def _with_screenshots(value: dict) -> dict:
    """Steps in demo_content name their screenshot by file; the block wants the image itself."""
    steps = []
    for step in value["steps"]:
        if step.get("screenshot"):
            step = {**step, "screenshot": _screenshot(step["screenshot"], step["screenshot_alt"])}
        steps.append(step)
    return {**value, "steps": steps}


def _body(blocks: list) -> list:
    return [(kind, _with_screenshots(value) if kind == "steps" else value) for kind, value in blocks]


def _add_final_quiz(course: CoursePage, quiz) -> None:
    """The course's last lesson: its quiz (结业测验), which must be passed to complete the course."""
    if quiz is None or LessonPage.objects.child_of(course).filter(slug="final-quiz").exists():
        return
    body = [
        ("text", "<p>学完前面各课后，用这份测验检查自己是否掌握了本课程的要点。题目都来自本课程的课文；答完提交后可以看到每道题的对错和解析。</p>"),
        ("quiz", {"quiz": quiz, "intro": "通过本测验（70分及格）是完成本课程的条件之一。"}),
    ]
    lesson = course.add_child(instance=LessonPage(title="结业测验", slug="final-quiz", intro="检验本课程的学习效果：通过测验才能完成课程。", body=body, estimated_minutes=20))
    lesson.save_revision().publish()


@transaction.atomic
def seed(stdout=None) -> None:
    _, catalogue = ensure_academy_site()
    quizzes = ensure_quizzes()
    courses = []
    for spec in COURSES:
        course = CoursePage.objects.child_of(catalogue).filter(slug=spec["slug"]).first()
        if course is None:
            course = catalogue.add_child(
                instance=CoursePage(
                    title=spec["title"],
                    slug=spec["slug"],
                    summary=spec["summary"],
                    description=spec.get("description_html", ""),
                    estimated_hours=spec.get("estimated_hours", 2),
                    audience=spec.get("audience", ""),
                    cover_image=_cover_image(spec["slug"], spec["title"]),
                )
            )
            course.save_revision().publish()
        for lesson_spec in spec["lessons"]:
            if LessonPage.objects.child_of(course).filter(slug=lesson_spec["slug"]).exists():
                continue
            lesson = course.add_child(
                instance=LessonPage(
                    title=lesson_spec["title"],
                    slug=lesson_spec["slug"],
                    intro=lesson_spec.get("intro", ""),
                    body=_body(lesson_spec["body"]),
                    is_required=lesson_spec.get("required", True),
                    estimated_minutes=lesson_spec.get("minutes", 15),
                )
            )
            lesson.save_revision().publish()
        _add_final_quiz(course, quizzes.get(spec["slug"]))
        courses.append(course)

    # Everyone in the first teams is enrolled in the first course; a few have made progress.
    trainees = list(User.objects.filter(memberships__role=Role.TRAINEE).order_by("pk"))
    first = courses[0]
    lessons = list(first.lessons())
    for index, trainee in enumerate(trainees[:18]):
        enroll(user=trainee, course=first)
        for lesson in lessons[: index % (len(lessons) + 1)]:
            mark_lesson_done(user=trainee, lesson=lesson)
    if stdout:
        stdout.write(f"courses: {len(courses)} courses, {LessonPage.objects.count()} lessons")
