"""Exam sittings (考试安排): a quiz taken by invited people in one window, their invitations and attempts."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.models import CountyTeam
from quizzes.models import Attempt, Quiz


class SittingReview(models.TextChoices):
    AFTER_CLOSE = "after_close", _("Score right away; right answers and explanations after the sitting closes")
    IMMEDIATELY = "immediately", _("Score, right answers and explanations right after submitting")
    NEVER = "never", _("Score only, never the right answers")


class ExamSitting(models.Model):
    """One exam session: a quiz, who is invited (teams and/or named people), and its time window."""

    quiz = models.ForeignKey(Quiz, verbose_name=_("quiz"), on_delete=models.PROTECT, related_name="exam_sittings")
    title = models.CharField(_("title"), max_length=200)
    teams = models.ManyToManyField(CountyTeam, verbose_name=_("county teams"), blank=True, related_name="exam_sittings")
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("people"),
        blank=True,
        related_name="named_exam_sittings",
        help_text=_("Invited besides the teams' trainees (a make-up lists exactly its people here)."),
    )
    opens_at = models.DateTimeField(_("opens"))
    latest_entry_at = models.DateTimeField(
        _("latest entry"),
        null=True,
        blank=True,
        help_text=_("Nobody may start after this time. Empty: until the sitting closes."),
    )
    closes_at = models.DateTimeField(_("closes"))
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"), default=1, validators=[MinValueValidator(1)])
    review_policy = models.CharField(
        _("show answers and explanations"), max_length=16, choices=SittingReview.choices, default=SittingReview.AFTER_CLOSE
    )
    focus_loss_limit = models.PositiveSmallIntegerField(
        _("focus-loss limit"),
        null=True,
        blank=True,
        help_text=_("Shown to trainees and on the results page; leaving the page never stops the exam."),
    )
    contact = models.CharField(
        _("contact for latecomers"),
        max_length=200,
        blank=True,
        help_text=_("Who a trainee who missed the entry time should contact."),
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("make-up of"), null=True, blank=True, on_delete=models.PROTECT, related_name="makeups"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Set once, when the invitations are computed from the roster at opening time.
    invitations_at = models.DateTimeField(_("invitations computed"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-opens_at", "pk"]
        verbose_name = _("exam sitting")
        verbose_name_plural = _("exam sittings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="exams_sitting_closes_after_opening"
            ),
            models.CheckConstraint(condition=models.Q(max_attempts__gte=1), name="exams_sitting_at_least_one_attempt"),
        ]
        indexes = [models.Index(fields=["opens_at"]), models.Index(fields=["closes_at"])]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remember the stored quiz, so a change after opening can be refused.
        instance._stored_quiz_id = getattr(instance, "quiz_id", None)
        return instance

    @property
    def entry_deadline(self):
        return self.latest_entry_at or self.closes_at

    @property
    def is_makeup(self) -> bool:
        return self.parent_id is not None

    def has_opened(self, now) -> bool:
        return self.invitations_at is not None or now >= self.opens_at

    def clean(self):
        from django.utils import timezone

        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The sitting must close after it opens.")
        if self.latest_entry_at and self.opens_at and self.latest_entry_at < self.opens_at:
            errors["latest_entry_at"] = _("The latest entry cannot be before the sitting opens.")
        elif self.latest_entry_at and self.closes_at and self.latest_entry_at > self.closes_at:
            errors["latest_entry_at"] = _("The latest entry cannot be after the sitting closes.")
        stored = getattr(self, "_stored_quiz_id", None)
        if self.pk and stored is not None and stored != self.quiz_id:
            opened = type(self).objects.filter(pk=self.pk).values_list("opens_at", "invitations_at").first()
            if opened and (opened[1] is not None or timezone.now() >= opened[0]):
                errors["quiz"] = _("The sitting has opened: its quiz can no longer be changed.")
        if errors:
            raise ValidationError(errors)


class ExamInvitation(models.Model):
    """One person invited to a sitting, fixed from the roster when it opened (their team at that time)."""

    sitting = models.ForeignKey(ExamSitting, verbose_name=_("exam sitting"), on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("trainee"), on_delete=models.CASCADE, related_name="exam_invitations"
    )
    team = models.ForeignKey(
        CountyTeam, verbose_name=_("county team"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("exam invitation")
        verbose_name_plural = _("exam invitations")
        constraints = [models.UniqueConstraint(fields=["sitting", "user"], name="exams_one_invitation_per_person")]

    def __str__(self) -> str:
        return f"{self.sitting} · {self.user}"


class SittingAttempt(models.Model):
    """Links a quiz attempt to the invitation it was made under; (invitation, number) is unique, and the
    number never exceeds the sitting's attempts, so one person cannot hold more attempts than allowed."""

    invitation = models.ForeignKey(
        ExamInvitation, verbose_name=_("invitation"), on_delete=models.CASCADE, related_name="attempts"
    )
    attempt = models.OneToOneField(Attempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="sitting_link")
    number = models.PositiveSmallIntegerField(_("attempt in the sitting"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("sitting attempt")
        verbose_name_plural = _("sitting attempts")
        constraints = [
            models.UniqueConstraint(fields=["invitation", "number"], name="exams_attempt_number_per_invitation"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="exams_attempt_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.invitation} #{self.number}"
