"""IDOR matrix: every object-level page and endpoint, asked for by each role of team A about an object
of team B, answers 403/404 (or a redirect to sign in) and never shows B's data."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from certificates import services as certificate_services
from lms.services import set_supervision
from quizzes import services as quiz_services
from quizzes.practical.services import submit_work
from tests.certificates.factories import ProgrammeFactory
from tests.factories import TeamFactory, UserFactory
from tests.quizzes.factories import question, quiz
from tests.quizzes.practical.factories import TaskFactory

pytestmark = pytest.mark.django_db

SECRET_NAME = "乙队秘密学员"


@pytest.fixture
def world(course, bureau_admin):
    team_a = TeamFactory(name="甲县", code="jia")
    team_b = TeamFactory(name="乙县", code="yi")
    viewers = {
        "trainee of A": UserFactory(role="trainee", team=team_a),
        "team lead of A": UserFactory(role="team_lead", team=team_a),
        "trainer of A": UserFactory(role="trainer"),
    }
    set_supervision(trainer=viewers["trainer of A"], teams=[team_a])
    victim = UserFactory(role="trainee", team=team_b, full_name=SECRET_NAME)

    item = question()
    attempt = quiz_services.start_attempt(quiz=quiz([item], is_published=True), user=victim)
    quiz_services.submit_attempt(attempt=attempt, user=victim, answers={})
    task = TaskFactory(kind="reviewed", spec={}, accept_text=True, accept_file=True, title="安全自查报告")
    report = SimpleUploadedFile("report.txt", f"{SECRET_NAME}的自查报告".encode(), content_type="text/plain")
    submission = submit_work(task=task, user=victim, upload=report, text=f"{SECRET_NAME}的自查报告")
    certificate = certificate_services.issue_certificate(
        holder=victim, programme=ProgrammeFactory(courses=[course]), actor=bureau_admin, manual=True
    )
    urls = [
        f"/people/{victim.pk}/progress/",
        f"/api/v1/people/{victim.pk}/progress/",
        f"/quizzes/attempts/{attempt.pk}/",
        f"/quizzes/attempts/{attempt.pk}/result/",
        f"/api/v1/attempts/{attempt.pk}/",
        f"/api/v1/attempts/{attempt.pk}/result/",
        f"/hands-on/submissions/{submission.pk}/status/",
        f"/hands-on/submissions/{submission.pk}/file/",
        f"/hands-on/review/{submission.pk}/",
        f"/api/v1/practical/my/submissions/{submission.pk}/",
        f"/certificates/{certificate.pk}/pdf/",
        f"/certificates/{certificate.pk}/openbadge.json",
        f"/manage/certificates/{certificate.pk}/",
        f"/manage/certificates/teams/{team_b.code}/zip/",
        f"/qualification/teams/{team_b.code}/",
        f"/qualification/teams/{team_b.code}/export.xlsx",
        f"/qualification/teams/{team_b.code}/export.csv",
        f"/api/v1/teams/{team_b.code}/qualification/",
    ]
    posts = [
        (f"/hands-on/review/{submission.pk}/", {"decision": "accept", "feedback": "好"}),
        (f"/api/v1/practical/review/submissions/{submission.pk}/decision/", {"decision": "accept", "feedback": "好"}),
        (f"/manage/certificates/{certificate.pk}/revoke/", {"reason": "测试"}),
        (f"/api/v1/attempts/{attempt.pk}/submit/", {}),
    ]
    return {"viewers": viewers, "victim": victim, "bureau": bureau_admin, "urls": urls, "posts": posts, "submission": submission, "certificate": certificate}


REFUSED = {302, 403, 404, 405}


@pytest.mark.parametrize("role", ["trainee of A", "team lead of A", "trainer of A"])
def test_no_role_of_team_a_reads_team_b(world, role):
    client = Client()
    client.force_login(world["viewers"][role])
    leaks = []
    for url in world["urls"]:
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
        if response.status_code not in REFUSED or SECRET_NAME.encode() in body:
            leaks.append((url, response.status_code))
    assert leaks == []


@pytest.mark.parametrize("role", ["trainee of A", "team lead of A", "trainer of A"])
def test_no_role_of_team_a_changes_team_b(world, role):
    client = Client()
    client.force_login(world["viewers"][role])
    for url, data in world["posts"]:
        assert client.post(url, data).status_code in REFUSED, url
    world["submission"].refresh_from_db()
    world["certificate"].refresh_from_db()
    assert world["submission"].reviewer_id is None
    assert world["certificate"].status == "valid"


def test_anonymous_gets_nothing(world):
    client = Client()
    for url in world["urls"]:
        response = client.get(url)
        assert response.status_code in REFUSED | {401}, url
        assert SECRET_NAME.encode() not in (b"".join(response) if response.streaming else response.content)


def test_every_url_of_the_matrix_is_real(world):
    """The control: each URL answers 200 to the person it belongs to or to the bureau, so the refusals above
    are refusals and not mistyped addresses."""
    owner, bureau = Client(), Client()
    owner.force_login(world["victim"])
    bureau.force_login(world["bureau"])
    # A submitted attempt's page sends its owner on to the result (302): the address is real.
    dead = [url for url in world["urls"] if not {200, 302} & {owner.get(url).status_code, bureau.get(url).status_code}]
    assert dead == []


@pytest.fixture
def admin_world(world, course):
    """Team B's trainee has an enrolment and a practice site; the trainer of A has the same in team A as a control."""
    from courses.services import enroll
    from quizzes.models import PracticeIndexPage
    from quizzes.practical.practice import ensure_practice_area

    victim = world["victim"]
    own = UserFactory(role="trainee", team=world["viewers"]["trainee of A"].memberships.get().team, full_name="甲队学员")
    enrolment_b, enrolment_a = enroll(user=victim, course=course), enroll(user=own, course=course)
    area_b, area_a = ensure_practice_area(user=victim), ensure_practice_area(user=own)
    section_b = area_b.get_children().first()
    index = PracticeIndexPage.objects.get()
    e = f"/admin/snippets/courses/enrollment/{{}}/{enrolment_b.pk}/"
    listings = [
        "/admin/snippets/courses/enrollment/",
        "/admin/snippets/courses/enrollment/results/",
        "/admin/snippets/courses/enrollment/?q=秘密",
        "/admin/snippets/choose/courses/enrollment/",
        "/admin/snippets/choose/courses/enrollment/results/",
        f"/admin/snippets/choose/courses/enrollment/chosen-multiple/?id={enrolment_b.pk}",
        f"/admin/pages/{index.pk}/",
        "/admin/pages/search/?q=秘密",
        "/admin/pages/search/results/?q=秘密",
        f"/admin/choose-page/{index.pk}/",
        "/admin/choose-page/search/?q=秘密",
        "/admin/reports/site-history/",
        "/admin/reports/locked/",
        "/admin/reports/aging-pages/",
        "/admin/users/",
    ]
    # B's own objects: refused outright (403/404, or a redirect away from them).
    objects = [
        *(e.format(view) for view in ("edit", "delete", "usage", "history", "history-results", "copy")),
        f"/admin/snippets/choose/courses/enrollment/chosen/{enrolment_b.pk}/",
        f"/admin/pages/{area_b.pk}/",
        *(f"/admin/pages/{page.pk}/{view}/" for page in (area_b, section_b) for view in ("edit", "delete", "history", "revisions", "copy", "move", "unpublish", "add_subpage")),
        f"/admin/pages/{area_b.pk}/edit/preview/",
        f"/admin/users/{victim.pk}/",
        f"/admin/users/{victim.pk}/delete/",
    ]
    return {**world, "admin_listings": listings, "admin_objects": objects, "enrolment_a": enrolment_a, "area_a": area_a, "area_b": area_b, "section_b": section_b}


def test_trainer_of_a_sees_nothing_of_team_b_in_the_admin(admin_world):
    """Listings, search, choosers, reports and their people filters leave B out; B's objects are refused."""
    client = Client()
    client.force_login(admin_world["viewers"]["trainer of A"])
    leaks = []
    for url in admin_world["admin_listings"]:
        response = client.get(url)
        if response.status_code not in REFUSED | {200} or SECRET_NAME.encode() in response.content:
            leaks.append((url, response.status_code))
    for url in admin_world["admin_objects"]:
        response = client.get(url)
        refused = response.status_code in {403, 404} or (
            response.status_code == 302 and response["Location"].split("?")[0] != url.split("?")[0]
        )
        if not refused or SECRET_NAME.encode() in response.content:
            leaks.append((url, response.status_code))
    assert leaks == []


def test_trainer_of_a_cannot_change_team_b_in_the_admin(admin_world):
    client = Client()
    client.force_login(admin_world["viewers"]["trainer of A"])
    section = admin_world["section_b"]
    client.post(f"/admin/pages/{section.pk}/edit/", {"title": "改掉", "slug": section.slug, "action-publish": "1"})
    client.post(f"/admin/pages/{section.pk}/delete/")
    client.post(f"/admin/pages/{section.pk}/unpublish/")
    enrolment_b = admin_world["victim"].enrollments.get()
    client.post(f"/admin/snippets/courses/enrollment/delete/{enrolment_b.pk}/")
    section.refresh_from_db()
    assert section.title != "改掉" and section.live
    assert admin_world["victim"].enrollments.filter(pk=enrolment_b.pk).exists()


def test_the_admin_matrix_addresses_are_real(admin_world):
    """The control: the trainer of A lists and edits their own team's objects, the bureau sees B's."""
    trainer, bureau = Client(), Client()
    trainer.force_login(admin_world["viewers"]["trainer of A"])
    bureau.force_login(admin_world["bureau"])
    assert "甲队学员" in trainer.get("/admin/snippets/courses/enrollment/").content.decode()
    area_a = admin_world["area_a"]
    assert trainer.get(f"/admin/pages/{area_a.get_children().first().pk}/edit/").status_code == 200
    assert "甲队学员" in trainer.get(f"/admin/pages/{area_a.get_parent().pk}/").content.decode()
    assert SECRET_NAME in bureau.get("/admin/snippets/courses/enrollment/").content.decode()
    assert bureau.get(f"/admin/pages/{admin_world['section_b'].pk}/edit/").status_code == 200
