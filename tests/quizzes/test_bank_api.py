"""The question-bank API: trainers import (dry run first) and export; trainees and team leads get 403."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quizzes.models import Question

pytestmark = pytest.mark.django_db

GIFT = "::栏目::栏目内容为空时怎么办？{=补充或隐藏 ~挂出建设中}\n\n::问答:: 谈谈体会 {}\n".encode()


def test_trainer_previews_imports_and_exports(client, trainer):
    client.force_login(trainer)
    url = reverse("question-bank-import")
    dry = client.post(url, {"file": SimpleUploadedFile("a.gift", GIFT), "category": "后台管理", "dry_run": "true"})
    assert dry.status_code == 200 and dry.json()["questions"] == 1 and not Question.objects.exists()
    assert dry.json()["issues"][0]["kind"] == "skipped" and dry.json()["format"] == "gift"
    done = client.post(url, {"file": SimpleUploadedFile("a.gift", GIFT), "category": "后台管理"})
    assert done.json()["created"] == 1 and Question.objects.count() == 1
    again = client.post(url, {"file": SimpleUploadedFile("a.gift", GIFT), "category": "后台管理"})
    assert (again.json()["created"], again.json()["updated"], again.json()["unchanged"]) == (0, 0, 1)
    exported = client.get(reverse("question-bank-export"), {"category": "后台管理", "file_format": "xml"})
    assert exported.status_code == 200 and b'<question type="multichoice">' in exported.content
    bad = client.post(url, {"file": SimpleUploadedFile("a.xml", b"<html/>"), "category": "后台管理"})
    assert bad.status_code == 400 and "<quiz>" in bad.json()["detail"]


@pytest.mark.parametrize("role", ["trainee", "team_lead"])
def test_trainees_and_team_leads_are_refused(client, role, request):
    client.force_login(request.getfixturevalue(role))
    response = client.post(reverse("question-bank-import"), {"file": SimpleUploadedFile("a.gift", GIFT), "category": "后台管理"})
    assert response.status_code == 403 and not Question.objects.exists()
    assert client.get(reverse("question-bank-export"), {"category": "后台管理", "file_format": "gift"}).status_code == 403


def test_an_incomplete_request_gets_the_documented_error_shape(client, trainer):
    """Every 400 of the import endpoint has the schema's shape (detail, code), field errors included:
    the API fuzzer found a bare {"file": […]} body that clients reading `detail` would miss."""
    client.force_login(trainer)
    response = client.post(reverse("question-bank-import"), {"category": ""})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and set(body["fields"]) == {"file", "category"}
    assert body["detail"] and all(message in body["detail"] for messages in body["fields"].values() for message in messages)
