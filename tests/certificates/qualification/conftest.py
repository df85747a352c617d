"""A programme of one course (the shared `course` fixture) and helpers to put people through it."""

import pytest
from django.utils import timezone

from courses.models import Enrollment
from tests.factories import UserFactory

from .factories import ProgrammeFactory


@pytest.fixture
def programme(course):
    return ProgrammeFactory(name="常德市商务网站管理员资格", slug="webmaster", courses=[course])


@pytest.fixture
def complete():
    """complete(user, course): the user has completed the course (enrolment marked complete)."""

    def _complete(user, course, when=None):
        enrollment, _ = Enrollment.objects.get_or_create(user=user, course=course)
        enrollment.completed_at = when or timezone.now()
        enrollment.last_activity_at = when or timezone.now()
        enrollment.save()
        return enrollment

    return _complete


@pytest.fixture
def make_trainees():
    def _make(team, n, **kwargs):
        return [UserFactory(role="trainee", team=team, **kwargs) for _ in range(n)]

    return _make
