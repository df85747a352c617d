"""Exports read back: XLSX with openpyxl (sheets, Chinese headers, frozen header row, widths), CSV with a BOM."""

import csv
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.factories import UserFactory

from .factories import CertificateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(programme, course, team, other_team, make_trainees, complete):
    people = make_trainees(team, 3)
    CertificateFactory(holder=people[0], programme=programme, team=team, expires_in=20)
    CertificateFactory(holder=people[1], programme=programme, team=team)
    complete(people[0], course)
    # A name Excel would run as a formula if written raw.
    UserFactory(role="trainee", team=other_team, full_name="=HYPERLINK(\"http://evil\")")
    return people


def test_overview_xlsx(client, bureau_admin, data, team):
    client.force_login(bureau_admin)
    response = client.get("/qualification/export.xlsx?programme=webmaster")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["各团队", "排名", "月度发证"]
    sheet = book["各团队"]
    headers = [c.value for c in sheet[1]]
    assert headers[:6] == ["排名", "区县团队", "代码", "成员", "持证人数", "持证率（%）"]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == 16
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["汉寿县"][3:8] == (3, 2, 66.7, 1, 0)
    assert rows["澧县"][3:6] == (1, 0, 0.0)
    assert len(list(book["月度发证"].iter_rows(min_row=2))) == 12


def test_overview_csv_has_bom_and_chinese_headers(client, bureau_admin, data):
    client.force_login(bureau_admin)
    response = client.get("/qualification/export.csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][1] == "区县团队"
    assert {r[1] for r in rows[1:]} == {"汉寿县", "澧县"}


def test_team_exports_neutralise_formulas(client, bureau_admin, data, other_team):
    client.force_login(bureau_admin)
    book = load_workbook(io.BytesIO(client.get(f"/qualification/teams/{other_team.code}/export.xlsx").content))
    assert book.sheetnames == ["成员名单", "课程进度"]
    cell = book["成员名单"]["A2"]
    assert cell.value == '=HYPERLINK("http://evil")' and cell.data_type == "s"
    text = client.get(f"/qualification/teams/{other_team.code}/export.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_team_xlsx_lists_members_and_course_states(client, bureau_admin, data, team, course):
    client.force_login(bureau_admin)
    book = load_workbook(io.BytesIO(client.get(f"/qualification/teams/{team.code}/export.xlsx").content))
    members = list(book["成员名单"].iter_rows(values_only=True))
    assert members[0][:4] == ("姓名", "用户名", "岗位", "证书")
    assert len(members) == 4
    progress = list(book["课程进度"].iter_rows(values_only=True))
    assert progress[0] == ("姓名", course.title)
    states = sorted(r[1] for r in progress[1:])
    assert states[0].startswith("已完成") and states[1:] == ["未报名", "未报名"]


def test_export_command_writes_the_file(tmp_path, data, programme):
    out = tmp_path / "report.xlsx"
    call_command("export_qualification", programme="webmaster", format="xlsx", out=str(out), stdout=io.StringIO())
    assert load_workbook(out).sheetnames == ["各团队", "排名", "月度发证"]
    out_csv = tmp_path / "report.csv"
    call_command("export_qualification", programme="webmaster", format="csv", out=str(out_csv), stdout=io.StringIO())
    assert out_csv.read_bytes().startswith(b"\xef\xbb\xbf")


def test_export_command_refuses_unknown_programme_and_leaves_no_file(tmp_path, data):
    from django.core.management.base import CommandError

    out = tmp_path / "x.xlsx"
    with pytest.raises(CommandError, match="nope"):
        call_command("export_qualification", programme="nope", format="xlsx", out=str(out))
    assert not out.exists()
