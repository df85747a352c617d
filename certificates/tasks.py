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
    """Run (or resume) a bulk issue/render job; returns how many items it processed in total."""
    from .jobs import run_job

    return run_job(job_id=job_id).done
