"""The trainee's task page, the status poll, safe file serving, and the trainer's review pages."""

import pytest
from django.urls import reverse

from quizzes.models import Submission
from quizzes.practical.services import submit_work
from tests.factories import LessonFactory, UserFactory

from .conftest import upload
from .factories import RubricCriterionFactory, TaskFactory
from .images import cmyk_jpeg, jpeg, photo

pytestmark = pytest.mark.django_db


def good_picture():
    return jpeg(photo((1600, 1200)).resize((800, 600)), quality=82)


def test_task_page_offers_the_original_and_a_form(client, trainee, image_task):
    client.force_login(trainee)
    page = client.get(reverse("practical:task", args=[image_task.pk])).content.decode()
    assert "新闻配图处理" in page and "下载原图" in page and 'type="file"' in page and "还没有提交" in page
    original = client.get(reverse("practical:original", args=[image_task.pk]))
    assert original.status_code == 200 and original["Content-Disposition"].startswith("attachment")


def test_upload_through_the_page_shows_the_report(client, trainee, image_task, django_capture_on_commit_callbacks):
    client.force_login(trainee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("practical:submit", args=[image_task.pk]), {"file": upload(cmyk_jpeg((800, 600)))})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "已提交" in page and "data-poll" not in page and "未通过检查" in page and "CMYK（印刷色彩模式）" in page and "转换为 RGB" in page


def test_bad_upload_through_the_page_gives_a_message_not_a_500(client, trainee, image_task):
    client.force_login(trainee)
    response = client.post(reverse("practical:submit", args=[image_task.pk]), {"file": upload(b"<svg onload=alert(1)>", name="x.jpg")}, follow=True)
    assert response.status_code == 200 and "SVG" in response.content.decode()
    assert not Submission.objects.exists()


def test_checking_page_polls_and_status_endpoint_answers(client, trainee, image_task):
    client.force_login(trainee)
    submission = submit_work(task=image_task, user=trainee, upload=upload(good_picture()))  # on-commit not run: still checking
    page = client.get(reverse("practical:task", args=[image_task.pk])).content.decode()
    status_url = reverse("practical:status", args=[submission.pk])
    assert f'data-poll="{status_url}"' in page and "检查中…" in page and "practical.js" in page
    assert client.get(status_url).json() == {"id": submission.pk, "status": "checking", "status_label": "检查中", "checking": True, "passed": False}
    from quizzes.practical.services import run_check

    run_check(submission_id=submission.pk)
    data = client.get(status_url).json()
    assert data["status"] == "accepted" and not data["checking"] and data["passed"]


def test_others_cannot_see_status_or_files(client, trainee, other_trainee, image_task, trainer):
    submission = submit_work(task=image_task, user=trainee, upload=upload(good_picture()))
    stranger_trainer = UserFactory(role="trainer")
    for viewer in (other_trainee, stranger_trainer):
        client.force_login(viewer)
        assert client.get(reverse("practical:status", args=[submission.pk])).status_code == 404
        assert client.get(reverse("practical:file", args=[submission.pk])).status_code == 404
    client.force_login(trainer)
    assert client.get(reverse("practical:file", args=[submission.pk])).status_code == 200


def test_files_are_served_with_safe_types(client, trainee, image_task):
    client.force_login(trainee)
    picture = submit_work(task=image_task, user=trainee, upload=upload(good_picture(), name="photo.html"))
    response = client.get(reverse("practical:file", args=[picture.pk]))
    assert response["Content-Type"] == "image/jpeg" and response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    task = TaskFactory(kind="reviewed", spec={}, accept_file=True)
    report = submit_work(task=task, user=trainee, upload=upload(b"<html><script>alert(1)</script></html>", name="report.txt", content_type="text/html"))
    response = client.get(reverse("practical:file", args=[report.pk]))
    assert response["Content-Type"] == "application/octet-stream" and response["Content-Disposition"].startswith("attachment")
    assert report.file.name.endswith(".txt") and "report" not in report.file.name


def test_reviewed_task_refuses_executable_file_types(client, trainee):
    task = TaskFactory(kind="reviewed", spec={}, accept_file=True)
    client.force_login(trainee)
    response = client.post(reverse("practical:submit", args=[task.pk]), {"file": upload(b"<?php echo 1;", name="shell.php")}, follow=True)
    assert "不接受此类文件" in response.content.decode()
    assert not Submission.objects.exists()


def test_review_queue_and_decision_pages(client, trainee, trainer, django_assert_max_num_queries, team):
    task = TaskFactory(kind="reviewed", spec={}, title="自查报告", accept_text=True)
    criterion = RubricCriterionFactory(task=task, title="内容完整")
    for n in range(3):
        submit_work(task=task, user=UserFactory(role="trainee", team=team, full_name=f"学员{n}"), text="报告")
    mine = submit_work(task=task, user=trainee, text="我的报告")
    client.force_login(trainer)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("practical:review_queue")).content.decode()
    assert "审核队列" in page and "李明" in page and "汉寿县" in page and page.count("自查报告") >= 4
    detail = client.get(reverse("practical:review", args=[mine.pk])).content.decode()
    assert "我的报告" in detail and "内容完整" in detail
    response = client.post(reverse("practical:review", args=[mine.pk]), {"decision": "accept", "feedback": "好", f"level_{criterion.pk}": "优秀"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == "accepted" and mine.score == 10


def test_review_pages_are_closed_to_others(client, trainee, other_trainee, team_lead):
    task = TaskFactory(kind="reviewed", spec={}, accept_text=True)
    submission = submit_work(task=task, user=trainee, text="报告")
    for viewer in (trainee, other_trainee, team_lead):
        client.force_login(viewer)
        assert client.get(reverse("practical:review_queue")).status_code == 404
        assert client.post(reverse("practical:review", args=[submission.pk]), {"decision": "accept"}).status_code == 404
    submission.refresh_from_db()
    assert submission.status == "review"


def test_task_block_in_a_lesson_shows_the_state(client, trainee, course, image_task):
    lesson = LessonFactory(parent=course, title="图片处理实操", body=[("practical_task", {"task": image_task, "note": "学完本课后完成"})])
    client.force_login(trainee)
    page = client.get(lesson.url).content.decode()
    assert "新闻配图处理" in page and "开始任务" in page and reverse("practical:task", args=[image_task.pk]) in page


def test_anonymous_is_sent_to_login(client, image_task):
    assert client.get(reverse("practical:task", args=[image_task.pk])).status_code == 302


def test_report_is_written_in_the_trainees_language(client, trainee, image_task, django_capture_on_commit_callbacks):
    client.force_login(trainee)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("practical:submit", args=[image_task.pk]), {"file": upload(cmyk_jpeg((800, 600)))})
    submission = Submission.objects.get()
    assert submission.language == "en"
    labels = [c["label"] for c in submission.report["criteria"]]
    assert "Colour mode" in labels and "CMYK (print colours)" in str(submission.report)


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_page_queries_do_not_grow_with_data(client, trainee, trainer, team):
    from quizzes.practical.services import review_submission

    task = TaskFactory(kind="reviewed", spec={}, accept_text=True, max_submissions=20)
    client.force_login(trainer)

    def add_round(n):
        for i in range(n):
            submit_work(task=task, user=UserFactory(role="trainee", team=team), text=f"报告{i}")
        mine = submit_work(task=task, user=trainee, text="我的报告")
        review_submission(submission=mine, reviewer=trainer, accept=False, feedback="再改改")

    add_round(2)
    queue_small = _queries(client, reverse("practical:review_queue"))
    client.force_login(trainee)
    task_small = _queries(client, reverse("practical:task", args=[task.pk]))
    add_round(5)
    add_round(3)
    task_large = _queries(client, reverse("practical:task", args=[task.pk]))
    client.force_login(trainer)
    queue_large = _queries(client, reverse("practical:review_queue"))
    assert (queue_small, task_small) == (queue_large, task_large)
