"""Automatic and manual issuance, serials, verification codes, revocation, audit."""

from datetime import datetime

import pytest
from django.utils import timezone

from certificates import services
from certificates.models import Certificate, CertificateStatus, SerialCounter
from lms.models import AuditEvent
from tests.factories import UserFactory

from .conftest import complete_course

pytestmark = pytest.mark.django_db


def test_completing_the_last_required_course_issues_and_renders(
    trainee, programme, course, second_course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(trainee, course)
    assert not Certificate.objects.exists(), "one of two required courses is not enough"
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(trainee, second_course)
    certificate = Certificate.objects.get()
    assert certificate.holder == trainee and certificate.programme == programme
    assert certificate.holder_name == "李明" and certificate.team.code == "hanshou"
    assert certificate.status == CertificateStatus.VALID and certificate.issued_by is None
    assert certificate.sha256 and certificate.pdf.name.endswith(".pdf")
    assert certificate.expires_at.year == certificate.issued_at.year + 2
    assert AuditEvent.objects.filter(action="certificate.issue", object_id=str(certificate.pk)).count() == 1


def test_issuance_is_idempotent(trainee, programme, course, second_course):
    complete_course(trainee, course)
    complete_course(trainee, second_course)
    first = services.issue_if_complete(holder=trainee, programme=programme)
    again = services.issue_if_complete(holder=trainee, programme=programme)
    assert first is not None and again is None
    assert Certificate.objects.count() == 1


def test_a_programme_without_required_courses_issues_nothing(trainee, course):
    from .factories import ProgrammeFactory

    empty = ProgrammeFactory()
    complete_course(trainee, course)
    assert services.issue_if_complete(holder=trainee, programme=empty) is None


def test_an_inactive_programme_issues_nothing(trainee, programme, course, second_course):
    programme.is_active = False
    programme.save()
    complete_course(trainee, course)
    complete_course(trainee, second_course)
    assert services.issue_if_complete(holder=trainee, programme=programme) is None


def test_database_allows_one_live_certificate_per_person_and_programme(certificate):
    from django.db import IntegrityError, transaction

    duplicate = Certificate(
        holder=certificate.holder,
        programme=certificate.programme,
        holder_name="李明",
        serial="CD-2026-999999",
        verification_code="X" * 20,
        issued_at=timezone.now(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_manual_issue_refused_while_a_live_certificate_exists(certificate, bureau_admin):
    with pytest.raises(services.CertificateError, match="已持有|already holds"):
        services.issue_certificate(holder=certificate.holder, programme=certificate.programme, actor=bureau_admin, manual=True)


def test_revoked_certificate_is_not_reissued_automatically_but_can_be_by_hand(certificate, bureau_admin, course, second_course):
    services.revoke_certificate(certificate=certificate, actor=bureau_admin, reason="考核作弊")
    complete_course(certificate.holder, course)
    complete_course(certificate.holder, second_course)
    assert services.issue_if_complete(holder=certificate.holder, programme=certificate.programme) is None
    again = services.issue_certificate(
        holder=certificate.holder, programme=certificate.programme, actor=bureau_admin, manual=True
    )
    assert again.serial != certificate.serial and again.status == CertificateStatus.VALID


def test_serials_are_sequential_per_programme_and_year(programme, bureau_admin):
    people = [UserFactory() for _ in range(3)]
    in_2026 = [services.issue_certificate(holder=p, programme=programme, actor=bureau_admin, manual=True) for p in people[:2]]
    old = services.issue_certificate(
        holder=people[2], programme=programme, actor=bureau_admin, manual=True, now=timezone.make_aware(datetime(2025, 6, 1))
    )
    year = timezone.localtime().year
    assert [c.serial for c in in_2026] == [f"CD-{year}-000001", f"CD-{year}-000002"]
    assert old.serial == "CD-2025-000001"
    assert SerialCounter.objects.get(programme=programme, year=year).last_number == 2


def test_a_failed_issue_gives_its_serial_back(programme, bureau_admin, monkeypatch):
    person, other = UserFactory(), UserFactory()

    def broken_audit(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "record_audit", broken_audit)
    with pytest.raises(RuntimeError):
        services.issue_certificate(holder=person, programme=programme, actor=bureau_admin, manual=True)
    monkeypatch.undo()
    assert not Certificate.objects.exists()
    issued = services.issue_certificate(holder=other, programme=programme, actor=bureau_admin, manual=True)
    assert issued.serial.endswith("-000001")


def test_verification_codes_are_long_random_and_unrelated_to_the_serial():
    codes = {services.new_verification_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(code) == 20 and set(code) <= set(services.CODE_ALPHABET) for code in codes)
    import math

    assert services.CODE_LENGTH * math.log2(len(services.CODE_ALPHABET)) >= 80


def test_revocation_needs_a_reason_and_a_live_certificate(certificate, bureau_admin):
    with pytest.raises(services.CertificateError):
        services.revoke_certificate(certificate=certificate, actor=bureau_admin, reason="  ")
    services.revoke_certificate(certificate=certificate, actor=bureau_admin, reason="成绩登记有误")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED and certificate.revoked_by == bureau_admin
    event = AuditEvent.objects.get(action="certificate.revoke")
    assert event.note == "成绩登记有误" and event.actor == bureau_admin
    with pytest.raises(services.CertificateError):
        services.revoke_certificate(certificate=certificate, actor=bureau_admin, reason="again")


def test_name_correction_keeps_serial_and_records_the_new_hash(certificate, bureau_admin):
    old_hash, old_serial, old_code = certificate.sha256, certificate.serial, certificate.verification_code
    services.correct_holder_name(certificate=certificate, holder_name="李明明", actor=bureau_admin)
    certificate.refresh_from_db()
    services.render_certificate(certificate=certificate, actor=bureau_admin)
    certificate.refresh_from_db()
    assert (certificate.serial, certificate.verification_code) == (old_serial, old_code)
    assert certificate.sha256 != old_hash
    assert set(certificate.pdf_versions.values_list("sha256", flat=True)) == {old_hash, certificate.sha256}
    assert AuditEvent.objects.filter(action="certificate.rename").exists()
    assert AuditEvent.objects.filter(action="certificate.rerender", before={"sha256": old_hash}).exists()


def test_rerender_removes_the_old_file_after_commit(certificate, django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    old_name = certificate.pdf.name
    services.correct_holder_name(certificate=certificate, holder_name="李小明", actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        fresh = services.render_certificate(certificate=certificate)
    assert not default_storage.exists(old_name)
    assert default_storage.exists(fresh.pdf.name)
