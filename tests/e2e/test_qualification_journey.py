"""The bureau and a county lead look at team qualification in a real browser."""

import io

import pytest
from openpyxl import load_workbook

from .conftest import axe_violations, login, shot

pytestmark = pytest.mark.e2e


def test_bureau_overview_sort_team_page_and_excel(page):
    login(page, "bureau")
    page.get_by_role("link", name="团队持证情况").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "团队持证情况"
    assert page.locator(".q-table tbody tr").count() == 11
    shot(page, "q01-overview")
    page.get_by_role("link", name="成员").click()
    page.wait_for_load_state()
    assert "sort=members" in page.url
    page.locator(".q-table tbody a", has_text="汉寿县").click()
    page.wait_for_load_state()
    assert "汉寿县" in page.locator("h1").inner_text()
    assert page.locator("text=谁卡在哪一步").count() == 1
    shot(page, "q02-team")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    assert book.sheetnames == ["成员名单", "课程进度"]


def test_team_lead_lands_on_their_own_team_only(page):
    login(page, "lead-hanshou")
    page.get_by_role("link", name="团队持证情况").first.click()
    page.wait_for_load_state()
    assert "/qualification/teams/hanshou/" in page.url
    response = page.goto(f"{page.base_url}/qualification/teams/lixian/")
    assert response.status == 404


@pytest.mark.parametrize("path", ["/qualification/", "/qualification/teams/wuling/", "/qualification/commendation/"])
def test_qualification_pages_have_no_serious_accessibility_violations(page, path):
    login(page, "bureau")
    page.goto(page.base_url + path)
    assert axe_violations(page) == []
