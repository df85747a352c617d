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


def test_team_members_table_scrolls_to_its_last_column_with_names_in_view(page):
    """Every course, quiz and task is a column: the table scrolls sideways inside its card, the heading stays,
    the name column stays in view, and the last column (最近学习) can be brought fully into view."""
    page.set_viewport_size({"width": 900, "height": 900})
    login(page, "bureau")
    page.goto(f"{page.base_url}/qualification/teams/hanshou/")
    scroller = page.locator(".q-table-scroll")
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth"), "the table fits: nothing to check"
    scroller.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    box, last = scroller.bounding_box(), page.locator("table.q-members thead th").last.bounding_box()
    assert box["x"] <= last["x"] and last["x"] + last["width"] <= box["x"] + box["width"] + 1
    name = page.locator("table.q-members tbody tr td").first.bounding_box()
    assert box["x"] <= name["x"] < box["x"] + 10, "the name column scrolled away"
    assert page.locator("#members-heading").is_visible()
    shot(page, "q03-team-members-scrolled")
