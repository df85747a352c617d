"""Visit every registered site's home page once (cron, at least 20 times a day: the availability rule)."""

from django.core.management.base import BaseCommand

from inspection.models import InspectedSite
from inspection.services import probe_site


class Command(BaseCommand):
    help = "Probe the availability of every active registered site once."

    def handle(self, *args, **options):
        for site in InspectedSite.objects.filter(is_active=True):
            probe = probe_site(site=site)
            self.stdout.write(f"{site.name}: {'ok' if probe.ok else 'FAIL'} {probe.elapsed:.2f}s {probe.detail}")
