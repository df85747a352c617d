"""manage.py export_questions --category "后台管理" --format gift|xml|xlsx --out FILE"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quizzes.exporting import EXPORT_FORMATS, export_category
from quizzes.models import QuestionCategory


class Command(BaseCommand):
    help = "Export a question-bank category with its subcategories to GIFT, Moodle XML or the Excel template."

    def add_arguments(self, parser):
        parser.add_argument("--category", required=True, help="Category path, e.g. 后台管理/栏目设置")
        parser.add_argument("--format", dest="fmt", choices=EXPORT_FORMATS, required=True)
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args, category: str, fmt: str, out: Path, **options):
        found = QuestionCategory.objects.filter(path=category.strip().strip("/")).first()
        if found is None:
            raise CommandError(_("No question category “%(path)s”.") % {"path": category})
        result = export_category(category=found, fmt=fmt)
        try:
            out.write_bytes(result.content)
        except OSError as error:
            raise CommandError(_("Cannot write %(file)s: %(error)s") % {"file": out, "error": error.strerror})
        for name in result.skipped:
            self.stdout.write(f"  – {name}")
        for name, notes in result.notes.items():
            self.stdout.write(f"  ! {name}: {' '.join(notes)}")
        self.stdout.write(self.style.SUCCESS(_("%(n)d questions exported to %(file)s.") % {"n": result.exported, "file": out}))
