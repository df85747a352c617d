"""The pages and the admin: who may see and do what, and the bureau → webmaster journey with the test client."""

import pytest
from django.urls import reverse

from inspection import services
from inspection.models import InspectedSite, InspectionRun, Rectification
from tests.factories import CourseFactory, LessonFactory, UserFactory
from tests.inspection.sites import article, page


@pytest.fixture
def registered(defect_site, team, bureau_admin):
    return services.register_site(team=team, base_url=defect_site[1] + "/", actor=bureau_admin, allow_internal=True)


def test_journey_bureau_runs_webmaster_fixes_next_run_closes(
    client, defect_site, team, bureau_admin, trainee, catalogue, django_capture_on_commit_callbacks
):
    course = CourseFactory(parent=catalogue, title="网站后台管理")
    LessonFactory(parent=course, title="页面树与栏目设置")
    server, base = defect_site
    client.force_login(bureau_admin)
    response = client.post(
        reverse("inspection:register"), {"team": team.pk, "base_url": base + "/", "name": "汉寿县商务局", "allow_internal": "on"}
    )
    site = InspectedSite.objects.get()
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):  # the immediate task backend runs it on commit
        client.post(reverse("inspection:start_run", args=[site.pk]))
    run = InspectionRun.objects.get(site=site)
    assert run.state == "done"
    html = client.get(reverse("inspection:site", args=[site.pk])).content.decode()
    assert 'data-verdict="fail"' in html and "不合格" in html and 'data-rule="severe_error"' in html

    client.force_login(trainee)
    mine = client.get(reverse("inspection:my_items")).content.decode()
    assert "页面树与栏目设置" in mine and 'data-rule="blank_column"' in mine
    server.add("/zt/1.html", article("第二届常德汽博会", "2026-11-29"))
    server.add(
        "/zt/",
        page("专题专栏", '<ul class="list"><li><a href="/zt/1.html">第二届常德汽博会</a><span>2026-11-29</span></li></ul>'),
    )
    client.force_login(bureau_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("inspection:start_run", args=[site.pk]))
    assert Rectification.objects.get(url=base + "/zt/", rule="blank_column").closed_at is not None


@pytest.mark.parametrize("who", ["trainee", "trainer", "team_lead"])
def test_only_the_bureau_registers_and_runs(client, site, registered, who, request, team):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.post(reverse("inspection:start_run", args=[registered.pk])).status_code == 403
    assert client.post(reverse("inspection:register"), {"team": team.pk, "base_url": "https://example.org/"}).status_code == 403
    assert not InspectionRun.objects.exists()
    for name in ("inspectedsite", "expressionrule", "ruleweight", "sitecolumn"):
        assert client.get(f"/admin/snippets/inspection/{name}/").status_code in (302, 403)


def test_other_teams_cannot_see_a_site(client, registered, other_trainee):
    client.force_login(other_trainee)
    assert client.get(reverse("inspection:site", args=[registered.pk])).status_code == 403
    assert "汉寿" not in client.get(reverse("inspection:my_items")).content.decode()


def test_bureau_admin_reaches_the_admin(client, site, bureau_admin):
    client.force_login(bureau_admin)
    assert client.get("/admin/snippets/inspection/expressionrule/").status_code == 200
    assert client.get(reverse("inspection:overview")).status_code == 200


def test_register_refuses_private_and_bad_urls(client, bureau_admin, team):
    client.force_login(bureau_admin)
    response = client.post(reverse("inspection:register"), {"team": team.pk, "base_url": "http://192.168.1.10/"}, follow=True)
    assert "192.168.1.10" in response.content.decode()
    response = client.post(reverse("inspection:register"), {"team": team.pk, "base_url": "ftp://x.org/"}, follow=True)
    assert response.status_code == 200
    assert not InspectedSite.objects.exists()


def test_anonymous_is_sent_to_login(client, registered):
    assert client.get(reverse("inspection:overview")).status_code == 302
    assert client.get(reverse("inspection:site", args=[registered.pk])).status_code == 302
    assert UserFactory


def test_team_figures_for_the_overview_and_the_team_page(
    client, registered, team, other_trainee, team_lead, django_assert_num_queries
):
    from inspection.overview_columns import _figures, forget_figures
    from inspection.selectors import team_figures

    run = services.request_run(site=registered, today=__import__("datetime").date(2026, 11, 30), enqueue=False)
    services.execute_run(run_id=run.pk)
    with django_assert_num_queries(1):
        figures = team_figures(team_ids=[team.pk])
    assert figures[team.pk]["verdict"] == "fail" and figures[team.pk]["open_items"] == 20
    assert figures[team.pk]["score"] == float(InspectionRun.objects.get().score)
    forget_figures()
    assert _figures([team.pk], None)[team.pk]["days_open"] == 0
    client.force_login(team_lead)
    assert client.get(reverse("inspection:team", args=[team.code])).status_code == 200
    client.force_login(other_trainee)
    assert client.get(reverse("inspection:team", args=[team.code])).status_code == 403
    assert client.get(reverse("inspection:team", args=["nosuchteam"])).status_code == 404


def test_practice_page_without_area_says_so(client, site, trainee, django_capture_on_commit_callbacks):
    client.force_login(trainee)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("inspection:practice"))
    page = client.get(reverse("inspection:practice")).content.decode()
    assert "练习站点" in page or "practice site" in page


def test_my_items_page_has_its_heading(client, trainee):
    client.force_login(trainee)
    assert "<h1>整改事项</h1>" in client.get(reverse("inspection:my_items")).content.decode()


def test_the_admin_lists_sites_with_a_button_to_inspect_them(client, site, registered, bureau_admin):
    client.force_login(bureau_admin)
    html = client.get("/admin/snippets/inspection/inspectedsite/").content.decode()
    assert reverse("inspection:site", args=[registered.pk]) in html
