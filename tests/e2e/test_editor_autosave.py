"""The Wagtail editor's background autosave creates a new page; publishing while that first autosave is still
on its way (a busy server) must publish that page, not try to create it a second time.

The first autosave is held in the browser until the trainee has clicked 发布, then let through ahead of
anything else, as it would arrive on a busy server. Screenshot: s01."""

from __future__ import annotations

import re

import pytest

from .conftest import django_shell, login, shot

pytestmark = pytest.mark.e2e

TRAINEE = "shimen9"  # a fresh trainee in 石门县
TITLE = "常德汽博会专题"


def test_publishing_during_the_first_autosave_creates_the_page_once(page, server_env):
    enrolled = django_shell(server_env, "enrolled_trainee", username=TRAINEE, full_name="邓子涵", team_code="shimen")
    topic_task = next(task for task in enrolled["tasks"] if task["kind"] == "topic_page")
    login(page, TRAINEE)
    page.goto(f"{page.base_url}/hands-on/tasks/{topic_task['id']}/")
    href = page.get_by_role("link", name="在后台打开我的练习站点").get_attribute("href")
    area_id = int(re.search(r"/admin/pages/(\d+)/", href).group(1))

    held, submitted = [], []

    def hold_first_autosave(route):
        request = route.request
        if request.method != "POST":
            return route.continue_()
        if "application/json" in (request.headers.get("accept") or ""):  # an autosave
            if not held and not submitted:
                held.append(route)
                return None
            return route.continue_()
        submitted.append(request.url)  # the editor's own submission (发布)
        while held:  # the autosave gets to the server first, as on a busy server
            waiting = held.pop()
            waiting.fulfill(response=waiting.fetch())
        return route.continue_()

    page.route("**/admin/pages/**", hold_first_autosave)
    # The editor starts watching for edits (and so autosaving) two seconds after it opens, as a person would type.
    page.add_init_script("document.addEventListener('w-unsaved:watch-edits', () => { window.editsWatched = true; })")
    page.goto(f"{page.base_url}/admin/pages/add/quizzes/topicpage/{area_id}/")
    page.wait_for_function("() => window.editsWatched === true")
    page.fill("#id_title", TITLE)
    page.fill("#id_lead", "第二届常德汽车博览会专题：展会动态、精彩图片和参展指南。")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the editor autosaved the new page"

    page.locator("footer [data-w-dropdown-target='toggle']").click()
    page.locator("footer").get_by_role("button", name="发布").click()
    page.wait_for_timeout(1500)  # a submission that does not wait for the autosave goes out now
    if held:
        held.pop().continue_()
    try:
        page.wait_for_url(lambda url: "/add/" not in url and "/edit/" not in url, timeout=30_000)
    finally:
        shot(page, "s01-published-during-autosave")
    page.unroute("**/admin/pages/**")

    topics = django_shell(server_env, "practice_results", username=TRAINEE)["topics"]
    assert topics == [{"title": TITLE, "live": True, "slug": "chang-de-qi-bo-hui-zhuan-ti"}]
