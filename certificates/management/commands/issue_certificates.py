"""Issue a programme's certificates to everyone who completed it (resumable, idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from certificates import jobs
from certificates.models import BulkJob, Programme
from lms.models import CountyTeam

from ._progress import bar


class Command(BaseCommand):
    help = "Issue certificates of a programme to every trainee who completed its courses and has none yet."

    def add_arguments(self, parser):
        parser.add_argument("--programme", required=True, help="programme slug")
        parser.add_argument("--team", help="county team code, e.g. hanshou")
        parser.add_argument("--dry-run", action="store_true", help="list who would get a certificate; change nothing")
        parser.add_argument("--resume", type=int, metavar="JOB_ID", help="continue an interrupted job")

    def handle(self, *args, programme, team=None, dry_run=False, resume=None, **options):
        programme_obj = Programme.objects.filter(slug=programme).first()
        if programme_obj is None:
            raise CommandError(f"No programme with slug “{programme}”.")
        team_obj = None
        if team:
            team_obj = CountyTeam.objects.filter(code=team).first()
            if team_obj is None:
                raise CommandError(f"No county team with code “{team}”.")
        if dry_run:
            from lms.models import User

            ids = jobs.issue_candidates(programme=programme_obj, team=team_obj)
            for user in User.objects.filter(pk__in=ids).order_by("pk"):
                self.stdout.write(f"would issue: {user.get_full_name()} ({user.username})")
            self.stdout.write(f"{len(ids)} certificate(s) would be issued.")
            return
        if resume:
            job = BulkJob.objects.filter(pk=resume, kind=BulkJob.Kind.ISSUE).first()
            if job is None:
                raise CommandError(f"No issue job #{resume}.")
        else:
            job = jobs.create_job(kind=BulkJob.Kind.ISSUE, actor=None, programme=programme_obj, team=team_obj)
        job = jobs.run_job(job_id=job.pk, progress=lambda j: bar(self.stdout, j.done, j.total))
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Job #{job.pk}: {job.changed} issued, {job.done} processed."))
