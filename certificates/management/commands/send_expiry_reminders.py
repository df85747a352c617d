"""Daily: e-mail holders whose certificates enter the 60- or 14-day window before expiry."""

from django.core.management.base import BaseCommand

from certificates.reminders import send_expiry_reminders


class Command(BaseCommand):
    help = "Send expiry reminder e-mails (once per window; safe to run as often as you like, e.g. daily from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run=False, **options):
        sent = send_expiry_reminders(dry_run=dry_run)
        for certificate in sent:
            self.stdout.write(f"{'would remind' if dry_run else 'reminded'}: {certificate.serial} {certificate.holder.email}")
        self.stdout.write(self.style.SUCCESS(f"{len(sent)} reminder(s){' (dry run)' if dry_run else ''}."))
