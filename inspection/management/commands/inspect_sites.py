"""Inspect every registered site (for cron, daily): queue a run per site for the task workers, re-queue runs
whose worker died, or run them here with --inline; prints progress."""

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from inspection.models import InspectedSite, InspectionRun
from inspection.services import execute_run, request_run, stale_runs


class Command(BaseCommand):
    help = "Inspect every active registered site."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="reference date YYYY-MM-DD")
        parser.add_argument("--inline", action="store_true", help="run here instead of queuing for the workers")
        parser.add_argument(
            "--parallel",
            type=int,
            default=1,
            help="sites inspected at once with --inline (different hosts; use >1 on PostgreSQL)",
        )
        parser.add_argument("--wait", action="store_true", help="queue, then print progress until every run is finished")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError:
            raise CommandError(f"--today must be YYYY-MM-DD, not {options['today']!r}")
        inline = options["inline"]
        runs = [request_run(site=site, today=today, enqueue=not inline) for site in InspectedSite.objects.filter(is_active=True)]
        if not inline:
            from inspection.tasks import run_inspection

            for run in stale_runs():
                run_inspection.enqueue(run_id=run.pk)
        total = len(runs)
        self.stdout.write(f"{total} sites")
        if inline:
            done = 0

            def work(run_id):
                try:
                    return execute_run(run_id=run_id)
                finally:
                    close_old_connections()

            ids = [run.pk for run in runs]
            if options["parallel"] <= 1:
                results = (execute_run(run_id=run_id) for run_id in ids)
            else:
                # Each thread has its own database connection (PostgreSQL in production).
                results = ThreadPoolExecutor(max_workers=options["parallel"]).map(work, ids)
            for run in results:
                done += 1
                if run is not None:
                    self.stdout.write(
                        f"[{done}/{total}] {run.site.name}: {run.verdict or run.state} {run.score or ''} {run.error[:80]}"
                    )
        elif options["wait"]:
            ids = [run.pk for run in runs]
            while True:
                finished = InspectionRun.objects.filter(pk__in=ids, state__in=["done", "failed"]).count()
                self.stdout.write(f"{finished}/{total} finished")
                if finished >= total:
                    break
                time.sleep(5)
