"""manage.py import_questions FILE [--format gift|aiken|xml|xlsx] --category "后台管理/栏目设置" [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from quizzes.importing import FORMAT_NAMES, ImportFileError, guess_format, import_questions, parse_file


class Command(BaseCommand):
    help = "Import questions from the Excel template, Moodle XML, GIFT or Aiken into a question-bank category (all or nothing: any question error stores nothing and exits non-zero; re-import updates)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", dest="fmt", choices=FORMAT_NAMES, help="Guessed from the file when omitted.")
        parser.add_argument("--category", required=True, help="Target category path, e.g. 后台管理/栏目设置")
        parser.add_argument("--dry-run", action="store_true", help="Report what would be imported, store nothing.")

    def handle(self, *args, file: Path, fmt: str | None, category: str, dry_run: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror})
        fmt = fmt or guess_format(data=data, filename=file.name)
        try:
            if dry_run:
                parsed = parse_file(data=data, fmt=fmt)
                questions, issues = parsed.questions, parsed.issues
            else:
                report = import_questions(data=data, fmt=fmt, category_path=category)
                questions, issues = report.questions, report.issues
        except ImportFileError as error:
            raise CommandError(error.message)
        errors = [issue for issue in issues if issue.blocking]
        if not errors:
            for question in questions:
                self.stdout.write(f"  ✓ {_('line')} {question.line}: [{question.qtype}] {question.name}")
        marks = {"skipped": "–", "note": "!"}
        for issue in issues:
            if not issue.blocking:
                self.stdout.write(f"  {marks.get(issue.kind, '?')} {issue.describe()}")
        if errors:
            # All or nothing: exit non-zero, every error on stderr with its line and question.
            raise CommandError("\n".join([
                ngettext("%(n)d question has an error; nothing of the file was imported:", "%(n)d questions have errors; nothing of the file was imported:",
                         len(errors)) % {"n": len(errors)},
                *(f"  ✗ {issue.describe()}" for issue in errors),
            ]))
        if dry_run:
            self.stdout.write(_("Dry run: %(n)d questions would be imported.") % {"n": len(questions)})
        else:
            self.stdout.write(self.style.SUCCESS(
                _("%(n)d questions imported into %(category)s (new: %(created)d, updated: %(updated)d, unchanged: %(unchanged)d).")
                % {"n": report.imported, "category": category, "created": report.created, "updated": report.updated, "unchanged": report.unchanged}
            ))
