"""Expiry states, renewal (refresher course, re-passed assessment), reminder e-mails, selectors."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from certificates import renewal, selectors, services
from certificates.models import Certificate, CertificateStatus, DisplayStatus
from certificates.reminders import send_expiry_reminders
from lms import progress
from tests.factories import CourseFactory, LessonFactory, UserFactory

from .conftest import complete_course

pytestmark = pytest.mark.django_db


def _issue(holder, programme, *, days_ago):
    return services.issue_certificate(
        holder=holder, programme=programme, manual=True, now=timezone.now() - timedelta(days=days_ago)
    )


@pytest.mark.parametrize(
    ("days_ago", "expected"),
    [
        (0, DisplayStatus.VALID),
        (24 * 30 - 100, DisplayStatus.VALID),
        (24 * 30 - 30, DisplayStatus.EXPIRING),
        (24 * 31, DisplayStatus.EXPIRED),
    ],
)
def test_display_status_follows_the_expiry_date(trainee, programme, days_ago, expected):
    certificate = _issue(trainee, programme, days_ago=days_ago)
    assert certificate.display_status() == expected
    assert Certificate.objects.filter(selectors.status_q(expected)).get() == certificate


def test_no_expiry_when_the_programme_has_no_validity(trainee, programme):
    programme.validity_months = None
    programme.save()
    certificate = _issue(trainee, programme, days_ago=4000)
    assert certificate.expires_at is None and certificate.display_status() == DisplayStatus.VALID


def test_add_months_keeps_the_day_or_takes_the_months_last():
    from datetime import datetime

    assert services.add_months(datetime(2026, 1, 31), 1) == datetime(2026, 2, 28)
    assert services.add_months(datetime(2024, 2, 29), 24) == datetime(2026, 2, 28)
    assert services.add_months(datetime(2026, 11, 25), 24) == datetime(2028, 11, 25)


@pytest.fixture
def refresher(catalogue, programme):
    course = CourseFactory(parent=catalogue, title="网站管理员复训")
    LessonFactory(parent=course, title="复训第1课")
    programme.refresher_courses.add(course)
    programme.save()  # a ParentalManyToManyField is written on save
    return course


def test_completing_the_refresher_course_renews_an_expiring_certificate(
    trainee, programme, refresher, django_capture_on_commit_callbacks
):
    old = _issue(trainee, programme, days_ago=24 * 30 - 20)
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(trainee, refresher)
    old.refresh_from_db()
    renewed = Certificate.objects.get(status=CertificateStatus.VALID)
    assert old.status == CertificateStatus.SUPERSEDED
    assert renewed.renewed_from == old and renewed.serial != old.serial and renewed.sha256
    assert renewed.display_status() == DisplayStatus.VALID
    assert selectors.successor_of(old) == renewed


def test_refresher_does_nothing_for_a_certificate_far_from_expiry(
    trainee, programme, refresher, django_capture_on_commit_callbacks
):
    current = _issue(trainee, programme, days_ago=10)
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(trainee, refresher)
    assert list(Certificate.objects.all()) == [current]


def test_revoked_certificate_cannot_be_renewed(trainee, programme, bureau_admin):
    old = _issue(trainee, programme, days_ago=24 * 31)
    services.revoke_certificate(certificate=old, actor=bureau_admin, reason="x")
    assert services.renew_if_due(holder=trainee, programme=programme, reason="r") is None
    with pytest.raises(services.CertificateError):
        services.renew_certificate(certificate=old, reason="r")


def test_assessment_renewal_seam(trainee, programme, course):
    """The quiz engine reports a passed attempt with progress_changed(user, source=attempt); a resolver
    registered by certificates maps that source to the programmes it renews."""
    expired = _issue(trainee, programme, days_ago=24 * 31)
    from courses.models import Enrollment
    from courses.services import enroll

    passed_attempt = enroll(user=trainee, course=course)  # any model instance stands for the source

    def resolver(*, user, source):
        return [programme] if isinstance(source, Enrollment) and source.user_id == user.pk else []

    renewal.register_renewal_resolver(resolver)
    try:
        progress.progress_changed(trainee, source=passed_attempt)
        progress.progress_changed(trainee, source=passed_attempt)  # twice: renewed once
    finally:
        renewal.unregister_renewal_resolver(resolver)
    expired.refresh_from_db()
    assert expired.status == CertificateStatus.SUPERSEDED
    renewed = Certificate.objects.get(status=CertificateStatus.VALID)
    assert renewed.renewed_from == expired and renewed.sha256
    progress.progress_changed(trainee, source=passed_attempt)  # resolver gone: nothing happens
    assert Certificate.objects.count() == 2


def test_reminders_are_sent_once_per_window(team, programme, settings):
    holder = UserFactory(role="trainee", team=team, email="liming@example.cn")
    certificate = _issue(holder, programme, days_ago=24 * 30 - 50)  # ~50 days left: in the 60-day window
    silent = _issue(UserFactory(role="trainee", team=team, email="far@example.cn"), programme, days_ago=10)
    sent = send_expiry_reminders()
    assert [c.pk for c in sent] == [certificate.pk]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["liming@example.cn"]
    assert programme.name in mail.outbox[0].subject and certificate.serial in mail.outbox[0].body
    assert send_expiry_reminders() == [] and len(mail.outbox) == 1
    later = certificate.expires_at - timedelta(days=10)  # the 14-day window has opened
    assert [c.pk for c in send_expiry_reminders(now=later)] == [certificate.pk]
    assert len(mail.outbox) == 2
    assert silent.pk not in [c.pk for c in send_expiry_reminders(now=later)]


def test_holder_statuses_and_counts_are_bulk(team, programme, bureau_admin, django_assert_num_queries):
    people = [UserFactory(role="trainee", team=team) for _ in range(5)]
    _issue(people[0], programme, days_ago=1)
    _issue(people[1], programme, days_ago=24 * 30 - 20)
    _issue(people[2], programme, days_ago=24 * 31)
    revoked = _issue(people[3], programme, days_ago=5)
    services.revoke_certificate(certificate=revoked, actor=bureau_admin, reason="x")
    with django_assert_num_queries(1):
        statuses = selectors.holder_statuses(programme=programme, holder_ids=[p.pk for p in people])
    assert {pk: c.display_status() for pk, c in statuses.items()} == {
        people[0].pk: "valid",
        people[1].pk: "expiring",
        people[2].pk: "expired",
        people[3].pk: "revoked",
    }
    with django_assert_num_queries(1):
        counts = selectors.status_counts(programme=programme)
    assert counts[team.pk] == {"valid": 1, "expiring": 1, "expired": 1, "revoked": 1, "superseded": 0}
    with django_assert_num_queries(1):
        soon = list(selectors.expiring_within(days=60, programme=programme))
    assert [c.holder_id for c in soon] == [people[1].pk]


def test_re_passing_the_course_quiz_renews_an_expired_certificate(trainee, programme, course):
    from quizzes import services as quiz_services
    from tests.quizzes.factories import question, quiz, right_answer, wrong_answer

    item = question()
    q = quiz([item], pass_mark=100)
    LessonFactory(parent=course, title="结业测验", body=[("quiz", {"quiz": q, "intro": ""})])
    expired = _issue(trainee, programme, days_ago=24 * 31)

    failed = quiz_services.start_attempt(quiz=q, user=trainee)
    quiz_services.submit_attempt(attempt=failed, user=trainee, answers={item.pk: wrong_answer(item)})
    assert Certificate.objects.get().pk == expired.pk  # a failed attempt renews nothing

    passed = quiz_services.start_attempt(quiz=q, user=trainee)
    quiz_services.submit_attempt(attempt=passed, user=trainee, answers={item.pk: right_answer(item)})
    expired.refresh_from_db()
    assert expired.status == CertificateStatus.SUPERSEDED
    assert Certificate.objects.get(status=CertificateStatus.VALID).renewed_from == expired


def test_a_quiz_outside_the_programme_renews_nothing(trainee, programme, catalogue):
    from quizzes import services as quiz_services
    from tests.quizzes.factories import question, quiz, right_answer

    other = CourseFactory(parent=catalogue, title="其他课程")
    item = question()
    q = quiz([item], pass_mark=100)
    LessonFactory(parent=other, title="测验", body=[("quiz", {"quiz": q, "intro": ""})])
    expired = _issue(trainee, programme, days_ago=24 * 31)
    attempt = quiz_services.start_attempt(quiz=q, user=trainee)
    quiz_services.submit_attempt(attempt=attempt, user=trainee, answers={item.pk: right_answer(item)})
    expired.refresh_from_db()
    assert expired.status == CertificateStatus.VALID
