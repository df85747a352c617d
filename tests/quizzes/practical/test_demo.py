"""The demo adds one task of each kind to its course, practice sites, and submissions in several states."""

import pytest
from django.core.management import call_command

from quizzes.models import PracticalTask, PracticeAreaPage, Submission

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_tasks_and_is_idempotent(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    counts = (PracticalTask.objects.count(), Submission.objects.count(), PracticeAreaPage.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert (PracticalTask.objects.count(), Submission.objects.count(), PracticeAreaPage.objects.count()) == counts
    assert set(PracticalTask.objects.values_list("kind", flat=True)) == {"image", "topic_page", "backoffice", "reviewed"}
    statuses = set(Submission.objects.values_list("status", flat=True))
    assert {"failed", "accepted", "review", "returned"} <= statuses
    image_submissions = Submission.objects.filter(task__kind="image").order_by("pk")
    assert image_submissions.filter(status="accepted").count() >= 2  # the demo's good picture really passes
    topic = Submission.objects.get(task__kind="topic_page")
    assert topic.status == "failed" and {c["key"] for c in topic.report["criteria"] if not c["passed"]} >= {"no_empty_column", "alt_text", "banner"}

    assert client.login(username="trainer1", password="changde2026")
    queue = client.get("/hands-on/review/").content.decode()
    assert "提交本单位网站安全自查报告" in queue
    image_task = PracticalTask.objects.get(kind="image")
    assert client.login(username="wuling1", password="changde2026")
    lesson_page = client.get("/courses/images/size-and-compression/")
    assert image_task.title in lesson_page.content.decode()
