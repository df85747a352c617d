"""Two submissions at the same moment (a double click, two tabs): one is taken, the other refused cleanly."""

import threading

import pytest

from quizzes.models import Submission
from quizzes.practical.services import SubmissionRefused, submit_work

from .factories import TaskFactory

# serialized_rollback: another transactional test may have flushed the rows the migrations made (content types, pages).
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_duplicate_rapid_submissions(trainee):
    task = TaskFactory(kind="reviewed", spec={}, accept_text=True)
    barrier = threading.Barrier(4)
    outcomes = []

    def hand_in(n):
        from django.db import connections

        barrier.wait()
        try:
            submit_work(task=task, user=trainee, text=f"报告 {n}")
            outcomes.append("ok")
        except SubmissionRefused as refused:
            outcomes.append(refused.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=hand_in, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1
    assert all("还在检查或审核中" in o for o in outcomes if o != "ok")
    assert Submission.objects.filter(task=task, user=trainee).count() == 1
