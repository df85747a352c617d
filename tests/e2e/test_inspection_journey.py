"""Site inspection in a real browser: the bureau registers a loopback county site and inspects it, sees 不合格
with the deciding rule and the findings; the county webmaster sees 整改 items with lesson links, the blank
column is filled on the test site, and the next inspection closes that item."""

import time

import pytest

from tests.inspection.sites import article, build_defect_site
from tests.inspection.sites import page as site_page

from .conftest import login, shot

pytestmark = pytest.mark.e2e


@pytest.fixture
def county_site():
    site = build_defect_site()
    base = site.start()
    yield site, base
    site.stop()


def _inspect_and_wait(page, seconds: float = 120) -> None:
    page.get_by_role("button", name="立即检查").click()
    page.wait_for_load_state()
    before = page.locator("[data-verdict]").count()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page.reload()
        if page.locator("text=检查正在排队或进行中").count() == 0 and page.locator("[data-verdict]").count() >= max(1, before):
            return
        time.sleep(1.5)
    raise AssertionError("the inspection did not finish")


def test_bureau_inspects_webmaster_fixes_next_run_closes(page, county_site):
    server, base = county_site
    login(page, "bureau")
    page.goto(f"{page.base_url}/inspection/")
    page.select_option("select[name=team]", label="汉寿县")
    page.fill("input[name=name]", "汉寿县商务局（测试）")
    page.fill("input[name=base_url]", base + "/")
    page.check("input[name=allow_internal]")
    page.get_by_role("button", name="登记").click()
    page.wait_for_load_state()
    assert "汉寿县商务局（测试）" in page.locator("h1").inner_text()
    _inspect_and_wait(page)
    assert page.locator("[data-verdict]").first.inner_text() == "不合格"
    assert page.locator("strong[data-rule=severe_error]").count() == 1
    assert page.locator("#findings tr[data-rule=blank_column]").count() == 5
    shot(page, "inspection01-site")

    page.context.clear_cookies()
    login(page, "hanshou1")
    page.goto(f"{page.base_url}/inspection/my/")
    blank = page.locator("tr[data-rule=blank_column]", has_text="/zt/")
    assert blank.count() == 1
    assert blank.get_by_role("link", name="页面树与栏目设置").count() == 1
    shot(page, "inspection02-webmaster")

    server.add("/zt/1.html", article("第二届常德汽博会", "2026-11-29"))
    server.add(
        "/zt/",
        site_page("专题专栏", '<ul class="list"><li><a href="/zt/1.html">第二届常德汽博会</a><span>2026-11-29</span></li></ul>'),
    )
    page.context.clear_cookies()
    login(page, "bureau")
    page.goto(f"{page.base_url}/inspection/")
    page.get_by_role("link", name="汉寿县商务局（测试）").click()
    page.wait_for_load_state()
    _inspect_and_wait(page)
    page.context.clear_cookies()
    login(page, "hanshou1")
    page.goto(f"{page.base_url}/inspection/my/")
    assert page.locator("tr[data-rule=blank_column]", has_text="/zt/").count() == 0
    assert page.locator("tr[data-rule=blank_column]").count() == 4
    shot(page, "inspection03-closed")
