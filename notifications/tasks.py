"""Background tasks: thin wrappers around `delivery` (run by `manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_due() -> int:
    """Claim and send due deliveries until none is left; returns how many were handled."""
    from .delivery import deliver_due as run

    return run()
