from django.core.management.base import BaseCommand

from courses.setup import ensure_academy_site


class Command(BaseCommand):
    help = "Create the home page, the course catalogue and the trainer / bureau admin groups (idempotent)."

    def handle(self, *args, **options):
        home, catalogue = ensure_academy_site()
        self.stdout.write(self.style.SUCCESS(f"Site ready: {home.title} → {catalogue.url_path}"))
