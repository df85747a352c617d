"""Inspect one site without registering it; write the verdict, score and findings as JSON."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from inspection.crawler import SiteUnavailable
from inspection.services import inspect_url


class Command(BaseCommand):
    help = "Inspect one site against the checklist (without registering it) and print or write the result as JSON."

    def add_arguments(self, parser):
        parser.add_argument("url")
        parser.add_argument("--today", help="reference date YYYY-MM-DD (reproducible results)")
        parser.add_argument("--allow-internal", action="store_true", help="allow private/loopback addresses")
        parser.add_argument("--ignore-robots", action="store_true", help="for the bureau's own sites only")
        parser.add_argument("--json", dest="json_file", help="write the JSON report to this file")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else date.today()
        except ValueError:
            raise CommandError(f"--today must be YYYY-MM-DD, not {options['today']!r}")
        try:
            report = inspect_url(
                options["url"], today=today, allow_internal=options["allow_internal"], respect_robots=not options["ignore_robots"]
            )
        except SiteUnavailable as unavailable:
            raise CommandError(str(unavailable))
        text = json.dumps(report, ensure_ascii=False, indent=2)
        if options["json_file"]:
            with open(options["json_file"], "w", encoding="utf-8") as out:
                out.write(text)
        else:
            self.stdout.write(text)
        verdict = "合格" if report["verdict"] == "pass" else "不合格"
        self.stderr.write(f"{verdict} {report['deciding_rule']} {report['score']} ({len(report['findings'])} findings)")
