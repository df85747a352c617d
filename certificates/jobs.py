"""Bulk issue and re-render, split into chunks that any task worker can take.

A job's items (holders to issue to, certificates to render) are listed once, in primary-key order, and
cut into `BulkJobChunk`s; `run_bulk_job` queues one task per chunk, so two workers share one job.
Resumable by construction: a chunk's cursor and the job's counters move in the same transaction as
the item's work. A crash loses at most the item in flight, which the next run redoes; issuing is
idempotent per holder and serials come from the locked counter, so there are neither duplicates nor
gaps, however many workers run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lms.models import CountyTeam, Membership, Role, User
from lms.services import record_audit

from . import pdf, selectors, services
from .models import BulkJob, BulkJobChunk, Certificate, CertificateStatus, Programme

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
    """Queue the job for the task workers once the row that describes it is committed."""
    from .tasks import run_bulk_job

    transaction.on_commit(lambda: run_bulk_job.enqueue(job_id=job.pk))


def chunk_size() -> int:
    # Small enough that two workers finish a 500-certificate job together, large enough that the
    # per-chunk overhead (a task, a plan) stays negligible.
    return max(1, int(getattr(settings, "CERTIFICATE_JOB_CHUNK_SIZE", 20)))


def plan_chunks(job: BulkJob) -> list[BulkJobChunk]:
    """Split the job's items into chunks, once: a job planned before keeps its chunks (resuming).

    The job row is locked while planning, so two workers starting the same job plan it once.
    """
    with transaction.atomic():
        job = BulkJob.objects.select_for_update(of=("self",)).select_related("programme", "team").get(pk=job.pk)
        chunks = list(job.chunks.order_by("number"))
        if chunks or job.state == BulkJob.State.DONE:
            return chunks
        if job.kind == BulkJob.Kind.ISSUE:
            items = [pk for pk in issue_candidates(programme=job.programme, team=job.team) if pk > job.cursor]
        else:
            items = list(render_candidates(programme=job.programme, since=job.since).filter(pk__gt=job.cursor).values_list("pk", flat=True))
        size = chunk_size()
        chunks = BulkJobChunk.objects.bulk_create(
            [BulkJobChunk(job=job, number=n, items=items[start : start + size]) for n, start in enumerate(range(0, len(items), size))]
        )
        BulkJob.objects.filter(pk=job.pk).update(state=BulkJob.State.RUNNING, error="", total=job.done + len(items))
    if not chunks:
        _finish_if_complete(job.pk)
    return chunks


def run_job(*, job_id: int, progress: Progress | None = None, limit: int | None = None) -> BulkJob:
    """Plan the job if needed and process its unfinished chunks here, in order (the commands, and a
    resume). `limit` stops after that many items (used to test resuming)."""
    job = BulkJob.objects.get(pk=job_id)
    if job.state == BulkJob.State.DONE:
        return job
    chunks = plan_chunks(job)
    BulkJob.objects.filter(pk=job_id).exclude(state=BulkJob.State.DONE).update(state=BulkJob.State.RUNNING, error="")
    processed = 0
    for chunk in chunks:
        if chunk.finished_at is not None:
            continue
        left = None if limit is None else limit - processed
        if left is not None and left <= 0:
            break
        processed += run_chunk(chunk_id=chunk.pk, progress=progress, limit=left)
    return BulkJob.objects.get(pk=job_id)


def run_chunk(*, chunk_id: int, progress: Progress | None = None, limit: int | None = None) -> int:
    """Process one chunk from its cursor; returns how many items it processed now. Any worker may run
    any chunk, even one another worker ran before crashing: it resumes after the last committed item."""
    chunk = BulkJobChunk.objects.select_related("job__programme", "job__team", "job__created_by").get(pk=chunk_id)
    job = chunk.job
    if chunk.finished_at is not None:
        return 0
    renderer = pdf.renderer()
    remaining = [pk for pk in chunk.items if pk > chunk.cursor]
    count = 0
    try:
        for pk in remaining:
            if limit is not None and count >= limit:
                return count
            _process(job, chunk, pk, renderer)
            count += 1
            if progress:
                job.refresh_from_db(fields=["done", "total", "changed", "state"])
                progress(job)
    except Exception as exc:
        BulkJob.objects.filter(pk=job.pk).update(state=BulkJob.State.FAILED, error=str(exc)[:2000])
        raise
    BulkJobChunk.objects.filter(pk=chunk.pk).update(finished_at=timezone.now())
    _finish_if_complete(job.pk)
    return count


def _finish_if_complete(job_id: int) -> None:
    # Each chunk checks after committing its own end, so the last one to finish sees every chunk done;
    # the conditional UPDATE marks the job done once even when two finish at the same moment.
    if not BulkJobChunk.objects.filter(job_id=job_id, finished_at__isnull=True).exists():
        BulkJob.objects.filter(pk=job_id).exclude(state=BulkJob.State.DONE).update(
            state=BulkJob.State.DONE, error="", finished_at=timezone.now()
        )


def _claim(chunk: BulkJobChunk, pk: int) -> bool:
    """Lock the chunk; False when `pk` was already done (another run of this chunk got there first)."""
    cursor = BulkJobChunk.objects.select_for_update().filter(pk=chunk.pk).values_list("cursor", flat=True).get()
    return pk > cursor


def _process(job: BulkJob, chunk: BulkJobChunk, pk: int, renderer: pdf.CertificateRenderer) -> None:
    if job.kind == BulkJob.Kind.ISSUE:
        with transaction.atomic():
            if not _claim(chunk, pk):
                return
            certificate = services.issue_certificate(
                holder=User.objects.get(pk=pk), programme=job.programme, actor=job.created_by
            )
            _advance(job, chunk, pk, changed=certificate is not None)
        if certificate is not None:
            # Rendering is outside the issue transaction: a crash here leaves a certificate without a
            # PDF, which `render_certificates` (or the holder's download) picks up.
            services.render_certificate(certificate=certificate, renderer=renderer)
    else:
        certificate = Certificate.objects.select_related("programme", "team").get(pk=pk)
        services.render_certificate(certificate=certificate, renderer=renderer, actor=job.created_by)
        with transaction.atomic():
            if _claim(chunk, pk):
                _advance(job, chunk, pk, changed=True)


def _advance(job: BulkJob, chunk: BulkJobChunk, pk: int, *, changed: bool) -> None:
    chunk.cursor = pk
    BulkJobChunk.objects.filter(pk=chunk.pk).update(cursor=pk)
    # F() expressions: several workers advance the same job at once.
    BulkJob.objects.filter(pk=job.pk).update(done=F("done") + 1, changed=F("changed") + int(changed))
