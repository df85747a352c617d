"""The lesson body's shared HTML kept in the cache (courses/lesson_body.py): always the published content,
never one reader's state shown to another, never one language's HTML shown in another."""

import io
import pickle

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from courses import services
from courses.lesson_body import GENERATION_KEY, body_parts
from courses.models import LessonPage
from quizzes import services as quiz_services
from tests.factories import LessonFactory
from tests.quizzes.factories import question, quiz, right_answer

pytestmark = pytest.mark.django_db


def _page(client, url, **cookies):
    for name, value in cookies.items():
        client.cookies[name] = value
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _publish_body(lesson, body):
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.body = body
    lesson.save_revision().publish()
    return lesson


def _cached_bodies() -> list:
    """Every lesson body entry in the (local memory) cache, unpickled: what an attacker reading the cache would see."""
    return [pickle.loads(value) for key, value in cache._cache.items() if ":lesson-body:" in key and GENERATION_KEY not in key]


def test_a_newly_published_revision_is_shown_at_once(client, trainee, course):
    lesson = LessonFactory(parent=course, body=[("text", "<p>旧的说明</p>")])
    client.force_login(trainee)
    assert "旧的说明" in _page(client, lesson.url)
    assert _cached_bodies()
    _publish_body(lesson, [("text", "<p>新的说明</p>")])
    page = _page(client, lesson.url)
    assert "新的说明" in page and "旧的说明" not in page


def test_a_draft_is_not_shown_to_trainees_and_a_body_saved_without_a_revision_is(client, trainee, course):
    lesson = LessonFactory(parent=course, body=[("text", "<p>已发布</p>")])
    client.force_login(trainee)
    _page(client, lesson.url)
    draft = LessonPage.objects.get(pk=lesson.pk)
    draft.body = [("text", "<p>草稿内容</p>")]
    draft.save_revision()  # not published
    page = _page(client, lesson.url)
    assert "已发布" in page and "草稿内容" not in page
    # A script or a shell that writes the row directly: the key is the stored body itself, so no stale HTML.
    LessonPage.objects.filter(pk=lesson.pk).update(body=[{"type": "text", "value": "<p>直接写入</p>", "id": "x1"}])
    assert "直接写入" in _page(client, lesson.url)


def test_a_renamed_document_shows_its_new_title(client, trainee, course):
    document = get_document_model().objects.create(title="网站管理制度", file=ContentFile(b"%PDF-1.4", name="rules.pdf"))
    lesson = LessonFactory(parent=course, body=[("document", {"document": document, "title": ""})])
    client.force_login(trainee)
    assert "网站管理制度" in _page(client, lesson.url)
    document.title = "网站管理制度（修订版）"
    document.save()
    assert "网站管理制度（修订版）" in _page(client, lesson.url)


def test_a_moved_linked_page_gets_its_new_address(client, trainee, course, catalogue):
    target = LessonFactory(parent=course, title="目标课时", slug="target-lesson")
    lesson = LessonFactory(parent=course, body=[("text", f'<p><a linktype="page" id="{target.pk}">去目标</a></p>')])
    client.force_login(trainee)
    assert "/target-lesson/" in _page(client, lesson.url)
    target = LessonPage.objects.get(pk=target.pk)
    target.slug = "renamed-lesson"
    target.save_revision().publish()
    page = _page(client, lesson.url)
    assert "/renamed-lesson/" in page and "/target-lesson/" not in page


def test_an_image_is_read_once_then_served_from_the_cached_html(client, trainee, course):
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), "#36c").save(buffer, "PNG")
    image = get_image_model().objects.create(title="后台截图", file=ImageFile(buffer, name="shot.png"))
    lesson = LessonFactory(
        parent=course,
        body=[
            ("text", "<p>登录后台</p>"),
            ("image", {"image": image, "alt_text": "后台登录页", "caption": "图1"}),
        ],
    )
    services.enroll(user=trainee, course=course)
    client.force_login(trainee)
    first = _page(client, lesson.url)
    with CaptureQueriesContext(connection) as captured:
        again = _page(client, lesson.url)
    assert again == first or again.count("后台登录页") == first.count("后台登录页")
    assert 'alt="后台登录页"' in again
    assert not [q["sql"] for q in captured.captured_queries if "wagtailimages" in q["sql"]]
    # The image replaced: its renditions are deleted and the body renders again with the new one.
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name="shot2.png")
    image.save()
    image.renditions.all().delete()
    assert 'alt="后台登录页"' in _page(client, lesson.url)


def _lesson_with_a_quiz(course):
    questions = [question(name="题一"), question(name="题二")]
    exam = quiz(questions, title="后台管理测验", pass_mark=60, is_published=True)
    lesson = LessonFactory(
        parent=course,
        title="测验课",
        body=[
            ("text", "<p>先读完本课。</p>"),
            ("quiz", {"quiz": exam, "intro": ""}),
            ("callout", {"kind": "tip", "title": "", "text": "<p>别忘了发布。</p>"}),
        ],
    )
    return lesson, exam, questions


def test_an_attacker_never_sees_another_trainees_quiz_state(client, trainee, other_trainee, course):
    """The victim passed the quiz and reads the lesson (filling the cache); the attacker reads the same lesson
    right after, in the same language and with the same body: the grade and the victim's name stay the victim's."""
    lesson, exam, questions = _lesson_with_a_quiz(course)
    attempt = quiz_services.start_attempt(quiz=exam, user=trainee)
    quiz_services.submit_attempt(attempt=attempt, user=trainee, answers={q.pk: right_answer(q) for q in questions})
    client.force_login(trainee)
    victim = _page(client, lesson.url)
    assert "你的成绩" in victim and "100%" in victim and "查看成绩或再答一次" in victim

    client.force_login(other_trainee)
    attacker = _page(client, lesson.url)
    assert "你的成绩" not in attacker and "100%" not in attacker and "查看成绩或再答一次" not in attacker
    assert "开始测验" in attacker or "参加测验" in attacker
    assert trainee.get_full_name() not in attacker
    # Nothing of either reader is in the cached HTML: only the shared blocks are, the quiz card is not.
    for _generation, spec in _cached_bodies():
        html = "".join(part for part in spec if isinstance(part, str))
        assert "后台管理测验" not in html and trainee.get_full_name() not in html and "成绩" not in html
        assert "先读完本课" in html and "别忘了发布" in html


def test_one_languages_html_is_never_served_in_another(client, trainee, other_trainee, course):
    lesson, _exam, _questions = _lesson_with_a_quiz(course)
    client.force_login(trainee)
    english = _page(client, lesson.url, django_language="en")
    assert ">Tip<" in english and "小贴士" not in english
    client.force_login(other_trainee)
    chinese = _page(client, lesson.url, django_language="zh-hans")
    assert "小贴士" in chinese and ">Tip<" not in chinese


def test_a_preview_renders_afresh_and_stores_nothing(course):
    lesson = LessonFactory(parent=course, body=[("text", "<p>预览内容</p>")])
    lesson = LessonPage.objects.get(pk=lesson.pk)
    parts = body_parts(lesson, use_cache=False)
    assert [part.block.block_type for part in parts] == ["text"]
    assert _cached_bodies() == []


def test_a_cache_without_the_generation_still_answers(client, trainee, course):
    """An evicted or flushed generation token: the page renders and starts a new one."""
    lesson = LessonFactory(parent=course, body=[("text", "<p>正文</p>")])
    client.force_login(trainee)
    _page(client, lesson.url)
    cache.delete(GENERATION_KEY)
    assert "正文" in _page(client, lesson.url)
    assert cache.get(GENERATION_KEY)
