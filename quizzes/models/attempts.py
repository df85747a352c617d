"""Quizzes, the trainees' attempts at them, and each answer (response) in an attempt."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from lms.fields import SafeRichTextField

from .bank import Question, QuestionCategory


class GradingMethod(models.TextChoices):
    HIGHEST = "highest", _("Highest grade")
    LAST = "last", _("Last attempt")
    FIRST = "first", _("First attempt")
    AVERAGE = "average", _("Average of attempts")


class ReviewPolicy(models.TextChoices):
    # The default: a failed attempt must not hand the trainee the answers for the next one.
    AFTER_LAST_ATTEMPT = "after_last", _("Score right away; answers after the last allowed attempt or when the quiz closes")
    IMMEDIATELY = "immediately", _("Right after submitting")
    AFTER_CLOSE = "after_close", _("After the quiz closes")
    NEVER = "never", _("Never (score only)")


class Quiz(index.Indexed, ClusterableModel):
    """A quiz: rules (pass mark, time, dates, attempts, grading, review) and its questions (fixed or drawn)."""

    title = models.CharField(_("title"), max_length=200)
    instructions = SafeRichTextField(_("instructions"), blank=True, features=["bold", "italic", "ol", "ul", "link"])
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=60, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), null=True, blank=True, validators=[MinValueValidator(1)], help_text=_("Leave empty for no time limit.")
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"), default=0, help_text=_("0 means unlimited."))
    grading_method = models.CharField(_("grading method"), max_length=16, choices=GradingMethod.choices, default=GradingMethod.HIGHEST)
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_choices = models.BooleanField(_("shuffle options"), default=True)
    review_policy = models.CharField(
        _("show answers and feedback"), max_length=16, choices=ReviewPolicy.choices, default=ReviewPolicy.AFTER_LAST_ATTEMPT,
        help_text=_(
            "When trainees see the right answers and feedback; the score is always shown right away. "
            "“After the quiz closes” needs a close date; without one they never see them."
        ),
    )
    is_published = models.BooleanField(_("published"), default=True, help_text=_("Unpublished quizzes cannot be started."))
    # Bumped whenever the quiz, its slots or a question it can ask changes (quizzes/content.py): the key
    # of the question content cached for starts and attempt pages, read from the row the view loads anyway.
    content_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("instructions"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("time_limit_minutes"), FieldPanel("max_attempts")]),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("grading_method"),
                FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_choices")]),
                FieldPanel("review_policy"),
                FieldPanel("is_published"),
            ],
            heading=_("Rules"),
        ),
        InlinePanel("slots", label=_("Questions"), min_num=1, help_text=_("Pick a fixed question, or a category and how many questions to draw from it at random.")),
    ]
    search_fields = [index.SearchField("title")]

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The quiz must close after it opens.")})


class QuizSlot(Orderable):
    """A place in a quiz: one fixed question, or N questions drawn at random from a category."""

    quiz = ParentalKey(Quiz, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="slots")
    question = models.ForeignKey(
        Question, verbose_name=_("fixed question"), null=True, blank=True, on_delete=models.PROTECT, related_name="slots"
    )
    category = models.ForeignKey(
        QuestionCategory, verbose_name=_("or draw from category"), null=True, blank=True, on_delete=models.PROTECT, related_name="slots"
    )
    draw_count = models.PositiveSmallIntegerField(_("how many to draw"), default=1, validators=[MinValueValidator(1)])
    include_subcategories = models.BooleanField(_("include subcategories"), default=True)

    panels = [FieldPanel("question"), FieldRowPanel([FieldPanel("category"), FieldPanel("draw_count"), FieldPanel("include_subcategories")])]

    class Meta(Orderable.Meta):
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(question__isnull=False, category__isnull=True) | models.Q(question__isnull=True, category__isnull=False),
                name="quizzes_slot_question_xor_category",
            )
        ]

    def clean(self):
        if bool(self.question_id) == bool(self.category_id):
            raise ValidationError(_("Choose either a fixed question or a category to draw from, not both."))
        if self.category_id:
            match = self.category.subtree_q() if self.include_subcategories else models.Q(category_id=self.category_id)
            available = Question.objects.filter(match, is_active=True).count()
            if available < self.draw_count:
                raise ValidationError(
                    {"draw_count": _("“%(category)s” has only %(n)d active questions.") % {"category": self.category, "n": available}}
                )

    def __str__(self) -> str:
        if self.question_id:
            return str(self.question)
        return f"{self.category} × {self.draw_count}"


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


class Attempt(models.Model):
    """One try at a quiz by one trainee: its frozen question list, deadline, and grade."""

    quiz = models.ForeignKey(Quiz, verbose_name=_("quiz"), on_delete=models.PROTECT, related_name="attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("trainee"), on_delete=models.CASCADE, related_name="quiz_attempts")
    number = models.PositiveIntegerField(_("attempt number"))
    status = models.CharField(_("status"), max_length=16, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS, db_index=True)
    seed = models.BigIntegerField(_("shuffle seed"))
    # [{"q": question id, "points": "1.00", "choices": [choice ids in display order]}]: what this attempt
    # asks and in which order, fixed at start so a later edit of the quiz does not change a running attempt.
    layout = models.JSONField(_("question list"), default=list)
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    auto_submitted = models.BooleanField(_("submitted automatically"), default=False, help_text=_("Finalised by the server when time ran out."))
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("maximum score"), max_digits=8, decimal_places=2, default=Decimal("0"))
    percent = models.DecimalField(_("percent"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    graded_at = models.DateTimeField(_("graded"), null=True, blank=True)
    # Which browser (session) or API client answers this attempt now (quizzes/holders.py); another one
    # that opens it takes it over, and saves from the previous one are refused, not interleaved.
    holder = models.CharField(_("answering client"), max_length=32, blank=True, default="", editable=False)

    class Meta:
        ordering = ["quiz", "user", "number"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(fields=["quiz", "user", "number"], name="quizzes_attempt_number_unique"),
            models.UniqueConstraint(
                fields=["quiz", "user"], condition=models.Q(status="in_progress"), name="quizzes_one_open_attempt"
            ),
        ]
        indexes = [models.Index(fields=["quiz", "status"]), models.Index(fields=["user", "quiz"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.quiz} #{self.number}"

    @property
    def is_finished(self) -> bool:
        return self.status == AttemptStatus.SUBMITTED

    def question_ids(self) -> list[int]:
        return [item["q"] for item in self.layout]


class Response(models.Model):
    """A trainee's answer to one question of an attempt, and the credit it earned."""

    attempt = models.ForeignKey(Attempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="responses")
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="responses")
    # Choice questions: {"choices": [ids]}; short answer: {"text": "..."}; ordering: {"order": [ids]}.
    answer = models.JSONField(_("answer"), default=dict, blank=True)
    fraction = models.DecimalField(_("credit (0–1)"), max_digits=7, decimal_places=4, null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True, blank=True)
    saved_at = models.DateTimeField(_("saved"))

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="quizzes_response_unique")]

    def __str__(self) -> str:
        return f"{self.attempt} · {self.question_id}"


class FocusLossKind(models.TextChoices):
    HIDDEN = "hidden", _("Page hidden (switched tab or app)")
    BLUR = "blur", _("Window lost focus")


class FocusLoss(models.Model):
    """The attempt page was hidden or lost focus (切屏) for a while: recorded for the trainer, never blocking."""

    attempt = models.ForeignKey(Attempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="focus_losses")
    kind = models.CharField(_("kind"), max_length=8, choices=FocusLossKind.choices)
    # When focus came back, by the server's clock (the browser only says how long it was away).
    returned_at = models.DateTimeField(_("returned"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))

    class Meta:
        ordering = ["attempt", "returned_at", "pk"]
        verbose_name = _("focus loss")
        verbose_name_plural = _("focus losses")
        indexes = [models.Index(fields=["attempt", "returned_at"])]

    def __str__(self) -> str:
        return f"{self.attempt_id} · {self.kind} · {self.duration_ms} ms"
