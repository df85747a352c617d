"""Certification programmes, the certificates issued under them, their serial counters and bulk jobs."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel

from lms.models import CountyTeam


class CertificateTemplate(models.TextChoices):
    """The built-in certificate designs a programme can choose."""

    CLASSIC = "classic", _("Classic (red and gold border)")
    PLAIN = "plain", _("Plain (blue rule)")


class Programme(ClusterableModel):
    """A qualification (资格) earned by completing its required courses, e.g. 常德市商务网站管理员资格."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    description = models.TextField(_("description"), blank=True)
    required_courses = ParentalManyToManyField(
        "courses.CoursePage", verbose_name=_("required courses"), related_name="programmes", blank=True
    )
    validity_months = models.PositiveIntegerField(
        _("validity (months)"), null=True, blank=True, help_text=_("Leave empty for certificates that never expire.")
    )
    serial_prefix = models.CharField(
        _("serial prefix"), max_length=10, default="CD", help_text=_("Serial numbers look like CD-2026-000123.")
    )
    issuer_name = models.CharField(_("issuer"), max_length=200, default="常德市商务局")
    is_active = models.BooleanField(_("active"), default=True)
    refresher_courses = ParentalManyToManyField(
        "courses.CoursePage",
        verbose_name=_("refresher courses"),
        related_name="refresher_for_programmes",
        blank=True,
        help_text=_("Completing one of these renews a certificate that is expiring or has expired."),
    )
    template = models.CharField(
        _("certificate design"), max_length=20, choices=CertificateTemplate.choices, default=CertificateTemplate.CLASSIC
    )
    certificate_title = models.CharField(_("title on the certificate"), max_length=20, default="资格证书")
    statement = models.CharField(
        _("statement"),
        max_length=300,
        blank=True,
        help_text=_("The sentence under the name. Empty: “has completed all courses of {programme} and passed the assessment.”"),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("required_courses"),
        FieldPanel("refresher_courses"),
        FieldPanel("validity_months"),
        FieldPanel("serial_prefix"),
        FieldPanel("issuer_name"),
        FieldPanel("template"),
        FieldPanel("certificate_title"),
        FieldPanel("statement"),
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

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("holder")
    )
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("programme"))
    team = models.ForeignKey(
        CountyTeam, on_delete=models.SET_NULL, null=True, blank=True, related_name="certificates", verbose_name=_("team at issue")
    )
    holder_name = models.CharField(_("name on certificate"), max_length=100)
    serial = models.CharField(_("serial number"), max_length=32, unique=True)
    verification_code = models.CharField(_("verification code"), max_length=40, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.VALID, db_index=True
    )
    issued_at = models.DateTimeField(_("issued"), db_index=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True, db_index=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.TextField(_("revocation reason"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to="certificates/%Y/", blank=True)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    rendered_at = models.DateTimeField(_("PDF rendered"), null=True, blank=True, db_index=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
        help_text=_("Empty when issued automatically on completion."),
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("revoked by")
    )
    renewed_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="renewed_by", verbose_name=_("renewal of")
    )
    reminder_sent_at = models.DateTimeField(_("expiry reminder sent"), null=True, blank=True)

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

    def display_status(self, now=None) -> str:
        """valid / expiring / expired / revoked / superseded: "expiring" and "expired" come from `expires_at`."""
        if self.status != CertificateStatus.VALID:
            return self.status
        if self.expires_at is None:
            return DisplayStatus.VALID
        now = now or timezone.now()
        if self.expires_at <= now:
            return DisplayStatus.EXPIRED
        if self.expires_at <= now + timedelta(days=EXPIRING_WITHIN_DAYS):
            return DisplayStatus.EXPIRING
        return DisplayStatus.VALID

    def get_display_status_label(self) -> str:
        return DisplayStatus(self.display_status()).label

    @property
    def verification_path(self) -> str:
        return reverse("certificates:verify", kwargs={"code": self.verification_code})

    @property
    def verification_url(self) -> str:
        return settings.SITE_URL + self.verification_path


# A certificate is "expiring" from this many days before its expiry date.
EXPIRING_WITHIN_DAYS = 60


class DisplayStatus(models.TextChoices):
    """What people read: the stored status plus the two states derived from the expiry date."""

    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded by renewal")


class PdfVersion(models.Model):
    """Every PDF a certificate has had, so an earlier file (before a name correction) is still recognised."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="pdf_versions", verbose_name=_("certificate")
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("size (bytes)"))
    holder_name = models.CharField(_("name on certificate"), max_length=100)
    created_at = models.DateTimeField(_("rendered"), auto_now_add=True)

    class Meta:
        verbose_name = _("PDF version")
        verbose_name_plural = _("PDF versions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.certificate_id} · {self.sha256[:12]}"


class SerialCounter(models.Model):
    """The last serial number used per programme and year; locked while a certificate is inserted, so
    numbers are sequential, without gaps or duplicates, and roll back with a failed issue."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="serial_counters")
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "year"], name="certificates_serial_counter_unique")]

    def __str__(self) -> str:
        return f"{self.programme_id}/{self.year}: {self.last_number}"


class BulkJob(models.Model):
    """A bulk issue or re-render run in the background, with progress that survives a crash.

    The work is split into chunks (`BulkJobChunk`) that any worker takes; `done` and `changed` move in
    the same transaction as each item's work, so a job restarted after a crash resumes after the last
    committed item. (`cursor` is from jobs run as one piece, before chunks.)
    """

    class Kind(models.TextChoices):
        ISSUE = "issue", _("Issue certificates")
        RENDER = "render", _("Re-render PDFs")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, null=True, blank=True, related_name="jobs", verbose_name=_("programme")
    )
    team = models.ForeignKey(
        CountyTeam, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("county team")
    )
    since = models.DateTimeField(_("rendered before"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    changed = models.PositiveIntegerField(_("issued or rendered"), default=0)
    cursor = models.BigIntegerField(default=0)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("started by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulk job")
        verbose_name_plural = _("bulk jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.state == self.State.DONE else 0
        return min(100, round(100 * self.done / self.total))


class BulkJobChunk(models.Model):
    """A slice of a bulk job that any task worker can take: several workers share one job.

    `items` are the holder/certificate pks of the slice, in order; `cursor` is the last one done and
    moves in the same transaction as its work (with the job's counters), so a chunk resumes after its
    last committed item and no item is counted twice.
    """

    job = models.ForeignKey(BulkJob, on_delete=models.CASCADE, related_name="chunks", verbose_name=_("bulk job"))
    number = models.PositiveIntegerField(_("number"))
    items = models.JSONField(_("items"), default=list)
    cursor = models.BigIntegerField(default=0)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulk job chunk")
        verbose_name_plural = _("bulk job chunks")
        ordering = ["job", "number"]
        constraints = [models.UniqueConstraint(fields=["job", "number"], name="certificates_chunk_number_unique")]

    def __str__(self) -> str:
        return f"{self.job} · {self.number}"


from .qualification.models import CommendationRule  # noqa: E402,F401  (the qualification dashboards' own model)
