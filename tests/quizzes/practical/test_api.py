"""The API: tasks, my submissions (upload, status, report), the trainer's queue and decision."""

import pytest

from .conftest import upload
from .factories import TaskFactory
from .images import cmyk_jpeg, jpeg, photo

pytestmark = pytest.mark.django_db


def test_tasks_and_my_submissions(client, trainee, image_task, django_capture_on_commit_callbacks):
    client.force_login(trainee)
    tasks = client.get("/api/v1/practical/tasks/").json()
    assert tasks["results"][0]["kind_label"] == "图片处理" and tasks["results"][0]["has_original"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/practical/my/submissions/", {"task": image_task.pk, "file": upload(cmyk_jpeg((800, 600)))})
    assert response.status_code == 201
    created = response.json()
    detail = client.get(f"/api/v1/practical/my/submissions/{created['id']}/").json()
    assert detail["status"] == "failed" and any(c["key"] == "mode" and not c["passed"] for c in detail["report"]["criteria"])
    assert [s["id"] for s in client.get("/api/v1/practical/my/submissions/").json()] == [created["id"]]


def test_bad_file_is_a_400_with_a_chinese_message(client, trainee, image_task):
    client.force_login(trainee)
    response = client.post("/api/v1/practical/my/submissions/", {"task": image_task.pk, "file": upload(b"", name="empty.jpg")})
    assert response.status_code == 400
    # DRF refuses an empty upload itself; a non-image goes through our admission check.
    response = client.post("/api/v1/practical/my/submissions/", {"task": image_task.pk, "file": upload(b"GIF89a not really", name="a.jpg")})
    assert response.status_code == 400 and "图片" in response.json()["detail"]


def test_others_submissions_are_not_visible(client, trainee, other_trainee, image_task):
    from quizzes.practical.services import submit_work

    submission = submit_work(task=image_task, user=trainee, upload=upload(jpeg(photo((800, 600)))))
    client.force_login(other_trainee)
    assert client.get(f"/api/v1/practical/my/submissions/{submission.pk}/").status_code == 404


def test_trainer_queue_and_decision(client, trainee, other_trainee, trainer):
    from quizzes.practical.services import submit_work

    task = TaskFactory(kind="reviewed", spec={}, accept_text=True)
    mine = submit_work(task=task, user=trainee, text="汉寿")
    other = submit_work(task=task, user=other_trainee, text="澧县")
    client.force_login(trainer)
    queue = client.get("/api/v1/practical/review/submissions/").json()
    assert [s["id"] for s in queue["results"]] == [mine.pk] and queue["results"][0]["team"] == "汉寿县"
    assert client.post(f"/api/v1/practical/review/submissions/{other.pk}/decision/", {"decision": "accept"}, content_type="application/json").status_code == 404
    response = client.post(f"/api/v1/practical/review/submissions/{mine.pk}/decision/", {"decision": "return"}, content_type="application/json")
    assert response.status_code == 400 and "改进" in response.json()["detail"]
    response = client.post(f"/api/v1/practical/review/submissions/{mine.pk}/decision/", {"decision": "return", "feedback": "补充"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "returned"


def test_trainee_sees_an_empty_queue(client, trainee):
    client.force_login(trainee)
    assert client.get("/api/v1/practical/review/submissions/").json()["results"] == []


def test_schema_documents_the_routes(client, bureau_admin):
    client.force_login(bureau_admin)
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/practical/my/submissions/" in schema and "/api/v1/practical/review/submissions/{id}/decision/" in schema
