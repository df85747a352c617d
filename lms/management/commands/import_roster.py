"""Import a county roster (XLSX or CSV): `manage.py import_roster FILE [--dry-run]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lms import roster


class Command(BaseCommand):
    help = "Import a county roster (columns 姓名, 手机号/工号, 区县, 岗位, 邮箱). Re-importing updates; people no longer listed are deactivated."

    def add_arguments(self, parser):
        parser.add_argument("file", help="roster .xlsx or .csv")
        parser.add_argument("--dry-run", action="store_true", help="show what would change, change nothing")

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            rows = roster.read_rows(path.read_bytes(), path.name)
            checked = roster.preview(rows)
        except roster.RosterFileError as error:
            raise CommandError(str(error))
        for row in checked.rows:
            if row.errors:
                self.stderr.write(f"  line {row.line}: {row.full_name or '—'}: " + " ".join(row.errors))
            elif row.action != "unchanged":
                detail = "; ".join(str(c) for c in row.changes)
                self.stdout.write(f"  line {row.line}: {row.action} {row.full_name} ({row.team}) {detail}".rstrip())
        for membership in checked.leaving:
            self.stdout.write(f"  deactivate {membership.user} ({membership.team}): no longer on the roster")
        summary = (
            f"{len(checked.rows)} rows: {checked.count('create')} new, {checked.count('update')} updated, "
            f"{checked.count('reactivate')} back, {checked.count('unchanged')} unchanged, "
            f"{len(checked.leaving)} to deactivate, {len(checked.errors)} with errors"
        )
        if checked.errors:
            raise CommandError(f"{summary}. Nothing was imported: fix the rows above and run again.")
        if dry_run:
            self.stdout.write(f"{summary}. Dry run: nothing changed.")
            return
        result = roster.apply_roster(rows=checked.rows, actor=None, source=f"import_roster {path.name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {path.name}: {result.created} new, {result.updated} updated, {result.reactivated} back, "
                f"{result.unchanged} unchanged, {result.deactivated} deactivated."
            )
        )
