"""Reads for the team qualification dashboards, exports and API: one selector, so they cannot disagree.

`team_overview` annotates every team with its figures in a single query (correlated subqueries,
aggregated by the database), however many teams, people or certificates there are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf, Round, TruncMonth
from django.utils import timezone

from courses.completion import lessons_by_course
from courses.models import CoursePage, Enrollment, LessonProgress
from courses.task_requirements import task_ids_in
from lms.models import CountyTeam, Membership, Role, User
from lms.selectors import has_trainer
from quizzes.blocks import quiz_ids_in
from quizzes.models import Attempt, AttemptStatus, PracticalTask, Quiz, Submission, SubmissionStatus
from quizzes.selectors import final_percent

from ..models import Certificate, CertificateStatus, Programme

EXPIRING_WITHIN = datetime.timedelta(days=60)
# A trainee with no activity for this long, and a required course still open, counts as stuck.
STUCK_AFTER = datetime.timedelta(days=14)

# The columns the overview can be sorted by, mapped to their annotation.
SORTABLE = {
    "name": "name",
    "members": "members",
    "certified": "certified",
    "percent": "percent_qualified",
    "expiring": "expiring",
    "expired": "expired",
    "trained": "trained",
    "activity": "last_activity",
    "score": "average_score",
    "waiting": "tasks_waiting",
}


def programmes() -> QuerySet[Programme]:
    return Programme.objects.filter(is_active=True).order_by("name")


def default_programme() -> Programme | None:
    return programmes().first()


def required_course_ids(programme: Programme) -> list[int]:
    return list(programme.required_courses.order_by("path").values_list("pk", flat=True))


@dataclass
class ProgrammeParts:
    """What a programme asks for: its required courses, their lessons, and the quizzes in those lessons."""

    courses: list[CoursePage]
    lessons: dict
    quiz_ids: list[int]
    task_ids: list[int] = field(default_factory=list)


def programme_parts(programme: Programme) -> ProgrammeParts:
    """Two queries: the courses, and their lessons (quiz ids are read from the lessons' raw StreamField data)."""
    courses = list(CoursePage.objects.filter(pk__in=programme.required_courses.values("pk")).order_by("path"))
    by_course = lessons_by_course(courses)
    quiz_ids: list[int] = []
    for lessons in by_course.values():
        for lesson in lessons:
            for quiz_id in quiz_ids_in(lesson.body.raw_data):
                if quiz_id not in quiz_ids:
                    quiz_ids.append(quiz_id)
    task_ids: list[int] = []
    for lessons in by_course.values():
        for task_id in task_ids_in(lessons):
            if task_id not in task_ids:
                task_ids.append(task_id)
    return ProgrammeParts(courses=courses, lessons=by_course, quiz_ids=quiz_ids, task_ids=task_ids)


def _per_team(aggregate, *conditions: Q, output_field=None, default=0, **lookups):
    """A correlated subquery over the outer team's active trainees: `aggregate` of their rows (0 when none).

    It starts from the team's memberships (an index lookup per team), then follows `lookups` to the
    person's enrolments or certificates. All conditions go into one filter(), so across to-many relations
    they hold for the same related row, and the aggregate is constrained by them.
    """
    inner = (
        _members()
        .filter(*conditions, team=OuterRef("pk"), **lookups)
        .order_by()
        .values("team")
        .annotate(value=aggregate)
        .values("value")[:1]
    )
    subquery = Subquery(inner, output_field=output_field or IntegerField())
    return Coalesce(subquery, Value(default)) if default is not None else subquery


def _members() -> QuerySet[Membership]:
    """Active trainees' memberships: the people a team's figures are about (one team per trainee)."""
    return Membership.objects.filter(role=Role.TRAINEE, user__is_active=True)


def team_overview(
    *, programme: Programme, teams: QuerySet[CountyTeam], now: datetime.datetime | None = None, parts: ProgrammeParts | None = None
) -> QuerySet[CountyTeam]:
    """`teams` annotated with the qualification figures against `programme`, in one query.

    members, certified (valid and not expired), percent_qualified, expiring (within 60 days), expired,
    trained (every required course completed), courses_completed, last_activity, average_score (the mean
    percent of the members' submitted attempts at the programme's quizzes; None without any). Certificates
    count for the holder's current team, not the team at issue.
    """
    now = now or timezone.now()
    parts = parts or programme_parts(programme)
    course_ids = [course.pk for course in parts.courses]
    live = {
        "user__certificates__programme": programme,
        "user__certificates__status": CertificateStatus.VALID,
        "user__certificates__issued_at__lte": now,
    }
    # One live certificate per person and programme (a unique constraint), so counting rows counts people.
    holders = Count("user_id")
    current = Q(user__certificates__expires_at__isnull=True) | Q(user__certificates__expires_at__gte=now)
    # Every required course completed: one indexed EXISTS per course (programmes have a handful).
    trained_conditions = [
        Exists(Enrollment.objects.filter(user_id=OuterRef("user_id"), course_id=course_id, completed_at__isnull=False))
        for course_id in course_ids
    ]
    completed = {"user__enrollments__course_id__in": course_ids, "user__enrollments__completed_at__isnull": False}
    queryset = teams.filter(is_active=True).annotate(
        has_trainer=has_trainer(),
        members=_per_team(Count("pk")),
        certified=_per_team(holders, current, **live),
        expiring=_per_team(
            holders, user__certificates__expires_at__gte=now, user__certificates__expires_at__lte=now + EXPIRING_WITHIN, **live
        ),
        expired=_per_team(holders, user__certificates__expires_at__lt=now, **live),
        trained=_per_team(Count("pk"), *trained_conditions) if course_ids else Value(0),
        courses_completed=_per_team(Count("user__enrollments"), **completed),
        last_activity=_per_team(Max("user__enrollments__last_activity_at"), output_field=DateTimeField(), default=None),
        tasks_waiting=_per_team(Count("user__submissions"), user__submissions__status=SubmissionStatus.AWAITING_REVIEW),
        average_score=_per_team(
            Avg("user__quiz_attempts__percent"),
            user__quiz_attempts__quiz_id__in=parts.quiz_ids,
            user__quiz_attempts__status=AttemptStatus.SUBMITTED,
            user__quiz_attempts__percent__isnull=False,
            output_field=DecimalField(max_digits=6, decimal_places=2),
            default=None,
        ),
    )
    return queryset.annotate(
        percent_qualified=Coalesce(
            Round(
                ExpressionWrapper(
                    F("certified") * Value(100.0) / NullIf(F("members"), 0), output_field=DecimalField(max_digits=6, decimal_places=1)
                ),
                1,
            ),
            Value(0.0),
            output_field=DecimalField(max_digits=6, decimal_places=1),
        )
    )


@dataclass
class TeamRow:
    """One team's line in the overview, with its place in the ranking."""

    team: CountyTeam
    members: int
    certified: int
    percent_qualified: float
    expiring: int
    expired: int
    trained: int
    courses_completed: int
    required_courses: int
    last_activity: datetime.datetime | None
    average_score: float | None = None
    tasks_waiting: int = 0
    has_trainer: bool = True
    rank: int = 0

    @property
    def course_completion_percent(self) -> float:
        possible = self.members * self.required_courses
        return round(100 * self.courses_completed / possible, 1) if possible else 0.0

    @property
    def trained_percent(self) -> float:
        return round(100 * self.trained / self.members, 1) if self.members else 0.0

    @property
    def top_ten(self) -> bool:
        # A team with nobody qualified is not "leading", whatever its place.
        return 0 < self.rank <= 10 and self.certified > 0


def _ranking_key(row: TeamRow):
    # The province ranks by share qualified, then by how many are qualified, then by average quiz score,
    # then by course completion.
    score = row.average_score if row.average_score is not None else -1.0
    return (-row.percent_qualified, -row.certified, -score, -row.course_completion_percent)


def rank_rows(rows: list[TeamRow]) -> None:
    """Competition ranking (1, 2, 2, 4): teams with equal figures share a place."""
    ordered = sorted(rows, key=lambda r: (_ranking_key(r), r.team.sort_order, r.team.code))
    previous, place = None, 0
    for position, row in enumerate(ordered, start=1):
        key = _ranking_key(row)
        if key != previous:
            place, previous = position, key
        row.rank = place


@dataclass
class Overview:
    programme: Programme
    rows: list[TeamRow]
    trend: list[tuple[datetime.date, int]] = field(default_factory=list)
    quiz_count: int = 0

    @property
    def totals(self) -> dict:
        members = sum(r.members for r in self.rows)
        certified = sum(r.certified for r in self.rows)
        return {
            "teams": len(self.rows),
            "members": members,
            "certified": certified,
            "percent_qualified": round(100 * certified / members, 1) if members else 0.0,
            "expiring": sum(r.expiring for r in self.rows),
            "expired": sum(r.expired for r in self.rows),
            "fully_qualified_teams": sum(1 for r in self.rows if r.members and r.certified == r.members),
        }

    @property
    def unsupervised(self) -> list[TeamRow]:
        """Teams no active trainer supervises: their reviewed work waits in the bureau's queue only."""
        return [r for r in self.rows if not r.has_trainer]

    @property
    def ranking(self) -> list[TeamRow]:
        return sorted(self.rows, key=lambda r: (r.rank, r.team.sort_order, r.team.code))


def qualification_overview(
    *, programme: Programme, teams: QuerySet[CountyTeam], sort: str = "rank", descending: bool = False, now=None, months: int = 12
) -> Overview:
    """The overview page, its export and its API: the annotated teams, ranked, plus the monthly trend."""
    now = now or timezone.now()
    parts = programme_parts(programme)
    required = len(parts.courses)
    annotated = team_overview(programme=programme, teams=teams, now=now, parts=parts)
    rows = [
        TeamRow(
            team=t,
            members=t.members,
            certified=t.certified,
            percent_qualified=float(t.percent_qualified or 0),
            expiring=t.expiring,
            expired=t.expired,
            trained=t.trained,
            courses_completed=t.courses_completed,
            required_courses=required,
            last_activity=t.last_activity,
            average_score=float(t.average_score) if t.average_score is not None else None,
            tasks_waiting=t.tasks_waiting,
            has_trainer=t.has_trainer,
        )
        for t in annotated
    ]
    rank_rows(rows)
    rows = sort_rows(rows, sort=sort, descending=descending)
    trend = monthly_issued(programme=programme, teams=teams, now=now, months=months)
    return Overview(programme=programme, rows=rows, trend=trend, quiz_count=len(parts.quiz_ids))


def sort_rows(rows: list[TeamRow], *, sort: str, descending: bool) -> list[TeamRow]:
    if sort == "rank" or sort not in SORTABLE:
        return sorted(rows, key=lambda r: (r.rank, r.team.sort_order, r.team.code), reverse=descending)
    attribute = SORTABLE[sort]

    def key(row: TeamRow):
        if attribute == "name":
            return (row.team.sort_order, row.team.code)
        value = getattr(row, attribute)
        if value is None:
            # Teams that never had any activity go last whichever way the column is sorted.
            return (0 if descending else 1, datetime.datetime.min.replace(tzinfo=datetime.UTC))
        return (1 if descending else 0, value)

    return sorted(rows, key=key, reverse=descending)


def _month_starts(now: datetime.datetime, months: int) -> list[datetime.date]:
    local = timezone.localtime(now).date().replace(day=1)
    starts = []
    year, month = local.year, local.month
    for _ in range(months):
        starts.append(datetime.date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(starts))


def monthly_issued(*, programme: Programme, teams: QuerySet[CountyTeam], now=None, months: int = 12) -> list[tuple[datetime.date, int]]:
    """Certificates issued per month (the last `months` months, empty months included) to the given teams."""
    now = now or timezone.now()
    starts = _month_starts(now, months)
    first = timezone.make_aware(datetime.datetime.combine(starts[0], datetime.time.min))
    counts = dict(
        Certificate.objects.filter(programme=programme, team__in=teams, issued_at__gte=first)
        .exclude(status=CertificateStatus.SUPERSEDED)
        .annotate(month=TruncMonth("issued_at"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    by_month = {}
    for month, n in counts.items():
        key = month.date() if isinstance(month, datetime.datetime) else month
        by_month[key.replace(day=1)] = by_month.get(key.replace(day=1), 0) + n
    return [(start, by_month.get(start, 0)) for start in starts]


# ---- one team, person by person ----


@dataclass
class CourseStatus:
    """Where one person stands in one required course."""

    course: CoursePage
    enrolled: bool
    completed_at: datetime.datetime | None
    lessons_done: int
    lessons_total: int
    last_activity: datetime.datetime | None

    @property
    def state(self) -> str:
        if self.completed_at:
            return "completed"
        if not self.enrolled:
            return "not_enrolled"
        if self.lessons_total and self.lessons_done >= self.lessons_total:
            # Every lesson read, the course still open: a quiz or a hands-on task is what is left.
            return "lessons_done"
        return "in_progress"

    @property
    def percent(self) -> int:
        if self.completed_at:
            return 100
        return round(100 * self.lessons_done / self.lessons_total) if self.lessons_total else 0


@dataclass
class QuizStatus:
    """Where one person stands with one of the programme's quizzes (graded as the quiz says: best, last…)."""

    quiz: Quiz
    attempts: list = field(default_factory=list)

    @property
    def grade(self):
        return final_percent(self.attempts, self.quiz.grading_method)

    @property
    def state(self) -> str:
        grade = self.grade
        if grade is None:
            return "in_progress" if self.attempts else "not_started"
        return "passed" if grade >= self.quiz.pass_mark else "failed"

    @property
    def passed_first_time(self) -> bool:
        first = next((a for a in self.attempts if a.number == 1), None)
        return bool(first and first.passed)


@dataclass
class TaskStatus:
    """Where one person stands with one hands-on task of the programme: the most telling of their submissions."""

    task: object
    statuses: list = field(default_factory=list)

    @property
    def state(self) -> str:
        if SubmissionStatus.ACCEPTED in self.statuses:
            return "accepted"
        if not self.statuses:
            return "not_submitted"
        return self.statuses[0]  # the latest submission's status


@dataclass
class MemberStatus:
    """A team member's qualification: each required course, their certificate, and where they are stuck."""

    person: User
    title: str
    courses: list[CourseStatus]
    certificate: Certificate | None
    now: datetime.datetime
    quizzes: list[QuizStatus] = field(default_factory=list)
    tasks: list[TaskStatus] = field(default_factory=list)

    @property
    def average_score(self) -> float | None:
        grades = [q.grade for q in self.quizzes if q.grade is not None]
        return round(float(sum(grades) / len(grades)), 1) if grades else None

    @property
    def certificate_state(self) -> str:
        cert = self.certificate
        if cert is None:
            return "none"
        if cert.expires_at and cert.expires_at < self.now:
            return "expired"
        if cert.expires_at and cert.expires_at <= self.now + EXPIRING_WITHIN:
            return "expiring"
        return "valid"

    @property
    def qualified(self) -> bool:
        return self.certificate_state in {"valid", "expiring"}

    @property
    def last_activity(self) -> datetime.datetime | None:
        times = [c.last_activity for c in self.courses if c.last_activity]
        return max(times) if times else None

    @property
    def courses_completed(self) -> int:
        return sum(1 for c in self.courses if c.completed_at)

    @property
    def stuck_at(self) -> CourseStatus | None:
        """The first required course not completed, when the person has not moved for a while."""
        if self.qualified:
            return None
        open_course = next((c for c in self.courses if not c.completed_at), None)
        if open_course is None:
            return None
        last = self.last_activity
        if last is None or self.now - last >= STUCK_AFTER:
            return open_course
        return None

    @property
    def next_step(self) -> CourseStatus | None:
        return next((c for c in self.courses if not c.completed_at), None)


@dataclass
class TeamDetail:
    team: CountyTeam
    programme: Programme
    courses: list[CoursePage]
    members: list[MemberStatus]
    quizzes: list[Quiz] = field(default_factory=list)
    tasks: list = field(default_factory=list)

    @property
    def stuck(self) -> list[MemberStatus]:
        return [m for m in self.members if m.stuck_at is not None]


def team_detail(*, team: CountyTeam, programme: Programme, now=None) -> TeamDetail:
    """Every active trainee of `team` with their status per required course, per quiz of those courses,
    and their certificate.

    A constant number of queries: members, courses, lessons, enrolments, lesson progress, quizzes,
    attempts, certificates.
    """
    now = now or timezone.now()
    memberships = list(
        _members().filter(team=team).select_related("user").order_by("user__full_name", "user__username")
    )
    people = [m.user for m in memberships]
    person_ids = [p.pk for p in people]
    parts = programme_parts(programme)
    courses, by_course = parts.courses, parts.lessons
    quizzes = {q.pk: q for q in Quiz.objects.filter(pk__in=parts.quiz_ids, is_published=True)} if parts.quiz_ids else {}
    attempts: dict[tuple[int, int], list] = {}
    if quizzes:
        for attempt in (
            Attempt.objects.filter(user_id__in=person_ids, quiz_id__in=list(quizzes)).order_by("number").defer("layout")
        ):
            attempts.setdefault((attempt.user_id, attempt.quiz_id), []).append(attempt)
    ordered_quizzes = [quizzes[pk] for pk in parts.quiz_ids if pk in quizzes]
    tasks = {t.pk: t for t in PracticalTask.objects.filter(pk__in=parts.task_ids)} if parts.task_ids else {}
    submissions: dict[tuple[int, int], list[str]] = {}
    if tasks:
        for user_id, task_id, status in (
            Submission.objects.filter(user_id__in=person_ids, task_id__in=list(tasks))
            .order_by("-created_at", "-id")
            .values_list("user_id", "task_id", "status")
        ):
            submissions.setdefault((user_id, task_id), []).append(status)
    ordered_tasks = [tasks[pk] for pk in parts.task_ids if pk in tasks]
    required_lessons = {c.pk: [lesson.pk for lesson in lessons if lesson.is_required] for c, lessons in by_course.items()}
    course_of_lesson = {lesson_id: course_id for course_id, ids in required_lessons.items() for lesson_id in ids}
    enrollments = {
        (e.user_id, e.course_id): e for e in Enrollment.objects.filter(user_id__in=person_ids, course__in=courses)
    }
    done: dict[tuple[int, int], int] = {}
    if course_of_lesson:
        for user_id, lesson_id in LessonProgress.objects.filter(
            user_id__in=person_ids, lesson_id__in=list(course_of_lesson)
        ).values_list("user_id", "lesson_id"):
            key = (user_id, course_of_lesson[lesson_id])
            done[key] = done.get(key, 0) + 1
    certificates: dict[int, Certificate] = {}
    # The live certificate wins; without one, the most recent revoked/superseded one is not shown as held.
    for cert in Certificate.objects.filter(programme=programme, holder_id__in=person_ids, status=CertificateStatus.VALID):
        certificates[cert.holder_id] = cert
    members = []
    for membership in memberships:
        person = membership.user
        statuses = []
        for course in courses:
            enrollment = enrollments.get((person.pk, course.pk))
            statuses.append(
                CourseStatus(
                    course=course,
                    enrolled=enrollment is not None,
                    completed_at=enrollment.completed_at if enrollment else None,
                    lessons_done=done.get((person.pk, course.pk), 0),
                    lessons_total=len(required_lessons.get(course.pk, [])),
                    last_activity=enrollment.last_activity_at if enrollment else None,
                )
            )
        members.append(
            MemberStatus(
                person=person,
                title=membership.title,
                courses=statuses,
                certificate=certificates.get(person.pk),
                now=now,
                quizzes=[QuizStatus(quiz=quiz, attempts=attempts.get((person.pk, quiz.pk), [])) for quiz in ordered_quizzes],
                tasks=[TaskStatus(task=task, statuses=submissions.get((person.pk, task.pk), [])) for task in ordered_tasks],
            )
        )
    return TeamDetail(team=team, programme=programme, courses=courses, members=members, quizzes=ordered_quizzes, tasks=ordered_tasks)


# ---- yearly commendation candidates (先进单位 / 先进个人) ----


def rule_for(*, programme: Programme, year: int):
    """The bureau's rule for the year, or an unsaved one with the defaults when none was set."""
    from .models import CommendationRule

    return CommendationRule.objects.filter(programme=programme, year=year).first() or CommendationRule(programme=programme, year=year)


def _as_of(year: int, now: datetime.datetime) -> datetime.datetime:
    end = timezone.make_aware(datetime.datetime(year, 12, 31, 23, 59, 59))
    return min(end, now)


@dataclass
class PersonCandidate:
    person: User
    team: CountyTeam
    certificate: Certificate
    courses_completed: int
    rank: int = 0
    average_score: float | None = None


@dataclass
class Commendation:
    rule: object
    as_of: datetime.datetime
    units: list[TeamRow]
    eligible_units: int
    people: list[PersonCandidate]


def commendation_candidates(*, rule, teams: QuerySet[CountyTeam], now=None) -> Commendation:
    """Candidates under `rule`, figures as of the end of its year (or today for the current year).

    先进单位: teams with at least the minimum members and % qualified; the N with the best average quiz
    score (ties, and programmes without quizzes, by ranking).
    先进个人: active trainees holding a live certificate (issued within the year when the rule says so)
    with every required course completed and, when the rule says so, every programme quiz passed at the
    first attempt; the N with the best average quiz score, then the earliest qualified.
    """
    now = now or timezone.now()
    as_of = _as_of(rule.year, now)
    programme = rule.programme
    overview = qualification_overview(programme=programme, teams=teams, now=as_of, months=1)
    eligible = [
        row for row in overview.ranking
        if row.members >= rule.unit_min_members and row.percent_qualified >= float(rule.unit_min_percent)
    ]
    eligible.sort(key=lambda row: (row.average_score is None, -(row.average_score or 0), row.rank))
    parts = programme_parts(programme)
    course_ids = [course.pk for course in parts.courses]
    graded = Attempt.objects.filter(
        user_id=OuterRef("holder_id"), quiz_id__in=parts.quiz_ids, status=AttemptStatus.SUBMITTED,
        percent__isnull=False, submitted_at__lte=as_of,
    )
    average = graded.order_by().values("user_id").annotate(a=Avg("percent")).values("a")[:1]
    completed = (
        Enrollment.objects.filter(user_id=OuterRef("holder_id"), course_id__in=course_ids, completed_at__lte=as_of)
        .order_by()
        .values("user_id")
        .annotate(n=Count("course_id", distinct=True))
        .values("n")[:1]
    )
    certificates = Certificate.objects.filter(
        programme=programme,
        status=CertificateStatus.VALID,
        issued_at__lte=as_of,
        holder__is_active=True,
        holder__memberships__role=Role.TRAINEE,
        holder__memberships__team__in=teams,
    ).filter(Q(expires_at__isnull=True) | Q(expires_at__gte=as_of))
    if rule.person_certified_in_year:
        certificates = certificates.filter(issued_at__year=rule.year)
    if rule.person_first_attempt_only:
        for quiz_id in parts.quiz_ids:
            certificates = certificates.filter(
                Exists(Attempt.objects.filter(user_id=OuterRef("holder_id"), quiz_id=quiz_id, number=1, passed=True, submitted_at__lte=as_of))
            )
    certificates = (
        certificates.annotate(
            done=Coalesce(Subquery(completed, output_field=IntegerField()), Value(0)),
            average_score=Subquery(average, output_field=DecimalField(max_digits=6, decimal_places=2)),
        )
        .filter(done__gte=len(course_ids))
        .annotate(member_team=F("holder__memberships__team"))
        .select_related("holder")
        .order_by(F("average_score").desc(nulls_last=True), "issued_at", "pk")[: rule.person_top_n]
    )
    team_by_pk = {t.pk: t for t in teams.filter(pk__in=[c.member_team for c in certificates])}
    people = [
        PersonCandidate(
            person=c.holder, team=team_by_pk[c.member_team], certificate=c, courses_completed=c.done, rank=i,
            average_score=float(c.average_score) if c.average_score is not None else None,
        )
        for i, c in enumerate(certificates, start=1)
    ]
    return Commendation(rule=rule, as_of=as_of, units=eligible[: rule.unit_top_n], eligible_units=len(eligible), people=people)
