"""Hands-on (practical) tasks, their rubrics, and the trainees' submissions with check reports."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from lms.fields import SafeRichTextField


class TaskKind(models.TextChoices):
    IMAGE = "image", _("Image processing")
    TOPIC_PAGE = "topic_page", _("Topic page")
    BACKOFFICE = "backoffice", _("Back-office operation")
    REVIEWED = "reviewed", _("Reviewed work")


AUTOMATIC_KINDS = {TaskKind.IMAGE, TaskKind.TOPIC_PAGE, TaskKind.BACKOFFICE}
PRACTICE_SITE_KINDS = {TaskKind.TOPIC_PAGE, TaskKind.BACKOFFICE}


class PracticalTask(ClusterableModel):
    """A hands-on task (实操任务): what to do, a validated spec the checker applies, and how it is judged."""

    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices)
    instructions = SafeRichTextField(_("instructions"), features=["h3", "bold", "italic", "link", "ol", "ul"])
    spec = models.JSONField(
        _("check specification"),
        default=dict,
        blank=True,
        help_text=_("What the automatic check requires, as JSON; see the examples in the README. Validated on save."),
    )
    original_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("original image"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("Image tasks: the picture the trainee downloads and processes."),
    )
    needs_confirmation = models.BooleanField(
        _("trainer confirms automatic passes"), default=False,
        help_text=_("When on, a submission that passes every check still waits for a trainer to accept it."),
    )
    max_submissions = models.PositiveSmallIntegerField(
        _("submissions allowed"), default=5, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    accept_file = models.BooleanField(_("reviewed work: accept a file"), default=True)
    accept_link = models.BooleanField(_("reviewed work: accept a link"), default=False)
    accept_text = models.BooleanField(_("reviewed work: accept text"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("kind"),
        FieldPanel("instructions"),
        MultiFieldPanel([FieldPanel("spec"), FieldPanel("original_image")], heading=_("Automatic check")),
        MultiFieldPanel(
            [FieldPanel("needs_confirmation"), FieldPanel("max_submissions"), FieldPanel("accept_file"), FieldPanel("accept_link"), FieldPanel("accept_text")],
            heading=_("Submissions"),
        ),
        InlinePanel("rubric_criteria", heading=_("Rubric (reviewed work)"), label=_("Criterion")),
    ]

    class Meta:
        verbose_name = _("hands-on task")
        verbose_name_plural = _("hands-on tasks")
        ordering = ["title"]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_kind_display()}）"

    @property
    def is_automatic(self) -> bool:
        return self.kind in AUTOMATIC_KINDS

    def clean(self):
        from quizzes.practical.specs import validate_spec

        super().clean()
        self.spec = validate_spec(self.kind, self.spec)
        if self.kind == TaskKind.IMAGE and self.original_image_id is None and (
            self.spec.get("no_upscale") or self.spec.get("crop") or self.spec.get("watermark")
        ):
            raise ValidationError({"original_image": _("This check compares with the original image: choose one.")})
        if self.kind == TaskKind.REVIEWED and not (self.accept_file or self.accept_link or self.accept_text):
            raise ValidationError(_("Reviewed work must accept at least a file, a link or text."))

    def rubric_max_points(self) -> Decimal:
        return sum((c.max_points() for c in self.rubric_criteria.all()), Decimal(0))


class RubricCriterion(Orderable):
    """A rubric criterion with its levels, e.g. “版面布局” with 优秀 10 / 合格 6 / 不合格 0."""

    task = ParentalKey(PracticalTask, on_delete=models.CASCADE, related_name="rubric_criteria")
    title = models.CharField(_("criterion"), max_length=100)
    description = models.CharField(_("what is looked at"), max_length=300, blank=True)
    levels_text = models.TextField(
        _("levels"),
        help_text=_("One level per line: name | points, e.g. 优秀 | 10"),
    )

    panels = [FieldPanel("title"), FieldPanel("description"), FieldPanel("levels_text")]

    class Meta(Orderable.Meta):
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")

    def __str__(self) -> str:
        return self.title

    def levels(self) -> list[tuple[str, Decimal]]:
        """[(level name, points)], parsed from the text the trainer typed."""
        from quizzes.practical.specs import parse_levels

        return parse_levels(self.levels_text)

    def max_points(self) -> Decimal:
        levels = self.levels()
        return max((points for _name, points in levels), default=Decimal(0))

    def clean(self):
        from quizzes.practical.specs import parse_levels

        super().clean()
        parse_levels(self.levels_text)


class SubmissionStatus(models.TextChoices):
    CHECKING = "checking", _("Checking")
    FAILED = "failed", _("Did not pass the check")
    ERROR = "error", _("Could not be checked")
    AWAITING_REVIEW = "review", _("Waiting for review")
    RETURNED = "returned", _("Returned for revision")
    ACCEPTED = "accepted", _("Accepted")


# A trainee may submit again after these; the others are still open or already done.
RESUBMITTABLE = {SubmissionStatus.FAILED, SubmissionStatus.ERROR, SubmissionStatus.RETURNED}
# A check that could not be completed judged nothing: it does not use up one of the task's limited submissions.
NOT_COUNTED = {SubmissionStatus.ERROR}


def submission_upload_to(instance: Submission, filename: str) -> str:
    # The trainee's filename never reaches the disk: names are generated, the extension comes from the
    # detected format (see services), so nothing uploaded can be mistaken for a page or a script.
    return f"practical/{instance.task_id}/{uuid.uuid4().hex}{instance.stored_extension or '.bin'}"


class Submission(models.Model):
    """One attempt at a task by a trainee: what they handed in, the automatic report and the review."""

    task = models.ForeignKey(PracticalTask, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("task"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("trainee"))
    number = models.PositiveSmallIntegerField(_("submission number"))
    status = models.CharField(_("status"), max_length=20, choices=SubmissionStatus.choices, db_index=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    file = models.FileField(_("file"), upload_to=submission_upload_to, blank=True, max_length=200)
    stored_extension = models.CharField(max_length=8, blank=True, editable=False)
    content_type = models.CharField(_("content type"), max_length=60, blank=True, editable=False)
    original_name = models.CharField(_("original file name"), max_length=200, blank=True)
    file_size = models.PositiveIntegerField(_("file size"), null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    link = models.URLField(_("link"), blank=True, max_length=500)
    text = models.TextField(_("text"), blank=True, max_length=20000)
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("checked page"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    report = models.JSONField(_("check report"), null=True, blank=True)
    # The report is written once, in the language the trainee was using when they handed the work in.
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE, editable=False)
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("reviewer")
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True, max_length=5000)
    rubric_scores = models.JSONField(_("rubric scores"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "user", "number"], name="quizzes_submission_attempt_unique"),
        ]
        indexes = [models.Index(fields=["user", "task", "status"]), models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.task.title} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status in {SubmissionStatus.CHECKING, SubmissionStatus.AWAITING_REVIEW}
