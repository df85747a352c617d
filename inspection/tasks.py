"""Background tasks (run by `manage.py db_worker` on any host): thin wrappers around services."""

from __future__ import annotations

from django_tasks import task


@task()
def run_inspection(*, run_id: int) -> str:
    """Inspect one site (a run re-queued after its worker died is taken again); returns the verdict."""
    from .services import execute_run

    run = execute_run(run_id=run_id)
    return run.verdict or run.state if run else "skipped"
