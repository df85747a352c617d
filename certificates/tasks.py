"""Background tasks: thin wrappers that call services (run by `manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def process_completion(*, user_id: int, course_id: int) -> list[str]:
    """A course was completed: issue or renew what that completes, render the PDFs; returns the serials."""
    from .services import handle_completion

    return [certificate.serial for certificate in handle_completion(user_id=user_id, course_id=course_id)]


@task()
def run_bulk_job(*, job_id: int) -> int:
    """Plan a bulk issue/render job and queue its unfinished chunks, one task each, for any worker to
    take (a job started again resumes its chunks); returns how many chunks were queued."""
    from .jobs import plan_chunks
    from .models import BulkJob

    chunks = [chunk for chunk in plan_chunks(BulkJob.objects.get(pk=job_id)) if chunk.finished_at is None]
    for chunk in chunks:
        run_bulk_chunk.enqueue(chunk_id=chunk.pk)
    return len(chunks)


@task()
def run_bulk_chunk(*, chunk_id: int) -> int:
    """Process (or resume) one chunk of a bulk job; returns how many items it processed."""
    from .jobs import run_chunk

    return run_chunk(chunk_id=chunk_id)
