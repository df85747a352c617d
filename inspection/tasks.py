"""Background tasks (run by `manage.py db_worker` on any host): thin wrappers around services."""

from __future__ import annotations

from django_tasks import task


@task()
def run_inspection(*, run_id: int) -> str:
    """Inspect one site (a run re-queued after its worker died is taken again); returns the verdict."""
    from .services import execute_run

    run = execute_run(run_id=run_id)
    return run.verdict or run.state if run else "skipped"


@task()
def run_practice_inspection(*, user_id: int) -> str:
    """Inspect a trainee's practice site (in a worker: the academy must answer the crawler's requests)."""
    from .practice import run_and_store

    report = run_and_store(user_id=user_id)
    return report.get("verdict", "error")
