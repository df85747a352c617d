from django.core.management.base import BaseCommand

from quizzes.services import close_overdue_attempts


class Command(BaseCommand):
    help = "Submit and grade every quiz attempt whose time ran out (run it every few minutes from cron)."

    def handle(self, *args, **options):
        closed = close_overdue_attempts()
        self.stdout.write(f"{closed} overdue attempts submitted.")
