"""Compute the invitations of every sitting whose opening time has come (from cron, every minute).

Pages and the API open a sitting lazily on first access too; this makes the `sitting_opened` signal
(notifications) go out on time even when nobody has looked yet."""

from django.core.management.base import BaseCommand

from exams.services import open_due_sittings


class Command(BaseCommand):
    help = "Open due exam sittings: invitations from the roster, once per sitting."

    def handle(self, *args, **options):
        self.stdout.write(f"{open_due_sittings()} sittings opened")
