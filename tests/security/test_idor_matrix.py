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
