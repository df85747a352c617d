"""Reads for the team qualification dashboards, exports and API: one selector, so they cannot disagree.

`team_overview` gives every team its figures in a single query (each table aggregated once, grouped by
team), however many teams, people or certificates there are.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import (
    Avg,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from courses.completion import lessons_by_course
from courses.models import CoursePage, Enrollment, LessonProgress
from courses.task_requirements import task_ids_in
from lms.models import CountyTeam, Membership, Role, User
from lms.selectors import supervising
from quizzes.blocks import quiz_ids_in
from quizzes.models import Attempt, AttemptStatus, PracticalTask, Quiz, Submission, SubmissionStatus
from quizzes.selectors import final_percent

from ..models import Certificate, CertificateStatus, Programme
from . import extra_columns

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


def _members() -> QuerySet[Membership]:
    """Active trainees' memberships: the people a team's figures are about (one team per trainee)."""
    return Membership.objects.filter(role=Role.TRAINEE, user__is_active=True)


@dataclass
class TeamFigures:
    """One team's figures against a programme, as `team_overview` computes them."""

    team: CountyTeam
    members: int = 0
    certified: int = 0
    expiring: int = 0
    expired: int = 0
    trained: int = 0
    courses_completed: int = 0
    last_activity: datetime.datetime | None = None
    tasks_waiting: int = 0
    average_score: float | None = None
    has_trainer: bool = True

    @property
    def percent_qualified(self) -> float:
        if not self.members:
            return 0.0
        # Half away from zero, like the database's ROUND, so exports and the page agree to the last digit.
        return float((Decimal(100 * self.certified) / Decimal(self.members)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _per_person(*, programme: Programme, parts: ProgrammeParts, now: datetime.datetime) -> dict[str, QuerySet]:
    """Each table aggregated once per person: {alias: queryset of (person_key, figure columns…)}.

    None refers to an outer row, so the database scans each table once (200,000 quiz attempts become one
    row per person) before anything is joined; joining the big tables to the members first and grouping
    by team afterwards made PostgreSQL look up the person and the team once per attempt.
    """
    course_ids = [course.pk for course in parts.courses]

    def grouped(queryset: QuerySet, **figures) -> QuerySet:
        return queryset.order_by().values(person_key=F("user_id")).annotate(**figures).order_by()

    current = Q(expires_at__isnull=True) | Q(expires_at__gte=now)
    found = {
        # One live certificate per person and programme (a unique constraint): at most one row per person.
        "f_certificates": Certificate.objects.filter(programme=programme, status=CertificateStatus.VALID, issued_at__lte=now)
        .order_by()
        .values(person_key=F("holder_id"))
        .annotate(
            certified=Count("pk", filter=current),
            expiring=Count("pk", filter=Q(expires_at__gte=now, expires_at__lte=now + EXPIRING_WITHIN)),
            expired=Count("pk", filter=Q(expires_at__lt=now)),
        )
        .order_by(),
        # One enrolment per person and course (a unique constraint), so completed rows count courses.
        "f_enrolments": grouped(
            Enrollment.objects.all(),
            last_activity=Max("last_activity_at"),
            courses_completed=Count("pk", filter=Q(course_id__in=course_ids, completed_at__isnull=False))
            if course_ids
            else Value(0),
        ),
        "f_waiting": grouped(Submission.objects.filter(status=SubmissionStatus.AWAITING_REVIEW), tasks_waiting=Count("pk")),
    }
    if parts.quiz_ids:
        found["f_scores"] = grouped(
            Attempt.objects.filter(quiz_id__in=parts.quiz_ids, status=AttemptStatus.SUBMITTED, percent__isnull=False),
            score_sum=Sum("percent"),
            score_count=Count("pk"),
        )
    return found


def team_overview(
    *, programme: Programme, teams: QuerySet[CountyTeam], now: datetime.datetime | None = None, parts: ProgrammeParts | None = None
) -> list[TeamFigures]:
    """The active teams among `teams` with their qualification figures against `programme`, in one query.

    members, certified (valid and not expired), percent_qualified, expiring (within 60 days), expired,
    trained (every required course completed), courses_completed, last_activity, tasks_waiting,
    average_score (the mean percent of the members' submitted attempts at the programme's quizzes; None
    without any). Certificates count for the holder's current team, not the team at issue.

    Per-team correlated subqueries took 55 s at 1,000 teams before autovacuum had analysed the tables.
    Here each table is aggregated once per person (`_per_person`), the members are LEFT JOINed to those
    rows and grouped by team, and the teams to that: a constant one query whose plan is joins of
    pre-aggregated rows, whatever the statistics say.
    """
    raw = _overview_query(programme=programme, teams=teams, now=now or timezone.now(), parts=parts or programme_parts(programme))
    rows = []
    with _hash_join_plan():
        teams_found = list(raw)
    for team in teams_found:
        counts = ("members", "certified", "expiring", "expired", "trained", "courses_completed", "tasks_waiting")
        score_count = getattr(team, "score_count", None)
        rows.append(
            TeamFigures(
                team=team,
                **{name: int(getattr(team, name, None) or 0) for name in counts},
                last_activity=_as_datetime(team.last_activity),
                average_score=float(team.score_sum) / float(score_count) if score_count else None,
                has_trainer=bool(team.supervised),
            )
        )
    return rows


def explain_overview(
    *, programme: Programme, teams: QuerySet[CountyTeam], analyze: bool = False, jit: bool = False, now=None
) -> str:
    """The database's plan for the overview query, planned as `team_overview` runs it (for benchmarks and tests;
    `jit=True` lets PostgreSQL compile it, to measure what that would cost or save)."""
    raw = _overview_query(programme=programme, teams=teams, now=now or timezone.now(), parts=programme_parts(programme))
    prefix = "EXPLAIN ANALYZE " if analyze else "EXPLAIN "
    if connection.vendor == "sqlite":
        prefix = "EXPLAIN QUERY PLAN "
    with _hash_join_plan(jit=jit), connection.cursor() as cursor:
        cursor.execute(prefix + raw.query.sql, raw.params)
        return "\n".join(" ".join(str(part) for part in row) for row in cursor.fetchall())


def _overview_query(*, programme: Programme, teams: QuerySet[CountyTeam], now: datetime.datetime, parts: ProgrammeParts):
    team_ids = teams.filter(is_active=True).order_by().values("pk")
    members = _members().filter(team__in=team_ids).order_by().values("user_id", "team_id")
    quote = connection.ops.quote_name
    per_person = _per_person(programme=programme, parts=parts, now=now)
    joins, params = [], []
    for alias, queryset in per_person.items():
        sql, part_params = queryset.query.sql_with_params()
        joins.append(f"LEFT JOIN ({sql}) {alias} ON {alias}.person_key = member.{quote('user_id')}")
        params.extend(part_params)
    sums = [
        "COUNT(*) AS members",
        *(f"SUM(f_certificates.{name}) AS {name}" for name in ("certified", "expiring", "expired")),
        "SUM(f_enrolments.courses_completed) AS courses_completed",
        # Every required course completed (and a programme without required courses trains nobody).
        "SUM(CASE WHEN f_enrolments.courses_completed >= %s AND %s > 0 THEN 1 ELSE 0 END) AS trained",
        "MAX(f_enrolments.last_activity) AS last_activity",
        "SUM(f_waiting.tasks_waiting) AS tasks_waiting",
    ]
    required = len(parts.courses)
    if "f_scores" in per_person:
        sums += ["SUM(f_scores.score_sum) AS score_sum", "SUM(f_scores.score_count) AS score_count"]
    members_sql, members_params = members.query.sql_with_params()
    by_team = (
        f"SELECT member.{quote('team_id')} AS team_key, {', '.join(sums)} FROM ({members_sql}) member "
        f"{' '.join(joins)} GROUP BY member.{quote('team_id')}"
    )
    # Which teams an active trainer supervises (flagged on the overview), joined in rather than asked apart.
    supervised_sql, supervised_params = supervising().order_by().values("team_id").distinct().query.sql_with_params()
    ids_sql, ids_params = team_ids.query.sql_with_params()
    table, pk = quote(CountyTeam._meta.db_table), quote(CountyTeam._meta.pk.column)
    return CountyTeam.objects.raw(
        f"SELECT overview_team.*, by_team.*, CASE WHEN supervised.{quote('team_id')} IS NULL THEN 0 ELSE 1 END AS supervised "
        f"FROM {table} overview_team LEFT JOIN ({by_team}) by_team ON by_team.team_key = overview_team.{pk} "
        f"LEFT JOIN ({supervised_sql}) supervised ON supervised.{quote('team_id')} = overview_team.{pk} "
        f"WHERE overview_team.{pk} IN ({ids_sql})",
        # The placeholders in the order they appear: the team sums, the members, the per-person parts, the team ids.
        [required, required, *members_params, *params, *supervised_params, *ids_params],
    )


@contextmanager
def _hash_join_plan(*, jit: bool = False):
    """On PostgreSQL, run the overview with hash joins, without JIT, with room to sort in memory.

    Right after a bulk load (a roster import, `generate_scale_data`) and before autovacuum has analysed
    the tables, PostgreSQL estimates a few rows where there are thousands and joins the per-person rows
    with nested loops: seconds instead of milliseconds. Every join here is of whole aggregated tables, so
    hash joins are right at any size. JIT compilation costs more than it saves on this query (measured by
    benchmarks/bench_qualification.py). SET LOCAL ends with the transaction; inside a caller's transaction
    the previous values are put back.
    """
    if connection.vendor != "postgresql":
        yield
        return
    names = ("enable_nestloop", "jit", "work_mem")
    with transaction.atomic():
        outer = connection.in_atomic_block and len(connection.savepoint_ids) > 0
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_nestloop'), current_setting('jit'), current_setting('work_mem'), "
                "set_config('enable_nestloop', 'off', true), set_config('jit', %s, true), set_config('work_mem', '64MB', true)",
                ["on" if jit else "off"],
            )
            previous = cursor.fetchone()[:3]
        yield
        if outer:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT " + ", ".join("set_config(%s, %s, true)" for _ in names),
                    [value for pair in zip(names, previous, strict=True) for value in pair],
                )


def _as_datetime(value) -> datetime.datetime | None:
    """A MAX() of a datetime column from raw SQL: SQLite hands back text (stored in UTC), PostgreSQL a datetime."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    parsed = parse_datetime(str(value))
    return timezone.make_aware(parsed, datetime.UTC) if parsed is not None and timezone.is_naive(parsed) else parsed


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
    # Figures other apps add through extra_columns (exam results, site inspection), by column key.
    extra: dict = field(default_factory=dict)
    # What the ranking sorts by first: the share qualified, blended with any figure the bureau weighted.
    ranking_figure: float | None = None

    @property
    def extra_cells(self) -> list:
        return extra_columns.cells(self.extra, self.team)

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
    # The province ranks by share qualified (blended with any figure the bureau weighted: the site score), then by
    # how many are qualified, then by average quiz score, then by course completion.
    score = row.average_score if row.average_score is not None else -1.0
    first = row.ranking_figure if row.ranking_figure is not None else row.percent_qualified
    return (-first, -row.percent_qualified, -row.certified, -score, -row.course_completion_percent)


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
            team=t.team,
            members=t.members,
            certified=t.certified,
            percent_qualified=t.percent_qualified,
            expiring=t.expiring,
            expired=t.expired,
            trained=t.trained,
            courses_completed=t.courses_completed,
            required_courses=required,
            last_activity=t.last_activity,
            average_score=t.average_score,
            tasks_waiting=t.tasks_waiting,
            has_trainer=t.has_trainer,
        )
        for t in annotated
    ]
    extras = extra_columns.values_for([row.team.pk for row in rows], now)
    weights = extra_columns.ranking_weights()
    for row in rows:
        row.extra = extras[row.team.pk]
        if weights:
            row.ranking_figure = extra_columns.ranking_figure(row.percent_qualified, row.extra, weights)
    rank_rows(rows)
    rows = sort_rows(rows, sort=sort, descending=descending)
    trend = monthly_issued(programme=programme, teams=teams, now=now, months=months)
    return Overview(programme=programme, rows=rows, trend=trend, quiz_count=len(parts.quiz_ids))


def sort_rows(rows: list[TeamRow], *, sort: str, descending: bool) -> list[TeamRow]:
    if sort != "rank" and sort not in SORTABLE and extra_columns.column(sort) is not None:
        return _sort_by_extra(rows, key=sort, descending=descending)
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


def _sort_by_extra(rows: list[TeamRow], *, key: str, descending: bool) -> list[TeamRow]:
    known = [r for r in rows if r.extra.get(key) is not None]
    unknown = [r for r in rows if r.extra.get(key) is None]
    # Teams without the figure go last whichever way the column is sorted, as with last activity.
    known.sort(key=lambda r: (r.extra[key], -r.team.sort_order), reverse=descending)
    return known + sorted(unknown, key=lambda r: (r.team.sort_order, r.team.code))


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
