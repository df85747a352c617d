"""(Re-)render certificate PDFs: those without one, or those rendered before --since."""

from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from certificates import jobs
from certificates.models import BulkJob, Programme

from ._progress import bar


class Command(BaseCommand):
    help = "Render the PDFs of live certificates that have none (or, with --since, were rendered before DATE)."

    def add_arguments(self, parser):
        parser.add_argument("--programme", help="programme slug")
        parser.add_argument("--since", help="re-render PDFs rendered before this date (YYYY-MM-DD), e.g. after a template change")
        parser.add_argument("--resume", type=int, metavar="JOB_ID", help="continue an interrupted job")

    def handle(self, *args, programme=None, since=None, resume=None, **options):
        programme_obj = None
        if programme:
            programme_obj = Programme.objects.filter(slug=programme).first()
            if programme_obj is None:
                raise CommandError(f"No programme with slug “{programme}”.")
        since_dt = None
        if since:
            try:
                since_dt = timezone.make_aware(datetime.combine(datetime.strptime(since, "%Y-%m-%d").date(), time.min))
            except ValueError:
                raise CommandError(f"--since must be a date like 2026-11-25, not “{since}”.") from None
        if resume:
            job = BulkJob.objects.filter(pk=resume, kind=BulkJob.Kind.RENDER).first()
            if job is None:
                raise CommandError(f"No render job #{resume}.")
        else:
            job = jobs.create_job(kind=BulkJob.Kind.RENDER, actor=None, programme=programme_obj, since=since_dt)
        job = jobs.run_job(job_id=job.pk, progress=lambda j: bar(self.stdout, j.done, j.total))
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Job #{job.pk}: {job.done} PDF(s) rendered."))
