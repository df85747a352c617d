"""Demo progress for the team dashboards: trainees of every county at different stages, so the bureau
overview, the ranking and "who is stuck where" have something true to show. Runs after certificates.demo.
Idempotent: progress already recorded is left as it is."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from courses.models import CoursePage, Enrollment
from courses.services import enroll, mark_lesson_done
from lms.models import CountyTeam, Membership, Role

from ..models import Programme

PROGRAMME_SLUG = "changde-webmaster"


def _programme() -> Programme | None:
    programme = Programme.objects.filter(is_active=True).order_by("name").first()
    if programme is not None:
        return programme
    # The certificates demo normally creates the programme; without it, one built on the first two courses.
    courses = list(CoursePage.objects.live().order_by("path")[:2])
    if not courses:
        return None
    programme = Programme.objects.create(
        name="常德市商务网站管理员资格", slug=PROGRAMME_SLUG, validity_months=24,
        description="完成网站后台管理和专题制作两门课程，取得常德市商务网站管理员资格。",
    )
    programme.required_courses.set(courses)
    programme.save()
    return programme


@transaction.atomic
def seed(stdout=None) -> None:
    programme = _programme()
    if programme is None:
        return
    courses = list(CoursePage.objects.live().filter(programmes=programme).order_by("path"))
    now = timezone.now()
    touched = 0
    for index, team in enumerate(CountyTeam.objects.filter(is_active=True).order_by("sort_order", "code")):
        trainees = [m.user for m in Membership.objects.filter(team=team, role=Role.TRAINEE).select_related("user").order_by("user__username")]
        for n, trainee in enumerate(trainees):
            # Teams differ: some have everyone through, some lag, some have not started.
            stage = (index * 2 + n) % 5  # 0 not started … 4 all required courses done
            # Enrolled in every required course means this demo has been here already.
            if stage == 0 or Enrollment.objects.filter(user=trainee, course__in=courses).count() == len(courses):
                continue
            for position, course in enumerate(courses):
                enroll(user=trainee, course=course)
                lessons = [lesson for lesson in course.lessons() if lesson.is_required]
                if stage >= 3 + position or stage == 4:
                    todo = lessons
                elif position == 0:
                    todo = lessons[: max(1, len(lessons) * stage // 4)]
                else:
                    todo = []
                for lesson in todo:
                    mark_lesson_done(user=trainee, lesson=lesson)
                if stage in (1, 2):
                    # Nothing moved for weeks: these show up under "who is stuck where".
                    Enrollment.objects.filter(user=trainee, course=course).update(
                        last_activity_at=now - datetime.timedelta(days=18 + index + n)
                    )
            touched += 1
    if stdout:
        stdout.write(f"  qualification: progress for {touched} trainees against “{programme.name}”")
