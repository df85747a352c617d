"""Bulk issue and re-render, in chunks that each commit with the job's progress.

Resumable by construction: items are taken in primary-key order after `job.cursor`, and the cursor
moves in the same transaction as the item's work. A crash loses at most the item in flight, which
the next run redoes; issuing is idempotent per holder and serials come from the locked counter, so
there are neither duplicates nor gaps.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from lms.models import CountyTeam, Membership, Role, User
from lms.services import record_audit

from . import pdf, selectors, services
from .models import BulkJob, Certificate, CertificateStatus, Programme

Progress = Callable[[BulkJob], None]


def issue_candidates(*, programme: Programme, team: CountyTeam | None = None) -> list[int]:
    """Trainees (of `team`) who completed the programme and never had its certificate, in pk order."""
    trainees = Membership.objects.filter(role=Role.TRAINEE, user__is_active=True)
    if team is not None:
        trainees = trainees.filter(team=team)
    trainee_ids = set(trainees.values_list("user_id", flat=True))
    done = selectors.completed_holder_ids(programme=programme, holder_ids=trainee_ids)
    had = set(Certificate.objects.filter(programme=programme, holder_id__in=done).values_list("holder_id", flat=True))
    return sorted(done - had)


def render_candidates(*, programme: Programme | None = None, since: datetime | None = None):
    """Live certificates without a PDF, or (with `since`) whose PDF was rendered before `since`."""
    rows = Certificate.objects.filter(status=CertificateStatus.VALID)
    if programme is not None:
        rows = rows.filter(programme=programme)
    if since is not None:
        from django.db.models import Q

        rows = rows.filter(Q(rendered_at__isnull=True) | Q(rendered_at__lt=since))
    else:
        rows = rows.filter(sha256="")
    return rows.order_by("pk")


@transaction.atomic
def create_job(
    *,
    kind: str,
    actor: User | None,
    programme: Programme | None = None,
    team: CountyTeam | None = None,
    since: datetime | None = None,
) -> BulkJob:
    job = BulkJob.objects.create(kind=kind, programme=programme, team=team, since=since, created_by=actor)
    record_audit(
        actor=actor,
        action=f"certificate.bulk_{kind}",
        obj=job,
        team=team,
        after={"programme": programme.slug if programme else None},
    )
    return job


def start_job(job: BulkJob) -> None:
    """Queue the job for the task worker once the row that describes it is committed."""
    from .tasks import run_bulk_job

    transaction.on_commit(lambda: run_bulk_job.enqueue(job_id=job.pk))


def run_job(*, job_id: int, progress: Progress | None = None, limit: int | None = None) -> BulkJob:
    """Process the job from its cursor. `limit` stops after that many items (used to test resuming)."""
    job = BulkJob.objects.select_related("programme", "team").get(pk=job_id)
    if job.state == BulkJob.State.DONE:
        return job
    job.state, job.error = BulkJob.State.RUNNING, ""
    if job.kind == BulkJob.Kind.ISSUE:
        remaining = [pk for pk in issue_candidates(programme=job.programme, team=job.team) if pk > job.cursor]
    else:
        remaining = list(
            render_candidates(programme=job.programme, since=job.since).filter(pk__gt=job.cursor).values_list("pk", flat=True)
        )
    job.total = job.done + len(remaining)
    job.save(update_fields=["state", "error", "total"])
    renderer = pdf.renderer()
    try:
        for count, pk in enumerate(remaining):
            if limit is not None and count >= limit:
                return job
            _process(job, pk, renderer)
            if progress:
                progress(job)
    except Exception as exc:
        BulkJob.objects.filter(pk=job.pk).update(state=BulkJob.State.FAILED, error=str(exc)[:2000])
        raise
    job.state, job.finished_at = BulkJob.State.DONE, timezone.now()
    job.save(update_fields=["state", "finished_at"])
    return job


def _process(job: BulkJob, pk: int, renderer: pdf.CertificateRenderer) -> None:
    if job.kind == BulkJob.Kind.ISSUE:
        with transaction.atomic():
            certificate = services.issue_certificate(
                holder=User.objects.get(pk=pk), programme=job.programme, actor=job.created_by
            )
            _advance(job, pk, changed=certificate is not None)
        if certificate is not None:
            # Rendering is outside the issue transaction: a crash here leaves a certificate without a
            # PDF, which `render_certificates` (or the holder's download) picks up.
            services.render_certificate(certificate=certificate, renderer=renderer)
    else:
        certificate = Certificate.objects.select_related("programme", "team").get(pk=pk)
        services.render_certificate(certificate=certificate, renderer=renderer, actor=job.created_by)
        with transaction.atomic():
            _advance(job, pk, changed=True)


def _advance(job: BulkJob, pk: int, *, changed: bool) -> None:
    job.cursor, job.done = pk, job.done + 1
    job.changed += int(changed)
    BulkJob.objects.filter(pk=job.pk).update(cursor=job.cursor, done=job.done, changed=job.changed)
