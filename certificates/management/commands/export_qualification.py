"""`manage.py export_qualification --programme SLUG --format xlsx|csv --out FILE [--team CODE]`."""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from certificates.qualification import exports, selectors
from lms.models import CountyTeam


class Command(BaseCommand):
    help = "Export the team qualification overview (or one team's detail) as XLSX or CSV with Chinese headers."

    def add_arguments(self, parser):
        parser.add_argument("--programme", help="programme slug (default: the first active programme)")
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--out", required=True, help="file to write")
        parser.add_argument("--team", help="a team code: export that team's members instead of the overview")

    def handle(self, *args, programme=None, format="xlsx", out, team=None, **options):
        found = selectors.programmes().filter(slug=programme).first() if programme else selectors.default_programme()
        if found is None:
            raise CommandError(f"No active programme {programme!r}." if programme else "No active programme yet.")
        with translation.override("zh-hans"):
            if team:
                county = CountyTeam.objects.filter(code=team).first()
                if county is None:
                    raise CommandError(f"No county team with code {team!r}.")
                sheets = exports.team_sheets(selectors.team_detail(team=county, programme=found))
            else:
                sheets = exports.overview_sheets(selectors.qualification_overview(programme=found, teams=CountyTeam.objects.all()))
            content = exports.to_csv(sheets[0]) if format == "csv" else exports.to_xlsx(sheets)
        target = Path(out)
        # Write beside the target and rename: a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stdout.write(f"Wrote {target} ({len(content)} bytes, {found.name}).")
