"""Import question files into the bank (all or nothing) and export a category back to GIFT."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from lms.models import User
from lms.services import record_audit

from .importers import ImportIssue, ParsedQuestion, ParseResult, aiken, decode, gift
from .models import Choice, Question, QuestionCategory
from .question_rules import check_question

FORMATS = {"gift": gift.parse, "aiken": aiken.parse}
MAX_FILE_BYTES = 2 * 1024 * 1024


class ImportFileError(Exception):
    """The file as a whole cannot be read; `message` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class ImportReport:
    questions: list[ParsedQuestion] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    imported: int = 0
    categories: list[str] = field(default_factory=list)


def _clean_path(path: str) -> str:
    parts = [part.strip() for part in (path or "").replace("\\", "/").split("/") if part.strip()]
    if not parts:
        raise ImportFileError(_("Give the category to import into, e.g. 后台管理/栏目设置."))
    if any(len(part) > 100 for part in parts):
        raise ImportFileError(_("A category name can be at most 100 characters."))
    return "/".join(parts)


def parse_file(*, data: bytes, fmt: str) -> ParseResult:
    """Read a question file; questions that break our rules move to the issues with their line."""
    if fmt not in FORMATS:
        raise ImportFileError(_("Unknown format “%(fmt)s”: use gift or aiken.") % {"fmt": fmt})
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is larger than 2 MB."))
    try:
        text = decode(data)
    except UnicodeDecodeError:
        raise ImportFileError(_("The file is not UTF-8 text. Save it as UTF-8 (in Notepad: Save as → Encoding: UTF-8) and try again."))
    if "\x00" in text:
        raise ImportFileError(_("The file is not a text file."))
    result = FORMATS[fmt](text)
    good = []
    for question in result.questions:
        problems = check_question(qtype=question.qtype, choices=[(c.text, c.weight) for c in question.choices])
        if problems:
            result.issues.append(ImportIssue(line=question.line, name=question.name, kind="error", message=" ".join(problems)))
        else:
            good.append(question)
    result.questions = good
    result.issues.sort(key=lambda issue: issue.line)
    return result


def ensure_category(path: str) -> QuestionCategory:
    """The category at `path` (a/b/c), creating the missing levels."""
    parent = None
    for name in path.split("/"):
        category, _created = QuestionCategory.objects.get_or_create(parent=parent, name=name, defaults={"path": ""})
        parent = category
    return parent


def import_questions(*, data: bytes, fmt: str, category_path: str, actor: User | None = None) -> ImportReport:
    """Import every good question of the file under `category_path`, in one transaction.

    Unsupported types and malformed questions are reported (with their line) and not imported; if
    storing any good one fails, none is stored.
    """
    base = _clean_path(category_path)
    parsed = parse_file(data=data, fmt=fmt)
    report = ImportReport(questions=parsed.questions, issues=parsed.issues)
    with transaction.atomic():
        categories: dict[str, QuestionCategory] = {}
        choices = []
        for item in parsed.questions:
            path = f"{base}/{item.category}" if item.category else base
            if path not in categories:
                categories[path] = ensure_category(path)
            question = Question(
                category=categories[path], qtype=item.qtype, name=item.name[:200] or _("Untitled question"), stem=item.stem,
                explanation=item.explanation,
            )
            question.full_clean(exclude=["category"])
            question.save()
            choices.extend(
                Choice(question=question, text=c.text, fraction=c.weight, feedback=c.feedback, sort_order=i)
                for i, c in enumerate(item.choices)
            )
        Choice.objects.bulk_create(choices)
        report.imported = len(parsed.questions)
        report.categories = sorted(categories)
        if report.imported:
            record_audit(
                actor=actor, action="quiz.questions.import", obj=categories[base] if base in categories else None,
                after={"format": fmt, "imported": report.imported, "skipped": sum(i.kind == "skipped" for i in report.issues),
                       "errors": sum(i.kind == "error" for i in report.issues), "categories": report.categories},
            )
    return report


@dataclass
class ExportResult:
    text: str
    exported: int
    skipped: list[str]


def export_gift(*, category: QuestionCategory, include_subcategories: bool = True) -> ExportResult:
    """The category's questions as GIFT, with `$CATEGORY:` lines relative to `category`. Ordering
    questions have no GIFT form and are listed as skipped. Two queries."""
    questions = Question.objects.filter(category.subtree_q()) if include_subcategories else Question.objects.filter(category=category)
    questions = list(questions.select_related("category").prefetch_related("choices").order_by("category__path", "pk"))
    parts = [f"// {category.path}: exported from the question bank\n"]
    current = None
    exported, skipped = 0, []
    for question in questions:
        text = gift.write_question(
            name=question.name, qtype=question.qtype, stem=question.stem, explanation=question.explanation,
            choices=[(c.text, c.fraction, c.feedback) for c in sorted(question.choices.all(), key=lambda c: (c.sort_order or 0, c.pk))],
        )
        if text is None:
            skipped.append(question.name)
            continue
        relative = question.category.path[len(category.path):].lstrip("/")
        if relative != current:
            parts.append(f"$CATEGORY: $course$/{relative}\n" if relative else "$CATEGORY: $course$\n")
            current = relative
        parts.append(text)
        exported += 1
    return ExportResult(text="\n".join(parts), exported=exported, skipped=skipped)
