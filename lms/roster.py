"""County rosters (花名册): read an XLSX or CSV file, check every row, then apply it in one transaction.

Columns (Chinese headers, as the counties send them): 姓名, 手机号 and/or 工号, 区县, 岗位, 邮箱.
A person is matched by mobile phone, else by employee number, so importing the same roster again updates
people instead of adding them twice. Trainees of a county in the file who are no longer listed have left:
they are deactivated, never deleted, so their certificates stay verifiable.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from .db import analyze_tables
from .models import CountyTeam, Membership, Role, User
from .names import validate_person_name
from .services import assign_role, record_audit

MAX_ROWS = 20000
# New people sign in after a password reset (or the bureau sets a password): no usable password until then.
UNUSABLE = "!roster-import"
MAX_BYTES = 5 * 1024 * 1024

# Accepted headers for each field; the first is the one in our template.
HEADERS = {
    "full_name": ("姓名", "name", "full name"),
    "phone": ("手机号", "手机", "手机号码", "phone", "mobile"),
    "employee_no": ("工号", "员工号", "employee no", "employee number"),
    "team": ("区县", "单位", "team", "county"),
    "title": ("岗位", "职务", "post", "title"),
    "email": ("邮箱", "电子邮箱", "email", "e-mail"),
}
PHONE_RE = re.compile(r"^1\d{10}$")
EMPLOYEE_NO_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class RosterFileError(Exception):
    """The file as a whole cannot be read (wrong type, no header, too big); the message is for the user."""


@dataclass
class RosterRow:
    """One line of the roster, as read, with what importing it would do."""

    line: int
    full_name: str = ""
    phone: str = ""
    employee_no: str = ""
    team_name: str = ""
    title: str = ""
    email: str = ""
    errors: list[str] = field(default_factory=list)
    action: str = ""  # create, update, unchanged, reactivate
    changes: list[str] = field(default_factory=list)
    team: CountyTeam | None = None
    user: User | None = None

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("line", "full_name", "phone", "employee_no", "team_name", "title", "email")}


@dataclass
class RosterPreview:
    """What applying the roster would do: rows with their errors or actions, and who would be deactivated."""

    rows: list[RosterRow]
    leaving: list[Membership]

    @property
    def errors(self) -> list[RosterRow]:
        return [r for r in self.rows if r.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.errors

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action and not r.errors)


def _clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # Excel stores a phone number typed as a number as 13907360000.0.
        value = int(value)
    return str(value).strip().replace("\u3000", " ").strip()


def _header_map(header: list[str]) -> dict[str, int]:
    lookup = {alias.lower(): key for key, aliases in HEADERS.items() for alias in aliases}
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = lookup.get(_clean(cell).lower().replace("（", "(").split("(")[0].strip())
        if key and key not in found:
            found[key] = index
    missing = []
    if "full_name" not in found:
        missing.append("姓名")
    if "team" not in found:
        missing.append("区县")
    if "phone" not in found and "employee_no" not in found:
        missing.append(_("手机号 or 工号"))
    if missing:
        raise RosterFileError(_("The header row lacks the column(s): %(columns)s.") % {"columns": "、".join(missing)})
    return found


def read_rows(content: bytes, filename: str) -> list[RosterRow]:
    """Parse an uploaded roster (XLSX or CSV in UTF-8 or GB18030) into rows; nothing is checked against the database yet."""
    if len(content) > MAX_BYTES:
        raise RosterFileError(_("The file is larger than 5 MB; split the roster by county."))
    name = filename.lower()
    if name.endswith(".xlsx"):
        table = _read_xlsx(content)
    elif name.endswith(".csv"):
        table = _read_csv(content)
    else:
        raise RosterFileError(_("Upload the roster as an .xlsx or .csv file."))
    table = [row for row in table if any(_clean(c) for c in row)]
    if not table:
        raise RosterFileError(_("The file is empty."))
    columns = _header_map(table[0])
    if len(table) - 1 > MAX_ROWS:
        raise RosterFileError(_("The roster has more than %(max)s rows.") % {"max": MAX_ROWS})
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {key: _clean(cells[index]) if index < len(cells) else "" for key, index in columns.items()}
        rows.append(
            RosterRow(
                line=number,
                full_name=values.get("full_name", ""),
                phone=values.get("phone", "").replace(" ", "").replace("-", ""),
                employee_no=values.get("employee_no", ""),
                team_name=values.get("team", ""),
                title=values.get("title", ""),
                email=values.get("email", ""),
            )
        )
    if not rows:
        raise RosterFileError(_("The file has a header row but no people."))
    return rows


def rows_from_dicts(data: list[dict]) -> list[RosterRow]:
    return [RosterRow(**item) for item in data]


def _read_xlsx(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        # openpyxl raises many kinds of errors for a file that is not a workbook; to the user they are one.
        raise RosterFileError(_("This file is not a readable Excel workbook (.xlsx)."))
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _read_csv(content: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RosterFileError(_("The CSV file is neither UTF-8 nor GB18030 text."))
    if "\x00" in text:
        raise RosterFileError(_("This file is not a CSV text file."))
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error as error:
        raise RosterFileError(_("The CSV file cannot be read: %(error)s") % {"error": error})


def preview(rows: list[RosterRow]) -> RosterPreview:
    """Check every row against the file and the database and say what applying would do. Writes nothing.

    Runs a constant number of queries: teams, people matched by phone or employee number, their memberships.
    """
    teams = list(CountyTeam.objects.filter(is_active=True))
    team_lookup = {t.name: t for t in teams} | {t.code.lower(): t for t in teams}
    phones = {r.phone for r in rows if r.phone}
    numbers = {r.employee_no for r in rows if r.employee_no}
    people = list(User.objects.filter(Q(phone__in=phones) | Q(employee_no__in=numbers)))
    by_phone = {u.phone: u for u in people if u.phone}
    by_number = {u.employee_no: u for u in people if u.employee_no}
    trainee_team = dict(
        Membership.objects.filter(user__in=people, role=Role.TRAINEE).values_list("user_id", "team_id")
    )
    staff_ids = set(
        Membership.objects.filter(user__in=people, role__in=[Role.TRAINER, Role.BUREAU_ADMIN]).values_list("user_id", flat=True)
    )
    title_of = dict(Membership.objects.filter(user__in=people, role=Role.TRAINEE).values_list("user_id", "title"))
    seen_phone: dict[str, int] = {}
    seen_number: dict[str, int] = {}
    seen_user: dict[int, int] = {}
    for row in rows:
        errors = row.errors = []
        if not row.full_name:
            errors.append(_("姓名 is empty."))
        elif len(row.full_name) > 100:
            errors.append(_("姓名 is longer than 100 characters."))
        else:
            try:
                validate_person_name(row.full_name)
            except ValidationError as error:
                errors.extend(error.messages)
        if not row.phone and not row.employee_no:
            errors.append(_("Give a 手机号 or a 工号 to identify the person."))
        if row.phone and not PHONE_RE.match(row.phone):
            errors.append(_("手机号 “%(value)s” is not an 11-digit mobile number.") % {"value": row.phone})
        if row.employee_no and not EMPLOYEE_NO_RE.match(row.employee_no):
            errors.append(_("工号 “%(value)s” may only hold letters, digits, - and _ (at most 32).") % {"value": row.employee_no})
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                errors.append(_("邮箱 “%(value)s” is not an e-mail address.") % {"value": row.email})
        if len(row.title) > 100:
            errors.append(_("岗位 is longer than 100 characters."))
        row.team = team_lookup.get(row.team_name) or team_lookup.get(row.team_name.lower())
        if not row.team_name:
            errors.append(_("区县 is empty."))
        elif row.team is None:
            errors.append(_("区县 “%(value)s” is not a county team; use its name as listed under People & teams.") % {"value": row.team_name})
        for value, seen, label in ((row.phone, seen_phone, "手机号"), (row.employee_no, seen_number, "工号")):
            if value and value in seen:
                errors.append(_("%(label)s %(value)s also appears on line %(line)s.") % {"label": label, "value": value, "line": seen[value]})
            elif value:
                seen[value] = row.line
        by_p = by_phone.get(row.phone) if row.phone else None
        by_n = by_number.get(row.employee_no) if row.employee_no else None
        if by_p and by_n and by_p.pk != by_n.pk:
            errors.append(
                _("手机号 belongs to %(a)s but 工号 belongs to %(b)s; correct one of them.") % {"a": by_p, "b": by_n}
            )
        row.user = by_p or by_n
        if row.user is not None:
            if row.user.pk in seen_user:
                errors.append(_("This person also appears on line %(line)s.") % {"line": seen_user[row.user.pk]})
            seen_user.setdefault(row.user.pk, row.line)
            if row.user.is_superuser or row.user.pk in staff_ids:
                errors.append(_("%(name)s is a bureau staff account; rosters only list county webmasters.") % {"name": row.user})
        if errors:
            continue
        if row.user is None:
            row.action = "create"
            continue
        user = row.user
        row.changes = []
        if user.full_name != row.full_name:
            row.changes.append(_("name %(old)s → %(new)s") % {"old": user.full_name or "—", "new": row.full_name})
        if row.phone and user.phone != row.phone:
            row.changes.append(_("phone %(old)s → %(new)s") % {"old": user.phone or "—", "new": row.phone})
        if row.employee_no and user.employee_no != row.employee_no:
            row.changes.append(_("employee no. %(old)s → %(new)s") % {"old": user.employee_no or "—", "new": row.employee_no})
        if row.email and user.email != row.email:
            row.changes.append(_("e-mail %(old)s → %(new)s") % {"old": user.email or "—", "new": row.email})
        if trainee_team.get(user.pk) != row.team.pk:
            row.changes.append(_("moves to %(team)s") % {"team": row.team})
        if title_of.get(user.pk, "") != row.title:
            row.changes.append(_("post %(old)s → %(new)s") % {"old": title_of.get(user.pk) or "—", "new": row.title or "—"})
        if not user.is_active:
            row.action = "reactivate"
        else:
            row.action = "update" if row.changes else "unchanged"
    listed = {r.user.pk for r in rows if r.user is not None}
    roster_teams = {r.team.pk for r in rows if r.team is not None}
    leaving = list(
        Membership.objects.filter(team_id__in=roster_teams, role=Role.TRAINEE, user__is_active=True)
        .exclude(user_id__in=listed)
        .select_related("user", "team")
        .order_by("team__sort_order", "user__full_name")
    )
    return RosterPreview(rows=rows, leaving=leaving)


def _usernames_for(rows: list[RosterRow]) -> list[str]:
    """A free username per new person (the phone, else emp-<number>), in one query for all of them."""
    bases = [row.phone or f"emp-{row.employee_no}".lower() for row in rows]
    taken = set(
        User.objects.filter(Q(username__in=bases) | Q(username__regex=r"^(1\d{10}|emp-.+)-\d+$")).values_list("username", flat=True)
    )
    names = []
    for base in bases:
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        names.append(candidate)
    return names


def _summary() -> dict[str, list[str]]:
    return {"created": [], "updated": [], "reactivated": [], "deactivated": []}


@dataclass
class RosterResult:
    created: int = 0
    updated: int = 0
    reactivated: int = 0
    unchanged: int = 0
    deactivated: int = 0


def apply_roster(*, rows: list[RosterRow], actor: User | None, source: str = "") -> RosterResult:
    """Apply a roster in one transaction: all rows or none.

    The rows are checked again here, under row locks on the people concerned, because the preview may be
    minutes old. New people get an unusable password (they sign in after a password reset or the bureau sets one).
    Raises `RosterFileError` if any row has an error, or if someone else added the same person meanwhile.
    """
    try:
        result = _apply(rows=rows, actor=actor, source=source)
    except (IntegrityError, ValidationError):
        # Another import (or an admin) created someone with the same phone or number after our check.
        raise RosterFileError(_("Someone changed these people while the roster was being applied; nothing was imported. Check the file again."))
    # The dashboards' queries are planned from table statistics: refresh them for what was just written
    # (after the commit, so the import's locks are not held meanwhile).
    transaction.on_commit(lambda: analyze_tables(User, Membership))
    return result


@transaction.atomic
def _apply(*, rows: list[RosterRow], actor: User | None, source: str) -> RosterResult:
    phones = [r.phone for r in rows if r.phone]
    numbers = [r.employee_no for r in rows if r.employee_no]
    list(User.objects.select_for_update().filter(Q(phone__in=phones) | Q(employee_no__in=numbers)).values_list("pk", flat=True))
    checked = preview(rows)
    if not checked.is_valid:
        raise RosterFileError(
            _("The roster has %(count)s row(s) with errors; nothing was imported.") % {"count": len(checked.errors)}
        )
    result = RosterResult()
    per_team: dict[CountyTeam, dict[str, list[str]]] = {}
    new_rows = [row for row in checked.rows if row.action == "create"]
    # New people in bulk: a county roster for the whole prefecture is thousands of rows.
    created = User.objects.bulk_create(
        [
            User(username=name, full_name=row.full_name, phone=row.phone, employee_no=row.employee_no, email=row.email, password=UNUSABLE)
            for row, name in zip(new_rows, _usernames_for(new_rows), strict=True)
        ],
        batch_size=1000,
    )
    created_ids = dict(User.objects.filter(username__in=[u.username for u in created]).values_list("username", "pk"))
    Membership.objects.bulk_create(
        [
            Membership(user_id=created_ids[user.username], team=row.team, role=Role.TRAINEE, title=row.title)
            for row, user in zip(new_rows, created, strict=True)
        ],
        batch_size=1000,
    )
    for row in new_rows:
        per_team.setdefault(row.team, _summary())["created"].append(row.full_name)
    result.created = len(new_rows)
    for row in checked.rows:
        if row.action == "create":
            continue
        if row.action == "unchanged":
            result.unchanged += 1
            continue
        summary = per_team.setdefault(row.team, _summary())
        user = row.user
        user.full_name = row.full_name
        user.phone = row.phone or user.phone
        user.employee_no = row.employee_no or user.employee_no
        user.email = row.email or user.email
        if row.action == "reactivate":
            user.is_active = True
            result.reactivated += 1
            summary["reactivated"].append(row.full_name)
        else:
            result.updated += 1
            summary["updated"].append(row.full_name)
        user.save(update_fields=["full_name", "phone", "employee_no", "email", "is_active"])
        # A move between counties goes through assign_role, which audits it.
        assign_role(user=user, role=Role.TRAINEE, team=row.team, title=row.title, actor=actor)
    for membership in checked.leaving:
        # Deactivated, not deleted: certificates they earned stay verifiable and on record.
        User.objects.filter(pk=membership.user_id).update(is_active=False)
        result.deactivated += 1
        per_team.setdefault(membership.team, _summary())["deactivated"].append(str(membership.user))
    for team, summary in per_team.items():
        if any(summary.values()):
            record_audit(actor=actor, action="roster.import", obj=team, team=team, after=summary, note=source[:200])
    return result
