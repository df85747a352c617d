"""Background work: the automatic check of a submission (thin; the service does the work)."""

from django_tasks import task

from . import services


@task()
def check_submission(submission_id: int) -> str:
    return services.run_check(submission_id=submission_id)
