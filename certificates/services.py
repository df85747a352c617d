"""Writes on certificates: issue, render, revoke, renew, re-issue. Every change is audited.

Issuing and rendering are separate steps on purpose: the serial counter is locked only for the short
insert, never while a PDF is drawn, so parallel workers render in parallel.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.models import Membership, Role, User
from lms.names import validate_person_name
from lms.services import record_audit

from . import pdf, selectors
from .models import Certificate, CertificateStatus, DisplayStatus, PdfVersion, Programme, SerialCounter

logger = logging.getLogger(__name__)

# 20 symbols from 31 letters and digits without 0/O, 1/I/L: 99 bits of randomness, easy to read aloud.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 20


class CertificateError(Exception):
    """A certificate rule was broken; the message is for the person who asked."""


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` later (the last day of the month when that day does not exist)."""
    import calendar

    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def next_serial(*, programme: Programme, year: int) -> str:
    """Take the next serial of `programme` for `year`. Must run inside the transaction that inserts the
    certificate: the counter row stays locked until it commits, and a rollback gives the number back."""
    SerialCounter.objects.bulk_create([SerialCounter(programme=programme, year=year)], ignore_conflicts=True)
    counter = SerialCounter.objects.select_for_update().get(programme=programme, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{programme.serial_prefix}-{year}-{counter.last_number:06d}"


def _team_of(user: User):
    membership = Membership.objects.filter(user=user, role=Role.TRAINEE, team__isnull=False).select_related("team").first()
    return membership.team if membership else None


def _lock_holder(user: User) -> None:
    # Serialises every issue for one person: two completions finishing at once queue here, and the
    # second one then sees the first one's certificate. The partial unique constraint backs this up.
    User.objects.select_for_update().filter(pk=user.pk).first()


def _insert(*, holder: User, programme: Programme, actor: User | None, now: datetime, renewed_from=None) -> Certificate:
    certificate = Certificate(
        holder=holder,
        programme=programme,
        team=_team_of(holder),
        holder_name=holder.get_full_name(),
        serial=next_serial(programme=programme, year=timezone.localtime(now).year),
        verification_code=new_verification_code(),
        status=CertificateStatus.VALID,
        issued_at=now,
        expires_at=add_months(now, programme.validity_months) if programme.validity_months else None,
        issued_by=actor,
        renewed_from=renewed_from,
    )
    certificate.save()
    return certificate


@transaction.atomic
def issue_certificate(
    *, holder: User, programme: Programme, actor: User | None = None, now: datetime | None = None, manual: bool = False
) -> Certificate | None:
    """Issue `programme`'s certificate to `holder`; returns it, or None when nothing was issued.

    Automatic issuance (manual=False) issues once per person and programme, ever: a revoked or
    superseded certificate is not replaced behind the bureau's back. A bureau admin (manual=True) may
    issue again after a revocation; never while a live certificate exists.
    """
    now = now or timezone.now()
    _lock_holder(holder)
    existing = Certificate.objects.filter(holder=holder, programme=programme)
    if existing.filter(status=CertificateStatus.VALID).exists():
        if manual:
            raise CertificateError(
                _("%(name)s already holds a valid certificate for this programme.") % {"name": holder.get_full_name()}
            )
        return None
    if not manual and existing.exists():
        return None
    if not programme.is_active:
        raise CertificateError(_("The programme “%(programme)s” is not active.") % {"programme": programme.name})
    try:
        with transaction.atomic():
            certificate = _insert(holder=holder, programme=programme, actor=actor, now=now)
    except IntegrityError:
        # Only reachable when the holder lock was bypassed (e.g. a raw insert); one live certificate stays.
        return None
    record_audit(
        actor=actor,
        action="certificate.issue",
        obj=certificate,
        team=certificate.team,
        after={"serial": certificate.serial, "programme": programme.slug, "manual": manual},
    )
    return certificate


def issue_if_complete(*, holder: User, programme: Programme, now: datetime | None = None) -> Certificate | None:
    """Issue automatically when `holder` has completed every required course of `programme`."""
    if not programme.is_active or not selectors.has_completed_programme(holder=holder, programme=programme):
        return None
    return issue_certificate(holder=holder, programme=programme, now=now)


@transaction.atomic
def renew_certificate(
    *, certificate: Certificate, actor: User | None = None, reason: str, now: datetime | None = None
) -> Certificate:
    """Replace an expiring or expired certificate with a new one (new serial, new validity).

    The old one becomes "superseded" and stays on record; its verification page points to the new one.
    """
    now = now or timezone.now()
    _lock_holder(certificate.holder)
    certificate = Certificate.objects.select_for_update().select_related("programme").get(pk=certificate.pk)
    if certificate.display_status(now) not in (DisplayStatus.EXPIRING, DisplayStatus.EXPIRED):
        raise CertificateError(_("Only a certificate that is expiring or has expired can be renewed."))
    certificate.status = CertificateStatus.SUPERSEDED
    certificate.save(update_fields=["status"])
    renewed = _insert(holder=certificate.holder, programme=certificate.programme, actor=actor, now=now, renewed_from=certificate)
    record_audit(
        actor=actor,
        action="certificate.renew",
        obj=renewed,
        team=renewed.team,
        before={
            "serial": certificate.serial,
            "expires_at": certificate.expires_at.isoformat() if certificate.expires_at else None,
        },
        after={"serial": renewed.serial, "expires_at": renewed.expires_at.isoformat() if renewed.expires_at else None},
        note=reason,
    )
    return renewed


def renew_if_due(*, holder: User, programme: Programme, reason: str, now: datetime | None = None) -> Certificate | None:
    """Renew `holder`'s certificate for `programme` when it is in its renewal window; else nothing."""
    current = Certificate.objects.filter(holder=holder, programme=programme, status=CertificateStatus.VALID).first()
    if current is None or current.display_status(now) not in (DisplayStatus.EXPIRING, DisplayStatus.EXPIRED):
        return None
    try:
        return renew_certificate(certificate=current, reason=reason, now=now)
    except CertificateError:
        # Renewed by a parallel request in the meantime.
        return None


@transaction.atomic
def revoke_certificate(*, certificate: Certificate, actor: User, reason: str, now: datetime | None = None) -> Certificate:
    """Revoke a live certificate. The reason is stored in full; the public page says it in general terms."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_("Give a reason for the revocation."))
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status != CertificateStatus.VALID:
        raise CertificateError(
            _("Only a valid certificate can be revoked (this one is %(status)s).")
            % {"status": certificate.get_display_status_label()}
        )
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = now or timezone.now()
    certificate.revoked_by = actor
    certificate.revocation_reason = reason
    certificate.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])
    record_audit(
        actor=actor,
        action="certificate.revoke",
        obj=certificate,
        team=certificate.team,
        before={"status": "valid"},
        after={"status": "revoked"},
        note=reason,
    )
    return certificate


def render_certificate(
    *, certificate: Certificate, renderer: pdf.CertificateRenderer | None = None, actor: User | None = None
) -> Certificate:
    """Draw the PDF, store it under media/ and record its SHA-256 (the previous hashes stay recognised).

    The file is written before the row is updated and removed again if the update fails, so the
    database never points at a missing or half-written file; the old file goes after the commit.
    """
    # Re-read: the caller's copy may predate a name correction made in another transaction.
    certificate = Certificate.objects.select_related("programme", "team").get(pk=certificate.pk)
    content = (renderer or pdf.renderer()).render(pdf.data_for(certificate))
    digest = pdf.sha256_of(content)
    year = timezone.localtime(certificate.issued_at).year
    name = default_storage.save(f"certificates/{year}/{certificate.serial}-{digest[:10]}.pdf", ContentFile(content))
    try:
        with transaction.atomic():
            locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
            old_name, old_hash = locked.pdf.name, locked.sha256
            locked.pdf.name, locked.sha256, locked.rendered_at = name, digest, timezone.now()
            locked.save(update_fields=["pdf", "sha256", "rendered_at"])
            PdfVersion.objects.create(certificate=locked, sha256=digest, size=len(content), holder_name=locked.holder_name)
            if old_hash and old_hash != digest:
                record_audit(
                    actor=actor,
                    action="certificate.rerender",
                    obj=locked,
                    team=locked.team,
                    before={"sha256": old_hash},
                    after={"sha256": digest},
                )
            if old_name and old_name != name:
                transaction.on_commit(lambda: default_storage.delete(old_name))
    except BaseException:
        default_storage.delete(name)
        raise
    certificate.pdf.name, certificate.sha256, certificate.rendered_at = locked.pdf.name, locked.sha256, locked.rendered_at
    return certificate


@transaction.atomic
def correct_holder_name(*, certificate: Certificate, holder_name: str, actor: User) -> Certificate:
    """Re-issue with a corrected name: same serial and code, a new PDF and hash (render afterwards)."""
    holder_name = holder_name.strip()
    if not holder_name:
        raise CertificateError(_("The name cannot be empty."))
    limit = Certificate._meta.get_field("holder_name").max_length
    if len(holder_name) > limit:
        raise CertificateError(
            _("The name may be at most %(limit_value)d characters long (it has %(show_value)d).")
            % {"limit_value": limit, "show_value": len(holder_name)}
        )
    try:
        validate_person_name(holder_name)
    except ValidationError as error:
        raise CertificateError(" ".join(error.messages)) from error
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    before = certificate.holder_name
    certificate.holder_name = holder_name
    certificate.save(update_fields=["holder_name"])
    record_audit(
        actor=actor,
        action="certificate.rename",
        obj=certificate,
        team=certificate.team,
        before={"holder_name": before},
        after={"holder_name": certificate.holder_name},
    )
    return certificate


def completion_listener(*, user: User, course, enrollment) -> None:
    """Course completion listener: runs inside the completing transaction, so it only queues the work
    for after the commit (the task re-reads everything and is safe to run twice)."""
    from .tasks import process_completion

    transaction.on_commit(lambda: process_completion.enqueue(user_id=user.pk, course_id=course.pk))


def handle_completion(*, user_id: int, course_id: int) -> list[Certificate]:
    """Issue every programme whose last required course this was, and renew through refresher courses;
    then render the new PDFs. Returns the certificates issued or renewed."""
    holder = User.objects.get(pk=user_id)
    changed = []
    for programme in selectors.programmes_requiring(course_id=course_id):
        certificate = issue_if_complete(holder=holder, programme=programme)
        if certificate:
            changed.append(certificate)
    for programme in selectors.programmes_refreshed_by(course_id=course_id):
        certificate = renew_if_due(holder=holder, programme=programme, reason=_("Refresher course completed"))
        if certificate:
            changed.append(certificate)
    for certificate in changed:
        render_certificate(certificate=certificate)
    return changed
