"""Load the demo data: people and teams, courses, and whatever each app adds in its `demo.py`."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create demo teams, people, courses and the rest (idempotent: safe to run again)."

    def handle(self, *args, **options):
        # Apps seed in INSTALLED_APPS order, so each app's demo can rely on the ones it depends on.
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if not config.name.startswith(("lms", "courses", "quizzes", "certificates")) or find_spec(module_name) is None:
                continue
            self.stdout.write(f"Seeding {config.label} …")
            import_module(module_name).seed(stdout=self.stdout)
        # The team dashboards' demo progress builds on the certificates seeded above.
        import_module("certificates.qualification.demo").seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Logins are listed in README.md."))
