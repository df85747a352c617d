"""The Wagtail admin: the question editor's checks, import with preview and confirm, GIFT export."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.test.utils.form_data import rich_text

from quizzes.models import Question, QuestionCategory

from .factories import question

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(client, site, trainer):
    client.force_login(trainer)
    return client


def question_post(category, weights, qtype="multiple"):
    data = {
        "category": category.pk, "qtype": qtype, "name": "多选：格式", "points": "1", "is_active": "on",
        "stem": rich_text("<p>哪些格式适合网页？</p>"),
        "explanation": rich_text(""),
        "choices-TOTAL_FORMS": str(len(weights)), "choices-INITIAL_FORMS": "0", "choices-MIN_NUM_FORMS": "0", "choices-MAX_NUM_FORMS": "1000",
    }
    for i, (text, weight) in enumerate(weights):
        data.update({f"choices-{i}-text": text, f"choices-{i}-fraction": str(weight), f"choices-{i}-feedback": "", f"choices-{i}-ORDER": str(i + 1)})
    return data


def test_question_editor_refuses_weights_that_do_not_add_up(author):
    category = QuestionCategory.objects.create(name="图片处理")
    url = reverse("wagtailsnippets_quizzes_question:add")
    response = author.post(url, question_post(category, [("JPEG", 50), ("PNG", 30), ("BMP", -100)]))
    assert response.status_code == 200 and not Question.objects.exists()
    assert "100" in response.content.decode()
    response = author.post(url, question_post(category, [("JPEG", 50), ("PNG", 50), ("BMP", -100)]))
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Question.objects.get()
    assert list(saved.choices.order_by("sort_order").values_list("text", flat=True)) == ["JPEG", "PNG", "BMP"]


GIFT = "::栏目::栏目内容为空时怎么办？{=补充或隐藏 ~挂出建设中}\n\n::问答:: 谈谈体会 {}\n".encode()


def test_import_preview_then_confirm(author):
    url = reverse("quizzes_import")
    upload = SimpleUploadedFile("题目.gift.txt", GIFT, content_type="text/plain")
    preview = author.post(url, {"file": upload, "fmt": "gift", "category": "后台管理/栏目设置"})
    html = preview.content.decode()
    assert preview.status_code == 200 and "栏目" in html and "问答" in html
    # The essay is listed as not imported, and the button says so.
    assert "不导入：题型不支持" in html and "导入 1 道题（不含 1 道不支持的题）" in html
    assert not Question.objects.exists()  # nothing stored before confirming
    done = author.post(url, {"confirm": "1"})
    assert done.status_code == 200
    assert list(Question.objects.values_list("name", "category__path")) == [("栏目", "后台管理/栏目设置")]
    # Confirming again does not import twice.
    author.post(url, {"confirm": "1"})
    assert Question.objects.count() == 1


def test_import_refuses_a_non_utf8_file_with_a_message(author):
    upload = SimpleUploadedFile("题目.txt", "栏目内容".encode("gbk"))
    response = author.post(reverse("quizzes_import"), {"file": upload, "fmt": "gift", "category": "后台管理"})
    assert response.status_code == 200 and "UTF-8" in response.content.decode()
    assert not Question.objects.exists()


def test_export_downloads_gift(author):
    category = QuestionCategory.objects.create(name="网站后台管理")
    question(category, name="栏目无空白")
    response = author.get(reverse("quizzes_export_category", args=[category.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert "::栏目无空白::" in response.content.decode()


def test_trainees_and_team_leads_cannot_import_or_export(client, site, trainee, team_lead):
    category = QuestionCategory.objects.create(name="x")
    for user in (trainee, team_lead):
        client.force_login(user)
        assert client.get(reverse("quizzes_import")).status_code in (302, 403)
        assert client.get(reverse("quizzes_export_category", args=[category.pk])).status_code in (302, 403)
