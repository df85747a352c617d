"""A trainer authors in the real Wagtail admin."""

import pytest

from .conftest import login, shot

pytestmark = pytest.mark.e2e


def test_trainer_adds_and_publishes_a_lesson(page):
    login(page, "trainer1")
    page.goto(f"{page.base_url}/admin/pages/")
    shot(page, "b01-admin-pages")
    # The catalogue → 网站后台管理 course → add a lesson.
    course_id = page.evaluate(
        "async () => { const r = await fetch('/api/v1/courses/'); const j = await r.json();"
        " return j.results.find(c => c.slug === 'backoffice').id; }"
    )
    page.goto(f"{page.base_url}/admin/pages/{course_id}/")
    shot(page, "b02-course-in-admin")
    page.goto(f"{page.base_url}/admin/pages/add/courses/lessonpage/{course_id}/")
    page.fill("#id_title", "网站栏目巡检")
    page.fill("#id_intro", "学完本课，你能每天检查栏目是否有空白。")
    shot(page, "b03-new-lesson")
    page.locator("button.dropdown-toggle, [data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name="发布").click()
    page.wait_for_load_state()
    shot(page, "b04-published")
    page.goto(f"{page.base_url}/courses/backoffice/")
    assert "网站栏目巡检" in page.content()


SELECT_LOOK = """() => [...document.querySelectorAll('main select')].map(s => {
  const style = getComputedStyle(s);
  return {name: s.name, appearance: style.appearance, height: s.getBoundingClientRect().height,
          radius: parseFloat(style.borderTopLeftRadius), font: parseFloat(style.fontSize)};
})"""


@pytest.mark.parametrize(("user", "path"), [("trainer1", "/hands-on/review/"), ("bureau", "/manage/certificates/")])
def test_filter_and_review_selects_are_styled_like_the_other_controls(page, user, path):
    """Native selects were drawn tiny (about 20 px high, 13 px text) beside 40 px buttons."""
    login(page, user)
    page.goto(f"{page.base_url}{path}")
    if path == "/hands-on/review/":
        page.locator("table.table tbody a.button").first.click()
        page.wait_for_load_state()
    looks = page.evaluate(SELECT_LOOK)
    assert looks, "no select on the page"
    for look in looks:
        assert look["appearance"] == "none" and look["height"] >= 34 and look["radius"] >= 4 and look["font"] >= 14, look
    shot(page, f"b10-selects-{user}")
