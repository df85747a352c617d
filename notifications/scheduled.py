"""Scheduled news, run by `manage.py send_scheduled_notifications` from cron (every few minutes). Every
message's key names its period (the day, ISO week, month, expiry window), so running it twice — or a
hundred times — sends each one once."""

from __future__ import annotations

import functools
import logging
from collections import defaultdict
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone

from lms.models import CountyTeam, Membership, Role, TrainerSupervision

from .services import notify

log = logging.getLogger(__name__)
EXPIRY_WINDOWS = (7, 30, 60)
STUCK_AFTER = timedelta(days=14)


def _name(user) -> str:
    return user.get_full_name() or user.username


def bureau_admins():
    return list(
        get_user_model().objects.filter(Q(is_superuser=True) | Q(memberships__role=Role.BUREAU_ADMIN), is_active=True).distinct()
    )


def certificate_expiry(now: datetime) -> int:
    """60/30/7 days before expiry: one message per window (the narrowest reached, if cron was down)."""
    from certificates.selectors import expiring_within

    sent = 0
    for certificate in expiring_within(days=max(EXPIRY_WINDOWS), now=now).select_related("holder", "programme"):
        days_left = (certificate.expires_at - now).days
        window = min(w for w in EXPIRY_WINDOWS if days_left < w)
        notify(
            "certificate.expiring",
            [certificate.holder],
            {
                "name": certificate.holder_name,
                "programme": certificate.programme.name,
                "serial": certificate.serial,
                "days": days_left + 1,
                "date": timezone.localtime(certificate.expires_at).date().isoformat(),
            },
            key=f"certificate.expiring:{certificate.pk}:{window}:{certificate.expires_at.date()}",
            link=reverse("certificates:mine"),
        )
        sent += 1
    return sent


def review_digests(now: datetime) -> int:
    """Once a day, each trainer with supervised work waiting hears how much and where (one digest, not one per
    submission)."""
    from quizzes.models import Submission
    from quizzes.models.tasks import SubmissionStatus

    waiting = (
        Submission.objects.filter(status=SubmissionStatus.AWAITING_REVIEW, user__memberships__role=Role.TRAINEE)
        .values("user__memberships__team_id")
        .annotate(count=Count("pk", distinct=True), oldest=Min("created_at"))
    )
    by_team = {row["user__memberships__team_id"]: row for row in waiting}
    if not by_team:
        return 0
    teams = {t.pk: t for t in CountyTeam.objects.filter(pk__in=by_team)}
    per_trainer = defaultdict(list)
    for supervision in TrainerSupervision.objects.filter(team_id__in=by_team, trainer__is_active=True).select_related("trainer"):
        per_trainer[supervision.trainer].append(supervision.team_id)
    day = timezone.localtime(now).date().isoformat()
    for trainer, team_ids in per_trainer.items():
        rows = [by_team[t] for t in team_ids]
        summary = "、".join(f"{teams[t].name} {by_team[t]['count']}" for t in sorted(team_ids, key=lambda t: teams[t].sort_order))
        notify(
            "review.digest",
            [trainer],
            {
                "name": _name(trainer),
                "count": sum(r["count"] for r in rows),
                "summary": summary,
                "oldest": timezone.localtime(min(r["oldest"] for r in rows)).strftime("%Y-%m-%d %H:%M"),
            },
            key=f"review.digest:{trainer.pk}:{day}",
            link=reverse("practical:review_queue"),
        )
    return len(per_trainer)


def _stuck_enrollments(now: datetime):
    from courses.models import Enrollment

    return (
        Enrollment.objects.filter(completed_at__isnull=True, user__is_active=True, user__memberships__role=Role.TRAINEE)
        .filter(Q(last_activity_at__lt=now - STUCK_AFTER) | Q(last_activity_at__isnull=True, enrolled_at__lt=now - STUCK_AFTER))
        .select_related("user", "course")
        .annotate(team_id=Min("user__memberships__team_id"))
    )


def stuck_trainees(now: datetime) -> int:
    """A supervised trainee with no progress for two weeks: their trainers hear once per stall."""
    stuck = {}
    for enrollment in _stuck_enrollments(now):
        since = enrollment.last_activity_at or enrollment.enrolled_at
        current = stuck.get(enrollment.user_id)
        if current is None or since > current[1]:
            stuck[enrollment.user_id] = (enrollment, since)
    if not stuck:
        return 0
    trainers = defaultdict(list)
    for supervision in TrainerSupervision.objects.filter(
        team_id__in={e.team_id for e, _ in stuck.values()}, trainer__is_active=True
    ).select_related("trainer", "team"):
        trainers[supervision.team_id].append((supervision.trainer, supervision.team))
    for enrollment, since in stuck.values():
        for trainer, team in trainers.get(enrollment.team_id, []):
            notify(
                "trainee.stuck",
                [trainer],
                {
                    "trainee": _name(enrollment.user),
                    "team": team.name,
                    "since": timezone.localtime(since).date().isoformat(),
                },
                key=f"trainee.stuck:{enrollment.user_id}:{since.date()}",
                link=reverse("qualification:team", kwargs={"code": team.code}),
            )
    return len(stuck)


def _overview(now: datetime):
    from certificates.qualification.selectors import default_programme, qualification_overview

    programme = default_programme()
    if programme is None:
        return None
    return qualification_overview(programme=programme, teams=CountyTeam.objects.filter(is_active=True), now=now, months=2)


def _resolve(overview, now):
    return overview() if callable(overview) else (overview or _overview(now))


def weekly_team_digests(now: datetime, overview=None) -> int:
    """From Monday 08:00 each week: every team lead, and the team's robots, get the team's figures."""
    local = timezone.localtime(now)
    if local.weekday() != 0 or local.hour < 8:
        return 0
    overview = _resolve(overview, now)
    if overview is None:
        return 0
    year, week, _ = local.isocalendar()
    stuck_per_team = defaultdict(set)
    for enrollment in _stuck_enrollments(now):
        stuck_per_team[enrollment.team_id].add(enrollment.user_id)
    leads = defaultdict(list)
    for membership in Membership.objects.filter(role=Role.TEAM_LEAD, user__is_active=True).select_related("user"):
        leads[membership.team_id].append(membership.user)
    for row in overview.rows:
        notify(
            "team.weekly_digest",
            leads.get(row.team.pk, []),
            {
                "team": row.team.name,
                "qualified": f"{row.percent_qualified}%",
                "expiring": row.expiring,
                "stuck": len(stuck_per_team.get(row.team.pk, ())),
                "rank": row.rank,
                "teams": len(overview.rows),
            },
            key=f"team.weekly_digest:{row.team.pk}:{year}-W{week:02d}",
            team=row.team,
            link=reverse("qualification:team", kwargs={"code": row.team.code}),
        )
    return len(overview.rows)


def monthly_summary(now: datetime, overview=None) -> int:
    """From the 1st, 09:00: the bureau's summary of the month before."""
    local = timezone.localtime(now)
    if local.day != 1 or local.hour < 9:
        return 0
    overview = _resolve(overview, now)
    if overview is None:
        return 0
    last_month = (local.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    issued = dict((d.strftime("%Y-%m"), n) for d, n in overview.trend).get(last_month, 0)
    totals = overview.totals
    notify(
        "bureau.monthly_summary",
        bureau_admins(),
        {
            "month": last_month,
            "issued": issued,
            "qualified": f"{totals['percent_qualified']}%",
            "expiring": totals["expiring"],
            "no_trainer": len(overview.unsupervised),
        },
        key=f"bureau.monthly_summary:{last_month}",
        link=reverse("qualification:overview"),
    )
    return 1


def teams_without_trainer(now: datetime, overview=None) -> int:
    """Each week (from Monday 08:00) a team has no active supervising trainer, the bureau hears of it once."""
    local = timezone.localtime(now)
    if local.weekday() != 0 or local.hour < 8:
        return 0
    overview = _resolve(overview, now)
    if overview is None:
        return 0
    year, week, _ = timezone.localtime(now).isocalendar()
    admins = bureau_admins()
    for row in overview.unsupervised:
        notify(
            "team.no_trainer",
            admins,
            {"team": row.team.name},
            key=f"team.no_trainer:{row.team.pk}:{year}-W{week:02d}",
            link=reverse("qualification:overview"),
        )
    return len(overview.unsupervised)


def bulk_jobs(now: datetime) -> int:
    """Bulk issue/render jobs that finished or failed in the last week (the jobs change state with UPDATEs,
    which send no signal: polled here)."""
    from certificates.models import BulkJob

    jobs = BulkJob.objects.filter(state__in=[BulkJob.State.DONE, BulkJob.State.FAILED], created_at__gte=now - timedelta(days=7))
    admins = None
    for job in jobs.select_related("created_by"):
        recipients = [job.created_by] if job.created_by and job.created_by.is_active else (admins := admins or bureau_admins())
        event = "bulk_job.finished" if job.state == BulkJob.State.DONE else "bulk_job.failed"
        notify(
            event,
            recipients,
            {"job": str(job), "changed": job.changed, "total": job.total, "done": job.done, "error": job.error[:300]},
            key=f"{event}:{job.pk}",
            link=reverse("certificates:manage_job", kwargs={"pk": job.pk}),
        )
    return jobs.count()


def exam_openings(now: datetime) -> int:
    """Sittings opening within a day, and within 15 minutes (when the exams app is installed)."""
    from django.apps import apps

    if not apps.is_installed("exams"):
        return 0
    from exams import selectors

    from .sources.exams import notify_sitting

    count = 0
    for sitting in selectors.sittings_opening_between(now, now + timedelta(minutes=15)):
        notify_sitting("exam.opening_15m", sitting)
        count += 1
    for sitting in selectors.sittings_opening_between(now + timedelta(minutes=15), now + timedelta(days=1)):
        notify_sitting("exam.opening_1d", sitting)
        count += 1
    return count


USES_OVERVIEW = {"weekly_team_digests", "monthly_summary", "teams_without_trainer"}
JOBS = {
    "certificate_expiry": certificate_expiry,
    "review_digests": review_digests,
    "stuck_trainees": stuck_trainees,
    "weekly_team_digests": weekly_team_digests,
    "monthly_summary": monthly_summary,
    "teams_without_trainer": teams_without_trainer,
    "bulk_jobs": bulk_jobs,
    "exam_openings": exam_openings,
}


def run_all(now: datetime | None = None) -> dict[str, int | str]:
    """Run every scheduled job; one failing does not stop the others (it is logged and reported)."""
    now = now or timezone.now()
    results: dict[str, int | str] = {}
    shared = functools.lru_cache(maxsize=1)(lambda: _overview(now))  # the overview is read once per run, if at all
    for name, job in JOBS.items():
        try:
            results[name] = job(now, overview=shared) if name in USES_OVERVIEW else job(now)
        except Exception as exc:
            log.exception("scheduled notifications: %s failed", name)
            results[name] = f"error: {exc}"
    return results
