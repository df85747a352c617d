"""Scheduled notifications, for cron every few minutes: expiry windows, digests, summaries, stuck trainees,
teams without a trainer, finished bulk jobs, exam openings; then deliver whatever is due (retries, deliveries
whose worker died). Idempotent per period: running it twice sends nothing twice."""

from django.core.management.base import BaseCommand
from django.utils.dateparse import parse_datetime

from notifications.delivery import deliver_due
from notifications.scheduled import run_all


class Command(BaseCommand):
    help = "Create the scheduled notifications that are due and deliver what is waiting (run from cron every 5 minutes)."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="Pretend it is this time (ISO 8601, for trying a digest out).")
        parser.add_argument(
            "--no-deliver", action="store_true", help="Only create the notifications; leave sending to the workers."
        )

    def handle(self, *args, now=None, no_deliver=False, **options):
        moment = parse_datetime(now) if now else None
        if now and moment is None:
            self.stderr.write(f"--now: not a date and time: {now}")
            raise SystemExit(2)
        for name, result in run_all(moment).items():
            self.stdout.write(f"{name}: {result}")
        if not no_deliver:
            self.stdout.write(f"delivered: {deliver_due()}")
