from django.core.management.base import BaseCommand

from courses.setup import ensure_academy_site
from quizzes.practical.practice import sync_practice_supervision


class Command(BaseCommand):
    help = "Create the home page, the course catalogue and the trainer / bureau admin groups (idempotent)."

    def handle(self, *args, **options):
        home, catalogue = ensure_academy_site()
        # Practice areas are granted to their team's supervising trainers (earlier versions granted every area to
        # every trainer): re-derived here, so running this after an upgrade puts the rights right.
        areas = sync_practice_supervision()
        self.stdout.write(self.style.SUCCESS(f"Site ready: {home.title} → {catalogue.url_path} ({areas} practice areas)"))
