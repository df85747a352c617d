"""Reads on programmes and certificates for pages, the API, commands and the team dashboards.

Every function is bulk: a constant number of queries however many holders or certificates it covers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.completion import Award
from courses.models import Enrollment
from lms import permissions
from lms.models import User

from .models import EXPIRING_WITHIN_DAYS, Certificate, CertificateStatus, DisplayStatus, PdfVersion, Programme


def programmes_requiring(*, course_id: int) -> QuerySet[Programme]:
    return Programme.objects.filter(is_active=True, required_courses__pk=course_id).distinct()


def programmes_refreshed_by(*, course_id: int) -> QuerySet[Programme]:
    return Programme.objects.filter(is_active=True, refresher_courses__pk=course_id).distinct()


def completed_holder_ids(*, programme: Programme, holder_ids: Iterable[int] | None = None) -> set[int]:
    """Who has completed every required course of `programme` (a programme without courses: nobody)."""
    required = list(programme.required_courses.values_list("pk", flat=True))
    if not required:
        return set()
    rows = Enrollment.objects.filter(course_id__in=required, completed_at__isnull=False)
    if holder_ids is not None:
        rows = rows.filter(user_id__in=list(holder_ids))
    rows = rows.values("user_id").annotate(done=Count("course_id", distinct=True)).filter(done=len(required))
    return {row["user_id"] for row in rows}


def has_completed_programme(*, holder: User, programme: Programme) -> bool:
    return holder.pk in completed_holder_ids(programme=programme, holder_ids=[holder.pk])


def status_q(status: str, now: datetime | None = None) -> Q:
    """A filter for one display status (valid / expiring / expired / revoked / superseded)."""
    now = now or timezone.now()
    soon = now + timedelta(days=EXPIRING_WITHIN_DAYS)
    live = Q(status=CertificateStatus.VALID)
    return {
        DisplayStatus.VALID: live & (Q(expires_at__isnull=True) | Q(expires_at__gt=soon)),
        DisplayStatus.EXPIRING: live & Q(expires_at__gt=now, expires_at__lte=soon),
        DisplayStatus.EXPIRED: live & Q(expires_at__lte=now),
        DisplayStatus.REVOKED: Q(status=CertificateStatus.REVOKED),
        DisplayStatus.SUPERSEDED: Q(status=CertificateStatus.SUPERSEDED),
    }[status]


def certificates_for_list() -> QuerySet[Certificate]:
    return Certificate.objects.select_related("programme", "team", "holder")


def my_certificates(*, user: User) -> list[Certificate]:
    """The user's certificates, live ones first; superseded ones are left out (their renewal is listed)."""
    certificates = list(
        certificates_for_list().filter(holder=user).exclude(status=CertificateStatus.SUPERSEDED).order_by("-issued_at")
    )
    certificates.sort(key=lambda c: c.status != CertificateStatus.VALID)
    return certificates


def visible_certificates(*, user: User) -> QuerySet[Certificate]:
    """Certificates whose details `user` may see: all for bureau admins, their teams' for trainers and leads."""
    if permissions.is_bureau_admin(user):
        return certificates_for_list()
    return certificates_for_list().filter(team__in=permissions.visible_teams(user))


def search_certificates(
    *, queryset: QuerySet[Certificate], q: str = "", status: str = "", programme: str = "", team: str = ""
) -> QuerySet[Certificate]:
    """The bureau's list: search by name, serial or team; filter by status, programme and team code."""
    q = q.strip()
    if q:
        queryset = queryset.filter(
            Q(holder_name__icontains=q) | Q(serial__icontains=q) | Q(team__name__icontains=q) | Q(holder__username__iexact=q)
        )
    if status in DisplayStatus.values:
        queryset = queryset.filter(status_q(status))
    if programme:
        queryset = queryset.filter(programme__slug=programme)
    if team:
        queryset = queryset.filter(team__code=team)
    return queryset


def find_by_code(code: str) -> Certificate | None:
    """The certificate with this verification code (dashes, spaces and case ignored), or None."""
    normalized = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if not normalized or len(normalized) > 40:
        return None
    return certificates_for_list().filter(verification_code=normalized).first()


@dataclass(frozen=True)
class PdfMatch:
    """The outcome of checking an uploaded PDF: which certificate it belongs to and whether it is the current file."""

    certificate: Certificate | None
    current: bool


def match_pdf(*, sha256: str, certificate: Certificate | None = None) -> PdfMatch:
    versions = PdfVersion.objects.filter(sha256=sha256).select_related("certificate__programme", "certificate__team")
    if certificate is not None:
        versions = versions.filter(certificate=certificate)
    version = versions.order_by("-created_at").first()
    if version is None:
        return PdfMatch(certificate=None, current=False)
    return PdfMatch(certificate=version.certificate, current=version.certificate.sha256 == sha256)


def successor_of(certificate: Certificate) -> Certificate | None:
    return Certificate.objects.filter(renewed_from=certificate).first()


def mask_name(name: str) -> str:
    """张伟 → 张*, 张小伟 → 张*伟, 欧阳晓雯 → 欧**雯; Latin names keep each word's initial."""
    name = (name or "").strip()
    if not name:
        return ""
    if " " in name:
        return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


# --- For the team qualification dashboards and exports -------------------------------------------------


def holder_statuses(
    *, programme: Programme, holder_ids: Iterable[int] | None = None, now: datetime | None = None
) -> dict[int, Certificate]:
    """{holder pk: their current certificate for `programme`} in one query.

    "Current" is the live certificate (valid, expiring or expired by date) when there is one, else the
    latest revoked one; call `certificate.display_status(now)` for its state. Holders with none are absent.
    """
    rows = Certificate.objects.filter(programme=programme).exclude(status=CertificateStatus.SUPERSEDED)
    if holder_ids is not None:
        rows = rows.filter(holder_id__in=list(holder_ids))
    result: dict[int, Certificate] = {}
    for certificate in rows.select_related("team").order_by("holder_id", "issued_at", "pk"):
        kept = result.get(certificate.holder_id)
        if kept is None or kept.status != CertificateStatus.VALID:
            result[certificate.holder_id] = certificate
    return result


def expiring_within(
    *, days: int = EXPIRING_WITHIN_DAYS, programme: Programme | None = None, teams=None, now: datetime | None = None
) -> QuerySet[Certificate]:
    """Live certificates whose expiry falls within the next `days` days, soonest first."""
    now = now or timezone.now()
    rows = certificates_for_list().filter(
        status=CertificateStatus.VALID, expires_at__gt=now, expires_at__lte=now + timedelta(days=days)
    )
    if programme is not None:
        rows = rows.filter(programme=programme)
    if teams is not None:
        rows = rows.filter(team__in=teams)
    return rows.order_by("expires_at")


def status_counts(*, programme: Programme, teams=None, now: datetime | None = None) -> dict[int | None, dict[str, int]]:
    """{team pk: {display status: count}} for `programme`, in one query."""
    now = now or timezone.now()
    rows = Certificate.objects.filter(programme=programme)
    if teams is not None:
        rows = rows.filter(team__in=teams)
    aggregates = {status: Count("pk", filter=status_q(status, now)) for status in DisplayStatus.values}
    return {row.pop("team_id"): row for row in rows.values("team_id").annotate(**aggregates)}


def my_awards(*, user: User) -> list[Award]:
    """The user's live certificates as 我的课程 shows them (registered with courses.completion as an award provider)."""
    awards = []
    for certificate in my_certificates(user=user):
        if certificate.display_status() not in (DisplayStatus.VALID, DisplayStatus.EXPIRING):
            continue
        expires = (
            _("valid until %(date)s") % {"date": timezone.localtime(certificate.expires_at).date().isoformat()}
            if certificate.expires_at
            else _("no expiry")
        )
        awards.append(
            Award(
                title=certificate.programme.name,
                detail=f"{certificate.serial} · {expires}",
                url=reverse("certificates:mine"),
                download_url=reverse("certificates:pdf", args=[certificate.pk]),
            )
        )
    return awards
