"""The demo sittings: idempotent, an upcoming one and a past one with results ready for a make-up."""

import pytest
from django.core.management import call_command

from exams import selectors
from exams.models import ExamSitting, SittingAttempt
from lms.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_demo_sittings():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    counts = (ExamSitting.objects.count(), SittingAttempt.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert (ExamSitting.objects.count(), SittingAttempt.objects.count()) == counts == (2, 4)
    past = ExamSitting.objects.get(title__contains="汉寿县")
    report = selectors.sitting_results(sitting=past, teams=None)
    assert sorted((r.team.code, r.invited, r.submitted, r.passed, r.absent) for r in report.teams) == [
        ("anxiang", 3, 2, 1, 1),
        ("hanshou", 3, 2, 1, 1),
    ]
    assert len(selectors.not_passed_in_chain(past)) == 4
    assert AuditEvent.objects.filter(action="exam.sitting.create").count() == 2
    call_command("open_sittings", stdout=open("/dev/null", "w"))
