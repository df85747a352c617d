"""Roster import: files read for real (XLSX made with openpyxl, CSV in UTF-8 and GB18030), every row checked,
applied all-or-nothing, re-import updates, leavers deactivated with their certificates kept."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from lms import roster
from lms.models import AuditEvent, Membership, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "手机号", "工号", "区县", "岗位", "邮箱"]


def xlsx(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, header=HEADER, encoding="utf-8-sig") -> bytes:
    lines = [",".join(header)] + [",".join(str(c) for c in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def run(content, name="roster.xlsx", actor=None):
    rows = roster.read_rows(content, name)
    return roster.apply_roster(rows=rows, actor=actor, source=name)


def test_import_creates_people_in_their_teams(team, other_team, bureau_admin):
    # Excel stores a phone typed as a number as a float; it must come back as the same 11 digits.
    result = run(xlsx([["张伟", 13907360001, "", "汉寿县", "网站管理员", "zw@example.cn"], ["李娜", "", "E-01", "lixian", "信息员", ""]]), actor=bureau_admin)
    assert (result.created, result.updated, result.deactivated) == (2, 0, 0)
    zhang = User.objects.get(phone="13907360001")
    assert zhang.full_name == "张伟" and zhang.email == "zw@example.cn" and not zhang.has_usable_password()
    assert Membership.objects.get(user=zhang, role="trainee").team == team
    li = User.objects.get(employee_no="E-01")
    assert Membership.objects.get(user=li, role="trainee").team == other_team
    event = AuditEvent.objects.get(action="roster.import", team=team)
    assert event.actor == bureau_admin and event.after["created"] == ["张伟"]


def test_reimport_updates_and_never_duplicates(team, other_team):
    first = xlsx([["张伟", "13907360001", "", "汉寿县", "网站管理员", ""]])
    run(first)
    again = run(first)
    assert (again.created, again.unchanged) == (0, 1)
    moved = run(xlsx([["张伟（新）", "13907360001", "", "澧县", "信息员", ""]]))
    assert (moved.created, moved.updated) == (0, 1)
    assert User.objects.filter(phone="13907360001").count() == 1
    person = User.objects.get(phone="13907360001")
    membership = Membership.objects.get(user=person, role="trainee")
    assert (person.full_name, membership.team, membership.title) == ("张伟（新）", other_team, "信息员")


def test_people_who_left_are_deactivated_not_deleted_and_keep_certificates(team, other_team, programme_and_certificate):
    stays = UserFactory(role="trainee", team=team, phone="13907360001", full_name="留任")
    leaves, certificate = programme_and_certificate(team)
    elsewhere = UserFactory(role="trainee", team=other_team, full_name="别的县")
    preview = roster.preview(roster.read_rows(xlsx([["留任", "13907360001", "", "汉寿县", "", ""]]), "r.xlsx"))
    assert [m.user for m in preview.leaving] == [leaves]
    result = run(xlsx([["留任", "13907360001", "", "汉寿县", "", ""]]))
    assert result.deactivated == 1
    leaves.refresh_from_db(), stays.refresh_from_db(), elsewhere.refresh_from_db()
    assert not leaves.is_active and stays.is_active and elsewhere.is_active
    certificate.refresh_from_db()
    assert certificate.holder == leaves and certificate.status == "valid"
    # Coming back on a later roster reactivates the same account.
    back = run(xlsx([["留任", "13907360001", "", "汉寿县", "", ""], [leaves.full_name, leaves.phone, "", "汉寿县", "", ""]]))
    assert back.reactivated == 1
    leaves.refresh_from_db()
    assert leaves.is_active


@pytest.fixture
def programme_and_certificate(course):
    from tests.certificates.qualification.factories import CertificateFactory, ProgrammeFactory

    def make(team):
        person = UserFactory(role="trainee", team=team, phone="13907369999", full_name="已离职")
        programme = ProgrammeFactory(courses=[course])
        return person, CertificateFactory(holder=person, programme=programme, team=team)

    return make


def test_every_bad_row_is_reported_and_nothing_is_written(team):
    UserFactory(phone="13900000000", employee_no="X1")
    UserFactory(phone="13900000001", employee_no="X2")
    rows = roster.read_rows(
        xlsx([
            ["", "13907360001", "", "汉寿县", "", ""],
            ["王五", "", "", "汉寿县", "", ""],
            ["赵六", "1390736", "", "汉寿县", "", ""],
            ["钱七", "13907360002", "", "火星县", "", ""],
            ["孙八", "13907360003", "", "汉寿县", "", "not-an-email"],
            ["周九", "13907360003", "", "汉寿县", "", ""],
            ["吴十", "13900000000", "X2", "汉寿县", "", ""],
            ["正常", "13907360009", "", "汉寿县", "", ""],
        ]),
        "r.xlsx",
    )
    preview = roster.preview(rows)
    errors = {r.line: " ".join(r.errors) for r in preview.rows if r.errors}
    assert set(errors) == {2, 3, 4, 5, 6, 7, 8}
    assert "姓名为空" in errors[2]
    assert "手机号或工号" in errors[3]
    assert "11 位" in errors[4]
    assert "火星县" in errors[5]
    assert "邮箱" in errors[6]
    assert "第 6 行" in errors[7]
    assert "工号" in errors[8]
    before = (User.objects.count(), Membership.objects.count())
    with pytest.raises(roster.RosterFileError):
        roster.apply_roster(rows=rows, actor=None)
    assert (User.objects.count(), Membership.objects.count()) == before


def test_staff_accounts_cannot_be_put_on_a_roster(team, trainer):
    trainer.phone = "13907361111"
    trainer.save()
    preview = roster.preview(roster.read_rows(xlsx([["讲师", "13907361111", "", "汉寿县", "", ""]]), "r.xlsx"))
    assert "市局工作人员" in preview.rows[0].errors[0]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_in_the_encodings_counties_send(team, encoding):
    result = run(csv_bytes([["张伟", "13907360001", "", "汉寿县", "网站管理员", ""]], encoding=encoding), name="名单.csv")
    assert result.created == 1
    assert User.objects.get(phone="13907360001").full_name == "张伟"


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"%PDF-1.4 not a roster", "roster.pdf", ".xlsx 或 .csv"),
        (b"PK\x03\x04 broken zip", "roster.xlsx", "不是可读取的 Excel"),
        (b"", "roster.csv", "空"),
        ("姓名,岗位\r\n张伟,管理员\r\n".encode(), "roster.csv", "区县"),
        ("姓名,手机号,区县\r\n".encode(), "roster.csv", "没有人员"),
        (b"\xff\xfe\x00\x00binary\x00\x00", "roster.csv", "CSV"),
    ],
)
def test_unreadable_files_get_a_clear_message(content, name, message):
    with pytest.raises(roster.RosterFileError, match=message):
        roster.read_rows(content, name)


def test_command_dry_run_changes_nothing_then_imports(tmp_path, team):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx([["张伟", "13907360001", "", "汉寿县", "网站管理员", ""]]))
    out = io.StringIO()
    call_command("import_roster", str(path), "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue() and not User.objects.filter(phone="13907360001").exists()
    call_command("import_roster", str(path), stdout=out)
    assert User.objects.filter(phone="13907360001").exists()


def test_command_with_errors_fails_and_imports_nothing(tmp_path, team):
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes([["张伟", "123", "", "汉寿县", "", ""]]))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_roster", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert not User.objects.filter(full_name="张伟").exists()


def test_admin_page_previews_then_applies(client, site, bureau_admin, team):
    client.force_login(bureau_admin)
    url = "/admin/roster/import/"
    assert client.get(url).status_code == 200
    template = client.get(url + "?template=1")
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    upload = io.BytesIO(xlsx([["张伟", "13907360001", "", "汉寿县", "网站管理员", ""]]))
    upload.name = "汉寿县花名册.xlsx"
    preview = client.post(url, {"file": upload})
    assert preview.status_code == 200
    assert "张伟" in preview.content.decode() and "导入花名册" in preview.content.decode()
    assert not User.objects.filter(phone="13907360001").exists()
    applied = client.post(url, {"action": "apply"}, follow=True)
    assert applied.status_code == 200
    assert User.objects.filter(phone="13907360001").exists()
    # The stored upload is used once: applying again does nothing and says so.
    again = client.post(url, {"action": "apply"}, follow=True)
    assert "已失效" in again.content.decode()


def test_admin_page_shows_row_errors_without_an_apply_button(client, site, bureau_admin, team):
    client.force_login(bureau_admin)
    upload = io.BytesIO(csv_bytes([["张伟", "123", "", "汉寿县", "", ""]]))
    upload.name = "r.csv"
    body = client.post("/admin/roster/import/", {"file": upload}).content.decode()
    assert "11 位" in body and 'value="apply"' not in body


def test_admin_page_is_for_the_bureau_only(client, site, trainer):
    client.force_login(trainer)
    response = client.get("/admin/roster/import/")
    assert response.status_code in (302, 403)
    upload = io.BytesIO(csv_bytes([["张伟", "13907360001", "", "汉寿县", "", ""]]))
    upload.name = "r.csv"
    client.post("/admin/roster/import/", {"file": upload})
    client.post("/admin/roster/import/", {"action": "apply"})
    assert not User.objects.filter(phone="13907360001").exists()


def test_a_person_added_meanwhile_makes_the_import_fail_cleanly(team, monkeypatch):
    """The preview saw nobody with this phone; by the time of writing someone exists: a clear message, nothing half-written."""
    rows = roster.read_rows(xlsx([["张伟", "13907360001", "", "汉寿县", "", ""], ["李娜", "13907360002", "", "汉寿县", "", ""]]), "r.xlsx")
    real_preview = roster.preview

    def preview_then_race(checked_rows):
        result = real_preview(checked_rows)
        UserFactory(username="racer", phone="13907360002")
        return result

    monkeypatch.setattr(roster, "preview", preview_then_race)
    with pytest.raises(roster.RosterFileError, match="nothing was imported|未导入"):
        roster.apply_roster(rows=rows, actor=None)
    assert not User.objects.filter(phone="13907360001").exists()
    assert not User.objects.filter(username="racer").exists()


@pytest.mark.parametrize("name", ["../../../../x", "张/伟", "张\\伟", "..", "张\x07伟", "张\t伟"])
def test_names_with_path_characters_are_refused_per_row(team, name):
    # CSV: a worksheet cannot even hold some control characters, a CSV file can.
    rows = roster.read_rows(csv_bytes([[name, "13907360001", "", "汉寿县", "", ""], ["正常", "13907360002", "", "汉寿县", "", ""]]), "r.csv")
    preview = roster.preview(rows)
    errors = {r.line: " ".join(r.errors) for r in preview.rows if r.errors}
    assert set(errors) == {2}
    assert "姓名" in errors[2] and "不能包含" in errors[2]
    with pytest.raises(roster.RosterFileError):
        roster.apply_roster(rows=rows, actor=None)
    assert not User.objects.filter(phone__in=["13907360001", "13907360002"]).exists()
