"""Bulk data for measuring the dashboards at the province's size: teams, trainees, enrolments, lesson
progress and certificates (and quiz attempts once the quiz engine provides them), written with
bulk inserts in batches. Used by `manage.py generate_scale_data` and the benchmark."""

from __future__ import annotations

import datetime
import random
import time
import uuid
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from courses.models import CoursePage, Enrollment, LessonPage, LessonProgress
from lms.db import analyze_tables
from lms.models import CountyTeam, Membership, Role, User

from ..models import Certificate, CertificateStatus, Programme

BATCH = 2000
UNUSABLE_PASSWORD = "!scale-data-no-login"


QUIZZES_PER_COURSE = 2


def _scale_programme() -> Programme:
    """Its own programme, courses, lessons and quizzes, so measuring never touches real or demo content."""
    from courses.setup import ensure_academy_site
    from quizzes.models import Quiz

    _, catalogue = ensure_academy_site()
    courses = []
    for n in range(2):
        course = CoursePage.objects.child_of(catalogue).filter(slug=f"scale-course-{n}").first()
        if course is None:
            course = catalogue.add_child(instance=CoursePage(title=f"规模测试课程{n + 1}", slug=f"scale-course-{n}", summary="规模测试"))
            for k in range(3):
                course.add_child(instance=LessonPage(title=f"第{k + 1}课", slug=f"lesson-{k}"))
            for k in range(QUIZZES_PER_COURSE):
                quiz = Quiz.objects.create(title=f"规模测试测验{n + 1}-{k + 1}", pass_mark=60)
                course.add_child(
                    instance=LessonPage(title=f"测验{k + 1}", slug=f"quiz-{k}", body=[("quiz", {"quiz": quiz, "intro": ""})])
                )
        courses.append(course)
    programme, _ = Programme.objects.get_or_create(slug="scale", defaults={"name": "规模测试资格", "validity_months": 24})
    programme.required_courses.set(courses)
    programme.save()
    return programme


def generate(
    *, teams: int, trainees: int, attempts: int = 0, certified_share: float = 0.6, seed: int = 2026,
    log: Callable[[str], None] = print, analyze: bool = True,
) -> dict:
    """Add `teams` teams and `trainees` trainees spread over them, with progress and certificates.

    Codes and usernames carry a run prefix, so running it again adds a second, separate set. Then, on
    PostgreSQL, ANALYZE the tables filled (`analyze=False` leaves the statistics stale, as right after
    any bulk load, for the benchmark that measures the overview both ways).
    """
    rng = random.Random(seed)
    run = uuid.uuid4().hex[:6]
    now = timezone.now()
    started = time.monotonic()
    programme = _scale_programme()
    courses = list(CoursePage.objects.filter(pk__in=programme.required_courses.values("pk")).order_by("path"))
    lessons = {c.pk: list(LessonPage.objects.child_of(c).values_list("pk", flat=True)) for c in courses}
    figures: dict[str, int] = {}

    def step(name: str, fn):
        t = time.monotonic()
        count = fn()
        figures[name] = count
        log(f"  {name}: {count:,} rows in {time.monotonic() - t:.1f} s")

    with transaction.atomic():
        team_rows = [
            CountyTeam(code=f"s{run}-{i:05d}", name=f"规模县{run}-{i:05d}", region="规模测试", sort_order=10000 + i) for i in range(teams)
        ]
        step("teams", lambda: len(CountyTeam.objects.bulk_create(team_rows, batch_size=BATCH)))
        team_ids = list(CountyTeam.objects.filter(code__startswith=f"s{run}-").order_by("code").values_list("pk", flat=True))
        user_rows = [
            User(username=f"s{run}-{i:06d}", full_name=f"学员{i:06d}", password=UNUSABLE_PASSWORD, phone="", employee_no="")
            for i in range(trainees)
        ]
        step("trainees", lambda: len(User.objects.bulk_create(user_rows, batch_size=BATCH)))
        user_ids = list(User.objects.filter(username__startswith=f"s{run}-").order_by("username").values_list("pk", flat=True))
        step(
            "memberships",
            lambda: len(Membership.objects.bulk_create(
                [Membership(user_id=u, team_id=team_ids[i % len(team_ids)], role=Role.TRAINEE, title="网站管理员") for i, u in enumerate(user_ids)],
                batch_size=BATCH,
            )),
        )
        enrollments, progress, certificates = [], [], []
        # Each team gets its own level, so the ranking has a spread to show.
        team_level = {t: rng.random() for t in team_ids}
        for i, user_id in enumerate(user_ids):
            level = team_level[team_ids[i % len(team_ids)]]
            all_done = True
            for course in courses:
                if rng.random() > 0.3 + 0.7 * level:
                    all_done = False
                    continue
                activity = now - datetime.timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 1440))
                completed = rng.random() < 0.4 + 0.6 * level
                all_done &= completed
                enrollments.append(Enrollment(user_id=user_id, course_id=course.pk, last_activity_at=activity, completed_at=activity if completed else None))
                done = lessons[course.pk] if completed else lessons[course.pk][: rng.randint(0, len(lessons[course.pk]))]
                progress.extend(LessonProgress(user_id=user_id, lesson_id=lesson) for lesson in done)
            if all_done and rng.random() < certified_share + 0.4 * level:
                issued = now - datetime.timedelta(days=rng.randint(0, 720))
                expires = issued + datetime.timedelta(days=730) if programme.validity_months else None
                certificates.append(
                    Certificate(
                        holder_id=user_id, programme=programme, team_id=team_ids[i % len(team_ids)], holder_name=f"学员{i:06d}",
                        serial=f"SC-{run}-{i:07d}", verification_code=uuid.UUID(int=rng.getrandbits(128)).hex,
                        status=CertificateStatus.REVOKED if rng.random() < 0.01 else CertificateStatus.VALID,
                        issued_at=issued, expires_at=expires,
                    )
                )
        step("enrolments", lambda: len(Enrollment.objects.bulk_create(enrollments, batch_size=BATCH)))
        step("lesson progress", lambda: len(LessonProgress.objects.bulk_create(progress, batch_size=BATCH)))
        step("certificates", lambda: len(Certificate.objects.bulk_create(certificates, batch_size=BATCH)))
        step("quiz attempts", lambda: _attempts(programme, user_ids, attempts, rng, now))
    if analyze:
        from quizzes.models import Attempt

        t = time.monotonic()
        analyze_tables(CountyTeam, User, Membership, Enrollment, LessonProgress, Certificate, Attempt)
        log(f"  ANALYZE in {time.monotonic() - t:.1f} s")
    log(f"Done in {time.monotonic() - started:.1f} s (programme “{programme.name}”, run prefix s{run}).")
    return {"programme": programme, "run": run, **figures}


def _attempts(programme: Programme, user_ids: list[int], total: int, rng: random.Random, now) -> int:
    """`total` submitted attempts spread over the trainees and the programme's quizzes, numbered per person and quiz."""
    from quizzes.models import Attempt, AttemptStatus

    from .selectors import programme_parts

    quiz_ids = programme_parts(programme).quiz_ids
    if not total or not quiz_ids or not user_ids:
        return 0
    rows = []
    numbers: dict[tuple[int, int], int] = {}
    for n in range(total):
        user_id = user_ids[n % len(user_ids)]
        quiz_id = quiz_ids[(n // len(user_ids)) % len(quiz_ids)]
        number = numbers[(user_id, quiz_id)] = numbers.get((user_id, quiz_id), 0) + 1
        percent = Decimal(rng.randint(20, 100))
        submitted = now - datetime.timedelta(days=rng.randint(0, 365), minutes=rng.randint(0, 1440))
        rows.append(
            Attempt(
                quiz_id=quiz_id, user_id=user_id, number=number, status=AttemptStatus.SUBMITTED, seed=rng.getrandbits(32),
                layout=[], started_at=submitted - datetime.timedelta(minutes=20), submitted_at=submitted, graded_at=submitted,
                score=percent / 10, max_score=Decimal(10), percent=percent, passed=percent >= 60,
            )
        )
        if len(rows) >= BATCH * 5:
            Attempt.objects.bulk_create(rows, batch_size=BATCH)
            rows = []
    Attempt.objects.bulk_create(rows, batch_size=BATCH)
    return total
