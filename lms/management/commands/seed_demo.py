"""Load the demo data: people and teams, courses, and whatever each app adds in its `demo.py`."""

import logging
from contextlib import contextmanager, nullcontext
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand

from lms.indexing import index_updates_in_bulk, queued_task_count

# Demo modules that live below an app package, run right after that app's own demo.
EXTRA_DEMOS = {"quizzes": ["quizzes.practical.demo"], "certificates": ["certificates.qualification.demo"]}


@contextmanager
def _quiet_wagtail():
    """Wagtail logs every page created, edited and published at INFO: some 500 lines for the demo, which would
    bury the summary `make run` prints. Each demo module writes one line instead."""
    logger = logging.getLogger("wagtail")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


class Command(BaseCommand):
    help = "Create demo teams, people, courses and the rest (idempotent: safe to run again)."

    def handle(self, *args, **options):
        # -v 2 shows Wagtail's own line for every page again.
        quiet = _quiet_wagtail() if options["verbosity"] < 2 else nullcontext()
        # Wagtail's index updates are done once per object at the end, not queued per save: the task
        # queue holds only real work (certificates to issue) when the server starts.
        with quiet, index_updates_in_bulk():
            self._seed()
        waiting = queued_task_count()
        if waiting is not None:
            self.stdout.write(f"Background tasks waiting: {waiting}")
        self.stdout.write(self.style.SUCCESS("Demo data ready. Logins are listed in README.md."))

    def _seed(self):
        # Apps seed in INSTALLED_APPS order, so each app's demo can rely on the ones it depends on.
        for config in apps.get_app_configs():
            if not config.name.startswith(("lms", "courses", "quizzes", "certificates", "exams")):
                continue
            for module_name in [f"{config.name}.demo", *EXTRA_DEMOS.get(config.name, [])]:
                if find_spec(module_name) is None:
                    continue
                import_module(module_name).seed(stdout=self.stdout)
