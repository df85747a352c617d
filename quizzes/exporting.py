"""Export a category of the bank (with its subcategories) to GIFT, Moodle XML or the Excel template."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .importers import gift, moodle_xml_writer, xlsx_writer
from .importers.moodle_xml_writer import ExportQuestion
from .models import Question, QuestionCategory
from .question_images import plugin_files

EXPORT_FORMATS = ("gift", "xml", "xlsx")
CONTENT_TYPES = {
    "gift": "text/plain; charset=utf-8",
    "xml": "application/xml; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SUFFIXES = {"gift": ".gift.txt", "xml": ".moodle.xml", "xlsx": ".xlsx"}


@dataclass
class ExportResult:
    content: bytes
    exported: int
    skipped: list[str] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)  # per question name: what the format could not hold

    @property
    def text(self) -> str:
        return self.content.decode("utf-8")


def _questions(category: QuestionCategory, include_subcategories: bool):
    questions = Question.objects.filter(category.subtree_q()) if include_subcategories else Question.objects.filter(category=category)
    return list(questions.select_related("category").prefetch_related("choices").order_by("category__path", "pk"))


def _relative(category: QuestionCategory, question: Question) -> str:
    return question.category.path[len(category.path):].lstrip("/")


def _export_question(category: QuestionCategory, q: Question, *, with_files: bool) -> ExportQuestion:
    stem, explanation, hints, files = q.stem, q.explanation, list(q.hints or []), {}
    if with_files:
        (stem, explanation, *hints), files = plugin_files([stem, explanation, *hints])
    return ExportQuestion(
        category=_relative(category, q), name=q.name, qtype=q.qtype, stem=stem, explanation=explanation, hints=hints, files=files,
        choices=[(c.text, c.fraction, c.feedback) for c in sorted(q.choices.all(), key=lambda c: (c.sort_order or 0, c.pk))],
        points=q.points, penalty=q.penalty, idnumber=q.idnumber, tags=list(q.tags or []), is_active=q.is_active, difficulty=q.difficulty,
    )


def export_category(*, category: QuestionCategory, fmt: str, include_subcategories: bool = True) -> ExportResult:
    if fmt == "gift":
        return export_gift(category=category, include_subcategories=include_subcategories)
    questions = _questions(category, include_subcategories)
    if fmt == "xml":
        items = [_export_question(category, q, with_files=True) for q in questions]
        descriptions = {}
        for q in questions:
            descriptions.setdefault(_relative(category, q), q.category.description)
        content = moodle_xml_writer.write(items, descriptions=descriptions, header=_("Exported from the question bank: %(path)s") % {"path": category.path})
        return ExportResult(content=content, exported=len(items))
    if fmt == "xlsx":
        items = [_export_question(category, q, with_files=False) for q in questions]
        content, notes = xlsx_writer.write(items)
        return ExportResult(content=content, exported=len(items), notes=notes)
    raise ValueError(fmt)


def export_gift(*, category: QuestionCategory, include_subcategories: bool = True) -> ExportResult:
    """The category's questions as GIFT, with `$CATEGORY:` lines relative to `category`. Two queries."""
    parts = [f"// {category.path}: exported from the question bank\n"]
    current = None
    exported, skipped, notes = 0, [], {}
    for question in _questions(category, include_subcategories):
        text = gift.write_question(
            name=question.name, qtype=question.qtype, stem=question.stem, explanation=question.explanation,
            choices=[(c.text, c.fraction, c.feedback) for c in sorted(question.choices.all(), key=lambda c: (c.sort_order or 0, c.pk))],
        )
        if text is None:
            skipped.append(question.name)
            continue
        if question.tags or question.idnumber:
            notes[question.name] = [_("GIFT has no place for tags or the ID number; export to Moodle XML to keep them.")]
        relative = _relative(category, question)
        if relative != current:
            parts.append(f"$CATEGORY: $course$/top/{relative}\n" if relative else "$CATEGORY: $course$/top\n")
            current = relative
        parts.append(text)
        exported += 1
    return ExportResult(content="\n".join(parts).encode("utf-8"), exported=exported, skipped=skipped, notes=notes)
