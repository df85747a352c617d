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
