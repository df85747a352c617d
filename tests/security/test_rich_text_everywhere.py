"""Every rich text field and rich-text StreamField block of every model is cleaned on the way out.

The fields and blocks are discovered by introspection, so a rich text field added later is covered (or, if
nothing here knows which page shows it, the test says so and fails). Hostile markup is written twice: through
the model (as the editor, an import or the API would) and straight into the table (as rows written before
cleaning existed, or by SQL, would be); then the page, template or API that shows it is rendered.
"""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.apps import apps
from django.db import connection
from django.template import engines
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField

from lms.blocks import SafeRichTextBlock

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<p>正文<script>alert("xss")</script></p>'
    '<p><a href="javascript:alert(1)">点我</a><img src="x" onerror="alert(2)"></p>'
    '<iframe src="https://evil.example/"></iframe><p onclick="alert(3)" style="background:url(javascript:alert(4))">段落</p>'
    '<svg onload="alert(5)"></svg><object data="evil.swf"></object><form action="https://evil.example/"><input name="stolen"></form>'
)
# What would survive of HOSTILE if any of it got through: the page's own scripts and forms do not match.
DANGEROUS = re.compile(r'alert\(|evil\.|javascript:|\bon(?:error|click|load)\s*=|<(?:iframe|svg|object)\b|name="stolen"', re.I)


def _rich_text_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, RichTextField):
                yield f"{model._meta.label}.{field.name}", model, field


def _rich_text_block_paths(block, path=()):
    """Paths (child names) from a StreamField's top block down to each rich text block inside it."""
    if isinstance(block, blocks.RichTextBlock):
        yield path
    elif isinstance(block, blocks.ListBlock):
        yield from _rich_text_block_paths(block.child_block, path + ("item",))
    elif isinstance(block, (blocks.StreamBlock, blocks.StructBlock)):
        for name, child in block.child_blocks.items():
            yield from _rich_text_block_paths(child, path + (name,))


def _stream_targets():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, StreamField) and not model._meta.abstract:
                for path in _rich_text_block_paths(field.stream_block):
                    yield f"{model._meta.label}.{field.name}:{'.'.join(path)}", model, field, path


def _raw_stream(block, path, text):
    """The raw JSON a StreamField stores, with `text` in the rich text block at `path` (other children defaulted)."""
    if not path:
        return text
    name, rest = path[0], path[1:]
    if isinstance(block, blocks.StreamBlock):
        return [{"type": name, "value": _raw_stream(block.child_blocks[name], rest, text), "id": str(uuid.uuid4())}]
    if isinstance(block, blocks.ListBlock):
        return [{"type": "item", "value": _raw_stream(block.child_block, rest, text), "id": str(uuid.uuid4())}]
    value = {key: child.get_prep_value(child.get_default()) for key, child in block.child_blocks.items()}
    value[name] = _raw_stream(block.child_blocks[name], rest, text)
    return value


# ---- where each model's rich text is shown: the recipes ----

def _home(ctx):
    return ctx["site"]["home"], lambda client: [client.get("/")]


def _catalogue(ctx):
    return ctx["site"]["catalogue"], lambda client: [client.get(ctx["site"]["catalogue"].url)]


def _course(ctx):
    return ctx["course"], lambda client: [client.get(ctx["course"].url), client.get(f"/api/v1/courses/{ctx['course'].pk}/")]


def _lesson(ctx):
    from tests.factories import LessonFactory

    lesson = LessonFactory(parent=ctx["course"], title="富文本课")
    return lesson, lambda client: [client.get(lesson.url)]


def _task(ctx):
    from tests.quizzes.practical.factories import TaskFactory

    task = TaskFactory()
    return task, lambda client: [client.get(f"/hands-on/tasks/{task.pk}/"), client.get(f"/api/v1/practical/tasks/{task.pk}/")]


def _quiz(ctx):
    from tests.quizzes.factories import question, quiz

    item = quiz([question()], is_published=True)
    return item, lambda client: [client.get(f"/quizzes/{item.pk}/"), client.get(f"/api/v1/quizzes/{item.pk}/")]


def _question(ctx):
    from quizzes import services
    from tests.quizzes.factories import question, quiz, wrong_answer

    item = question(explanation="<p>解析</p>")

    def show(client):
        attempt = services.start_attempt(quiz=quiz([item], is_published=True), user=ctx["trainee"])
        pages = [client.get(f"/quizzes/attempts/{attempt.pk}/"), client.get(f"/api/v1/attempts/{attempt.pk}/")]
        services.submit_attempt(attempt=attempt, user=ctx["trainee"], answers={item.pk: wrong_answer(item)})
        return pages + [client.get(f"/quizzes/attempts/{attempt.pk}/result/"), client.get(f"/api/v1/attempts/{attempt.pk}/result/")]

    return item, show


def _practice_page(model_name):
    def recipe(ctx):
        from quizzes.models import NewsPage, TopicPage
        from quizzes.practical.practice import ensure_practice_area

        area = ensure_practice_area(user=ctx["trainee"])
        if model_name == "news":
            page = area.get_children().first().add_child(instance=NewsPage(title="新闻", slug="news-rt"))
        else:
            page = area.add_child(instance=TopicPage(title="专题", slug="topic-rt"))
        page.save_revision().publish()
        return page, lambda client: [client.get(page.url)]

    return recipe


SHOWN_AT = {
    "lms.HomePage.intro": _home,
    "courses.CourseIndexPage.intro": _catalogue,
    "courses.CoursePage.description": _course,
    "courses.LessonPage.body": _lesson,
    "quizzes.PracticalTask.instructions": _task,
    "quizzes.Quiz.instructions": _quiz,
    "quizzes.Question.stem": _question,
    "quizzes.Question.explanation": _question,
    "quizzes.NewsPage.body": _practice_page("news"),
    "quizzes.TopicPage.columns": _practice_page("topic"),
}
FIELDS = {label: (model, field) for label, model, field in _rich_text_fields()}
STREAMS = {label: (model, field, path) for label, model, field, path in _stream_targets()}


def test_every_rich_text_field_and_block_has_a_page_that_shows_it():
    """A new rich text field fails here until the test knows where it is shown (add it to SHOWN_AT)."""
    found = set(FIELDS) | {label.split(":")[0] for label in STREAMS}
    assert found == set(SHOWN_AT), f"not covered: {sorted(found - set(SHOWN_AT))}; gone: {sorted(set(SHOWN_AT) - found)}"
    assert STREAMS, "no rich text block found: the discovery is broken"


@pytest.mark.parametrize("label", sorted(FIELDS))
def test_rich_text_field_is_clean_however_it_was_stored(label, client, site, course, trainee):
    model, field = FIELDS[label]
    instance, show = SHOWN_AT[label]({"site": site, "course": course, "trainee": trainee})
    # Through the model, as an editor, an import or the API writes it.
    setattr(instance, field.attname, HOSTILE)
    instance.save()
    # Straight into the table, as rows written before cleaning existed (or by SQL) are.
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {model._meta.db_table} SET {field.column} = %s WHERE {model._meta.pk.column} = %s", [HOSTILE, instance.pk])
    assert model.objects.filter(pk=instance.pk).values_list(field.attname, flat=True).get() is not None
    _assert_clean(client, trainee, show, words="正文")
    # The value a template gets from the model, through Wagtail's richtext filter.
    reloaded = model.objects.get(pk=instance.pk)
    rendered = engines["django"].from_string("{% load wagtailcore_tags %}{{ value|richtext }}").render({"value": getattr(reloaded, field.attname)})
    assert "正文" in rendered and not DANGEROUS.search(rendered), rendered


@pytest.mark.parametrize("label", sorted(STREAMS))
def test_rich_text_block_is_clean_however_it_was_stored(label, client, site, course, trainee):
    model, field, path = STREAMS[label]
    instance, show = SHOWN_AT[label.split(":")[0]]({"site": site, "course": course, "trainee": trainee})
    raw = json.dumps(_raw_stream(field.stream_block, path, HOSTILE))
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {model._meta.db_table} SET {field.column} = %s WHERE {model._meta.pk.column} = %s", [raw, instance.pk])
    _assert_clean(client, trainee, show, words="正文")
    block = field.stream_block
    for name in path:
        block = block.child_block if isinstance(block, blocks.ListBlock) else block.child_blocks[name]
    assert isinstance(block, SafeRichTextBlock), f"{label} is a plain RichTextBlock: use lms.blocks.SafeRichTextBlock"


def _assert_clean(client, user, show, *, words):
    client.force_login(user)
    responses = show(client)
    bodies = []
    for response in responses:
        assert response.status_code == 200, (response.request["PATH_INFO"], response.status_code)
        body = response.content.decode()
        assert not DANGEROUS.search(body), (response.request["PATH_INFO"], DANGEROUS.search(body))
        bodies.append(body)
    assert any(words in body for body in bodies), "the hostile text is shown nowhere: the recipe renders the wrong page"
