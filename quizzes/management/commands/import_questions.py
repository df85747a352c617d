"""manage.py import_questions FILE --format gift|aiken --category "后台管理/栏目设置" """

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quizzes.importing import ImportFileError, import_questions


class Command(BaseCommand):
    help = "Import questions from a GIFT or Aiken file into a question-bank category (all good questions, in one transaction)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", dest="fmt", choices=["gift", "aiken"], required=True)
        parser.add_argument("--category", required=True, help="Target category path, e.g. 后台管理/栏目设置")
        parser.add_argument("--dry-run", action="store_true", help="Report what would be imported, store nothing.")

    def handle(self, *args, file: Path, fmt: str, category: str, dry_run: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror})
        try:
            if dry_run:
                from quizzes.importing import parse_file

                parsed = parse_file(data=data, fmt=fmt)
                questions, issues, imported = parsed.questions, parsed.issues, 0
            else:
                report = import_questions(data=data, fmt=fmt, category_path=category)
                questions, issues, imported = report.questions, report.issues, report.imported
        except ImportFileError as error:
            raise CommandError(error.message)
        for question in questions:
            self.stdout.write(f"  ✓ {_('line')} {question.line}: [{question.qtype}] {question.name}")
        for issue in issues:
            mark = "–" if issue.kind == "skipped" else "✗"
            self.stdout.write(f"  {mark} {_('line')} {issue.line}: {issue.name} — {issue.message}")
        if dry_run:
            self.stdout.write(_("Dry run: %(n)d questions would be imported.") % {"n": len(questions)})
        else:
            self.stdout.write(self.style.SUCCESS(_("%(n)d questions imported into %(category)s.") % {"n": imported, "category": category}))
