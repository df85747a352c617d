"""`manage.py generate_scale_data --teams 1000 --trainees 10000 --attempts 200000`: bulk data for measuring."""

from django.core.management.base import BaseCommand, CommandError

from certificates.qualification.scale import generate


class Command(BaseCommand):
    help = "Add many teams, trainees, enrolments, certificates (and quiz attempts) with bulk inserts, for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--teams", type=int, default=100)
        parser.add_argument("--trainees", type=int, default=1000)
        parser.add_argument("--attempts", type=int, default=0, help="quiz attempts to add (needs the quiz engine)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed, for repeatable data")
        parser.add_argument(
            "--no-analyze", action="store_true", help="leave PostgreSQL's table statistics stale (to measure the dashboards that way)"
        )

    def handle(self, *args, teams, trainees, attempts, seed, no_analyze, **options):
        if teams < 1 or trainees < 0 or attempts < 0:
            raise CommandError("--teams must be at least 1; --trainees and --attempts cannot be negative.")
        generate(teams=teams, trainees=trainees, attempts=attempts, seed=seed, log=self.stdout.write, analyze=not no_analyze)
