"""The question bank: nested categories, questions of five types, and their choices."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from lms.fields import SafeRichTextField

PATH_SEPARATOR = "/"
QUESTION_RICH_TEXT = ["bold", "italic", "ol", "ul", "link", "image", "code"]


class QuestionCategory(models.Model):
    """A folder of the question bank, e.g. 后台管理/栏目设置; quizzes draw random questions from one."""

    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent category"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # The full path is stored so a category and its subcategories are one `path__startswith` query.
    path = models.CharField(_("path"), max_length=500, unique=True, editable=False)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("parent"), FieldPanel("description")]

    class Meta:
        ordering = ["path"]
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")

    def __str__(self) -> str:
        return self.path or self.name

    def save(self, *args, **kwargs):
        old_path = self.path
        self.path = self.build_path()
        super().save(*args, **kwargs)
        # Keep the stored paths of subcategories true after a rename or a move.
        if old_path and old_path != self.path:
            for child in self.children.all():
                child.save()

    def clean(self):
        if PATH_SEPARATOR in (self.name or ""):
            raise ValidationError({"name": _("A category name cannot contain “/”.")})
        ancestor = self.parent
        while ancestor is not None:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A category cannot be inside itself.")})
            ancestor = ancestor.parent

    def build_path(self) -> str:
        return f"{self.parent.path}{PATH_SEPARATOR}{self.name}" if self.parent_id else self.name

    def subtree_q(self, prefix: str = "category__") -> models.Q:
        """Matches this category and everything under it; `prefix` is the lookup path to the category."""
        return models.Q(**{f"{prefix}path": self.path}) | models.Q(**{f"{prefix}path__startswith": self.path + PATH_SEPARATOR})


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "truefalse", _("True/false")
    SHORT = "short", _("Fill in the blank / short answer")
    ORDERING = "ordering", _("Ordering")


CHOICE_TYPES = {QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE}


class Question(index.Indexed, ClusterableModel):
    """One question of the bank. How its choices count depends on its type:

    single / true-false: the chosen option's weight; multiple: the sum of the chosen weights, never
    below 0; short answer: the best weight of the accepted answers the input matches; ordering: the
    options' sort order is the right order.
    """

    category = models.ForeignKey(QuestionCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="questions")
    qtype = models.CharField(_("type"), max_length=16, choices=QuestionType.choices, default=QuestionType.SINGLE)
    name = models.CharField(_("name"), max_length=200, help_text=_("A short name for lists and statistics, e.g. 栏目无空白"))
    stem = SafeRichTextField(_("question"), features=QUESTION_RICH_TEXT)
    explanation = SafeRichTextField(
        _("general explanation"), blank=True, features=QUESTION_RICH_TEXT, help_text=_("Shown with the answers when the review policy allows.")
    )
    points = models.DecimalField(
        _("points"), max_digits=6, decimal_places=2, default=Decimal("1"), validators=[MinValueValidator(Decimal("0.01"))]
    )
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Inactive questions are not drawn into new attempts."))
    # Kept from imported banks so an export gives back what came in (Moodle's idnumber, tags, hints, penalty).
    idnumber = models.CharField(_("ID number"), max_length=100, blank=True, help_text=_("An identifier from the source bank, e.g. Moodle's ID number."))
    tags = models.JSONField(_("tags"), default=list, blank=True, help_text=_("A list of words, e.g. [\"栏目\", \"审核\"]."))
    difficulty = models.CharField(_("difficulty"), max_length=20, blank=True, help_text=_("As the source bank states it, e.g. 易, 中, 难."))
    hints = models.JSONField(_("hints"), default=list, blank=True, help_text=_("Hints from the source bank (HTML), kept for export."))
    penalty = models.DecimalField(
        _("penalty per retry"), max_digits=8, decimal_places=7, default=Decimal("0.3333333"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Moodle's penalty for each extra try; kept for export, not used in grading here."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [
        MultiFieldPanel([FieldPanel("category"), FieldPanel("qtype"), FieldPanel("name"), FieldPanel("points"), FieldPanel("is_active")], heading=_("Question")),
        FieldPanel("stem"),
        InlinePanel(
            "choices",
            min_num=1,
            label=_("Options / accepted answers"),
            help_text=_(
                "Choice questions: weight 100 for a right option, 0 for a wrong one; multiple choice: weights of the right "
                "options add up to 100 and wrong ones may be negative. Short answer: each accepted answer with its weight; "
                "* matches anything. Ordering: list the items in the right order."
            ),
        ),
        FieldPanel("explanation"),
        MultiFieldPanel([FieldPanel("idnumber"), FieldPanel("difficulty"), FieldPanel("tags")], heading=_("From the source bank")),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("stem"), index.FilterField("category_id"), index.FilterField("qtype")]

    class Meta:
        ordering = ["category__path", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.name

    def is_choice_type(self) -> bool:
        return self.qtype in CHOICE_TYPES


class Choice(Orderable):
    """An option of a choice question, an accepted answer of a short-answer question, or an item to order."""

    question = ParentalKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices")
    text = models.TextField(_("text"))
    fraction = models.DecimalField(
        _("weight (%)"),
        max_digits=7,
        decimal_places=4,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("-100")), MaxValueValidator(Decimal("100"))],
        help_text=_("Share of the points this option gives, from -100 to 100."),
    )
    feedback = models.TextField(_("feedback"), blank=True, help_text=_("Shown to a trainee who chose this option."))
    panels = [FieldPanel("text"), FieldPanel("fraction"), FieldPanel("feedback")]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.text[:80]
