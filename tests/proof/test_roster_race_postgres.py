"""A roster re-import while the trainees on it are working: no lost rows, no duplicates (PostgreSQL)."""

from __future__ import annotations

import pytest

from courses.models import Enrollment, LessonProgress
from courses.services import mark_lesson_done
from lms import roster
from lms.models import Membership, User
from tests.concurrency import all_at_once
from tests.factories import CourseFactory, LessonFactory, TeamFactory

from .test_races_postgres import unexpected

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _rows(team_name: str, title: str) -> list[roster.RosterRow]:
    return roster.rows_from_dicts(
        [{"line": n + 2, "full_name": f"学员{n}", "phone": f"1390736{n:04d}", "team_name": team_name, "title": title} for n in range(20)]
    )


def test_reimport_while_trainees_work_loses_nothing(catalogue):
    team = TeamFactory(name="汉寿县", code="hanshou")
    roster.apply_roster(rows=_rows(team.name, "网站管理员"), actor=None, source="first.xlsx")
    course = CourseFactory(parent=catalogue)
    lesson = LessonFactory(parent=course)
    trainees = list(User.objects.filter(memberships__team=team, memberships__role="trainee").order_by("pk"))
    assert len(trainees) == 20

    def study(user):
        return lambda: mark_lesson_done(user=user, lesson=lesson)

    def reimport(n):
        return lambda: roster.apply_roster(rows=_rows(team.name, f"信息员{n}"), actor=None, source=f"again-{n}.xlsx")

    results = all_at_once([study(user) for user in trainees] + [reimport(n) for n in range(5)])

    # A re-import may be refused while another holds the rows (a clear error), never crash otherwise.
    assert unexpected(results, roster.RosterFileError) == []
    assert sum(isinstance(r, roster.RosterResult) for r in results) >= 1
    assert User.objects.filter(phone__startswith="1390736").count() == 20
    assert Membership.objects.filter(team=team, role="trainee").count() == 20
    assert set(Membership.objects.filter(team=team).values_list("title", flat=True)) <= {f"信息员{n}" for n in range(5)}
    assert LessonProgress.objects.filter(lesson=lesson).count() == 20
    assert Enrollment.objects.filter(course=course).count() == 20
    assert User.objects.filter(phone__startswith="1390736", is_active=True).count() == 20
