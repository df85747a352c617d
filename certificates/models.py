"""Certification programmes and the certificates issued under them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel

from lms.models import CountyTeam


class Programme(ClusterableModel):
    """A qualification (资格) earned by completing its required courses, e.g. 常德市商务网站管理员资格."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    description = models.TextField(_("description"), blank=True)
    required_courses = ParentalManyToManyField("courses.CoursePage", verbose_name=_("required courses"), related_name="programmes", blank=True)
    validity_months = models.PositiveIntegerField(_("validity (months)"), null=True, blank=True, help_text=_("Leave empty for certificates that never expire."))
    serial_prefix = models.CharField(_("serial prefix"), max_length=10, default="CD", help_text=_("Serial numbers look like CD-2026-000123."))
    issuer_name = models.CharField(_("issuer"), max_length=200, default="常德市商务局")
    is_active = models.BooleanField(_("active"), default=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("required_courses"),
        FieldPanel("validity_months"),
        FieldPanel("serial_prefix"),
        FieldPanel("issuer_name"),
        FieldPanel("is_active"),
    ]

    class Meta:
        verbose_name = _("certification programme")
        verbose_name_plural = _("certification programmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CertificateStatus(models.TextChoices):
    """Stored status. "Expiring" and "expired" are derived from `expires_at` when read."""

    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded by renewal")


class Certificate(models.Model):
    """A certificate held by one person for one programme, with its PDF and public verification code."""

    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("holder"))
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("programme"))
    team = models.ForeignKey(CountyTeam, on_delete=models.SET_NULL, null=True, blank=True, related_name="certificates", verbose_name=_("team at issue"))
    holder_name = models.CharField(_("name on certificate"), max_length=100)
    serial = models.CharField(_("serial number"), max_length=32, unique=True)
    verification_code = models.CharField(_("verification code"), max_length=40, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.VALID, db_index=True)
    issued_at = models.DateTimeField(_("issued"), db_index=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True, db_index=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.TextField(_("revocation reason"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to="certificates/%Y/", blank=True)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            # One live certificate per person and programme; revoked and superseded ones stay on record.
            models.UniqueConstraint(
                fields=["holder", "programme"], condition=models.Q(status="valid"), name="certificates_one_live_per_programme"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.serial} · {self.holder_name}"

from .qualification.models import CommendationRule  # noqa: E402,F401  (the qualification dashboards' own model)
