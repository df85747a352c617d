"""File names of any length: long ones are accepted and shortened, impossible ones explained in Chinese."""

import pytest
from django.test import Client
from django.urls import reverse

from quizzes.models import Submission
from quizzes.practical.services import shortened_name

from .images import jpeg, photo
from .multipart import multipart

pytestmark = pytest.mark.django_db

LONG_NAMES = {
    "1000 Latin characters": "a" * 996 + ".jpg",
    "1000 Chinese characters": "常德市商务局新闻配图" * 100 + ".jpg",
    "quotes and spaces": ('我的 "最终版" 图片 ' * 60) + ".jpg",
}
# 8000 Chinese characters: 24 KB of headers in one form part, beyond what the server reads for one part.
IMPOSSIBLE_NAME = "图" * 8000 + ".jpg"
CHINESE = "文件名"


def picture() -> bytes:
    return jpeg(photo((1600, 1200)).resize((800, 600)), quality=82)


def _page_client(user, task) -> tuple[Client, str]:
    """A client that enforces CSRF like a browser session: the body must be read before the token is checked."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(reverse("practical:task", args=[task.pk]))  # the upload form sets the CSRF cookie
    return client, client.cookies["csrftoken"].value


@pytest.mark.parametrize("case", LONG_NAMES)
def test_long_file_name_is_accepted_through_the_page_and_shortened(trainee, image_task, case, django_capture_on_commit_callbacks):
    client, token = _page_client(trainee, image_task)
    task_url = reverse("practical:task", args=[image_task.pk])
    body, content_type = multipart({"csrfmiddlewaretoken": token}, file_name=LONG_NAMES[case], data=picture())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("practical:submit", args=[image_task.pk]), body, content_type=content_type, HTTP_REFERER=task_url)
    assert response.status_code == 302, response.content[:300]
    submission = Submission.objects.get(user=trainee)
    assert submission.status == "accepted"
    assert len(submission.original_name) <= 200 and submission.original_name.endswith(".jpg")
    assert submission.original_name[:3] == LONG_NAMES[case][:3]


@pytest.mark.parametrize("case", LONG_NAMES)
def test_long_file_name_is_accepted_through_the_api(client, trainee, image_task, case):
    client.force_login(trainee)
    body, content_type = multipart({"task": str(image_task.pk)}, file_name=LONG_NAMES[case], data=picture())
    response = client.post("/api/v1/practical/my/submissions/", body, content_type=content_type)
    assert response.status_code == 201, response.content[:300]
    assert len(response.json()["original_name"]) <= 200


def test_an_unreadable_upload_sends_the_page_back_with_a_chinese_message(trainee, image_task, media_root):
    client, token = _page_client(trainee, image_task)
    task_url = reverse("practical:task", args=[image_task.pk])
    body, content_type = multipart({"csrfmiddlewaretoken": token}, file_name=IMPOSSIBLE_NAME, data=picture())
    response = client.post(reverse("practical:submit", args=[image_task.pk]), body, content_type=content_type,
                           HTTP_REFERER=f"http://testserver{task_url}", follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0].endswith(task_url)
    messages = [str(m) for m in response.context["messages"]]
    assert any(CHINESE in m for m in messages), messages
    assert "Bad Request" not in response.content.decode()
    assert not Submission.objects.exists() and not list((media_root / "practical").rglob("*"))


def test_an_unreadable_upload_without_a_page_to_return_to_gets_a_chinese_page(trainee, image_task):
    client, token = _page_client(trainee, image_task)
    body, content_type = multipart({"csrfmiddlewaretoken": token}, file_name=IMPOSSIBLE_NAME, data=picture())
    response = client.post(reverse("practical:submit", args=[image_task.pk]), body, content_type=content_type)
    assert response.status_code == 400
    page = response.content.decode()
    assert CHINESE in page and "Bad Request" not in page and 'lang="zh-CN"' in page


def test_an_unreadable_upload_gets_a_chinese_api_error(client, trainee, image_task):
    client.force_login(trainee)
    body, content_type = multipart({"task": str(image_task.pk)}, file_name=IMPOSSIBLE_NAME, data=picture())
    response = client.post("/api/v1/practical/my/submissions/", body, content_type=content_type)
    assert response.status_code == 400
    assert CHINESE in response.json()["detail"] and "Multipart" not in response.json()["detail"]
    assert not Submission.objects.exists()


@pytest.mark.parametrize("name, limit, expected", [
    ("short.jpg", 200, "short.jpg"),
    ("a" * 300 + ".jpeg", 20, "a" * 14 + "….jpeg"),
    ("没有扩展名" * 10, 12, "没有扩展名没有扩展名没…"),
    ("x." + "y" * 40, 10, "x.yyyyyyy…"),
])
def test_shortened_name_keeps_the_extension(name, limit, expected):
    assert shortened_name(name, limit) == expected
    assert len(shortened_name(name, limit)) <= limit
