"""Import question files into the bank: all or nothing, re-import updates.

A file whose questions have any error (bad answers, grades, pictures, category paths, rows of the
Excel template) stores nothing: the report lists every error with its line or row and the question's
name, and the trainer corrects the file and imports it again. This is Moodle's own default ("stop on
error": "Error(s) found parsing the import file. No questions have been imported."). Questions of types
we do not hold (essay, matching, numerical…) are not errors: they are listed as not imported and the
rest of the file is, after the trainer has seen the list in the preview.

A question counts as the same question when its category, its stem (as text) and its options (as a
set of texts) are the same: importing a file twice, or a corrected file after a first try, updates
those questions instead of duplicating them (their option ids, and so past attempts, stay intact).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.fields import SafeRichTextField
from lms.models import User
from lms.services import record_audit

from .content import bank_changed
from .importers import ImportIssue, ParsedQuestion, ParseResult, aiken, decode, gift, html_to_text, moodle_xml, xlsx
from .models import Choice, Question, QuestionCategory
from .question_images import ImageStore
from .question_rules import check_question
from .tasks import index_questions

TEXT_FORMATS = {"gift": gift.parse, "aiken": aiken.parse}
BINARY_FORMATS = {"xml": moodle_xml.parse, "xlsx": xlsx.parse}
FORMAT_NAMES = ("gift", "aiken", "xml", "xlsx")
HUNDREDTH, WEIGHT_STEP = Decimal("0.01"), Decimal("0.0001")
SEARCHED_FIELDS = frozenset({"name", "stem", "qtype"})  # Question.search_fields an import can change
PENALTY_STEP = Decimal("0.0000001")
# Text files are small; Moodle XML carries base64 pictures and the Excel template 2,000+ rows.
MAX_BYTES = {"gift": 2 * 1024 * 1024, "aiken": 2 * 1024 * 1024, "xml": 10 * 1024 * 1024, "xlsx": 5 * 1024 * 1024}


class ImportFileError(Exception):
    """The file as a whole cannot be read; `message` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class ImportReport:
    questions: list[ParsedQuestion] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    imported: int = 0  # created + updated
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # already in the bank exactly as the file has them: not written again
    categories: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[ImportIssue]:
        return [issue for issue in self.issues if issue.blocking]

    @property
    def refused(self) -> bool:
        """True when the file had errors and so nothing of it was stored."""
        return bool(self.errors)


def _as_stored(name: str, value):
    """`value` as the question's field holds it once saved and read back: rich text is cleaned on both ways
    (SafeRichTextField), so a file's raw HTML is compared in that form, or every re-import would "change" it."""
    model_field = Question._meta.get_field(name)
    return model_field.to_python(value) if isinstance(model_field, SafeRichTextField) and value else value


def clean_path(path: str) -> str:
    parts = [part.strip() for part in (path or "").replace("\\", "/").split("/") if part.strip()]
    if not parts:
        raise ImportFileError(_("Give the category to import into, e.g. 后台管理/栏目设置."))
    if any(len(part) > 100 for part in parts):
        raise ImportFileError(_("A category name can be at most 100 characters."))
    if any(part in {".", ".."} for part in parts):
        raise ImportFileError(_("A category name cannot be “.” or “..”."))
    return "/".join(parts)


def guess_format(*, data: bytes, filename: str = "") -> str:
    """The format of a question file from its name, else from its first bytes."""
    name = filename.lower()
    for suffix, fmt in ((".xlsx", "xlsx"), (".xml", "xml"), (".gift", "gift"), (".gift.txt", "gift"), (".aiken.txt", "aiken")):
        if name.endswith(suffix):
            return fmt
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith((b"<?xml", b"<quiz")):
        return "xml"
    return "gift" if b"{" in data else "aiken"


def parse_file(*, data: bytes, fmt: str) -> ParseResult:
    """Read a question file; questions that break our rules move to the issues with their line."""
    if fmt not in FORMAT_NAMES:
        raise ImportFileError(_("Unknown format “%(fmt)s”: use gift, aiken, xml or xlsx.") % {"fmt": fmt})
    if len(data) > MAX_BYTES[fmt]:
        raise ImportFileError(_("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES[fmt] // (1024 * 1024)})
    if fmt in BINARY_FORMATS:
        try:
            result = BINARY_FORMATS[fmt](data)
        except (moodle_xml.NotMoodleXML, xlsx.NotATemplate) as error:
            raise ImportFileError(error.message) from None
    else:
        try:
            text = decode(data)
        except UnicodeDecodeError:
            raise ImportFileError(_("The file is not UTF-8 text. Save it as UTF-8 (in Notepad: Save as → Encoding: UTF-8) and try again.")) from None
        if "\x00" in text:
            raise ImportFileError(_("The file is not a text file."))
        result = TEXT_FORMATS[fmt](text)
    good = []
    for question in result.questions:
        problems = check_question(qtype=question.qtype, choices=[(c.text, c.weight) for c in question.choices]) or _field_problems(question)
        if problems:
            result.issues.append(ImportIssue(line=question.line, name=question.name, kind="error", message=" ".join(problems)))
        else:
            good.append(question)
            result.issues.extend(ImportIssue(line=question.line, name=question.name, kind="note", message=note) for note in question.notes)
    result.questions = good
    result.issues.sort(key=lambda issue: issue.line)
    return result


def question_fields(item: ParsedQuestion, *, stem: str | None = None, explanation: str | None = None, hints: list[str] | None = None) -> dict:
    """The Question fields an imported question sets (stem, explanation and hints once its pictures are stored)."""
    fields = {
        "qtype": item.qtype, "name": item.name[:200] or _("Untitled question"), "stem": item.stem if stem is None else stem,
        "explanation": item.explanation if explanation is None else explanation, "idnumber": item.idnumber, "tags": item.tags,
        "hints": list(item.hints) if hints is None else hints, "is_active": item.is_active, "difficulty": item.difficulty[:20],
    }
    if item.points is not None:  # Moodle writes 1.0000000; we keep hundredths
        fields["points"] = Decimal(item.points).quantize(HUNDREDTH)
    if item.penalty is not None:  # stored with 7 places, as Moodle writes it; compared after rounding
        fields["penalty"] = Decimal(item.penalty).quantize(PENALTY_STEP)
    return fields


def _field_problems(item: ParsedQuestion) -> list[str]:
    """What the model itself refuses (a mark of 10 000, a weight of 150 %), said before anything is stored."""
    problems = []
    try:
        Question(**question_fields(item)).full_clean(exclude=["category"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            label = Question._meta.get_field(name).verbose_name if name != "__all__" else ""
            problems += [f"{label}：{m}" if label else m for m in messages]
    if any(not Decimal(-100) <= Decimal(c.weight) <= Decimal(100) for c in item.choices):
        problems.append(_("Option weights must be between -100 and 100."))
    return problems


def ensure_category(path: str, description: str = "") -> QuestionCategory:
    """The category at `path` (a/b/c), creating the missing levels; a new leaf takes `description`."""
    parent = None
    names = path.split("/")
    for depth, name in enumerate(names, start=1):
        defaults = {"path": "", "description": description if depth == len(names) else ""}
        parent, _created = QuestionCategory.objects.get_or_create(parent=parent, name=name, defaults=defaults)
    return parent


def question_key(*, stem: str, qtype: str, options: list[str]) -> tuple:
    """What makes two questions of one category the same: the stem's text and the set of option texts."""
    text = " ".join(html_to_text(stem).split())
    if qtype == "truefalse":  # the options are always true/false, in whatever language they were written
        return (text, qtype)
    return (text, tuple(sorted(" ".join(o.split()) for o in options)))


def import_questions(*, data: bytes, fmt: str, category_path: str, actor: User | None = None) -> ImportReport:
    """Import the file's questions under `category_path`: all of them, in one transaction, or none.

    Any question with an error → nothing is stored (no question, option, category, picture or
    collection) and `report.refused` is true; `report.errors` says what to correct, line by line.
    Questions of types we do not hold are listed in the report and do not stop the others. If storing
    fails part-way (a picture that cannot be written, the database), the transaction is rolled back
    and the picture files already written are deleted.
    """
    base = clean_path(category_path)
    parsed = parse_file(data=data, fmt=fmt)
    report = ImportReport(questions=parsed.questions, issues=parsed.issues)
    if report.refused:
        return report
    store = _Store(base=base, info=parsed.category_info)
    try:
        with transaction.atomic():
            store.load(parsed.questions)
            for item in parsed.questions:
                store.put(item)
            store.finish()
            report.created, report.updated, report.unchanged = store.created, store.updated, store.unchanged
            report.imported = store.created + store.updated + store.unchanged
            report.categories = sorted(store.categories)
            if report.imported:
                record_audit(
                    actor=actor, action="quiz.questions.import", obj=store.categories.get(base),
                    after={"format": fmt, "created": report.created, "updated": report.updated, "unchanged": report.unchanged,
                           "skipped": len(parsed.skipped), "categories": report.categories},
                )
    except BaseException:
        # The rows are rolled back; the picture files are not part of the transaction, so they go by hand.
        store.images.discard_written_files()
        raise
    return report


class _Store:
    """Writes parsed questions in bulk, whatever the size of the file, in a fixed number of queries.

    The categories the file uses, their questions and their options are read in three queries; a
    question already in the bank exactly as the file has it is not written at all; changed questions
    and options are written with bulk_update, only in the fields that changed; the search index is
    refreshed in a task after the commit (Wagtail indexes a single save in a task too: on SQLite its
    index backend updates one row per question, which made a 2,000-question re-import 2,000 queries).
    """

    def __init__(self, *, base: str, info: dict[str, str]):
        self.base, self.info = base, info
        self.categories: dict[str, QuestionCategory] = {}  # by full path: the categories questions go into
        self.existing: dict[int, dict[tuple, list[Question]]] = {}  # by category id, then question_key
        self.choices: dict[int, list[Choice]] = {}  # stored options by question id
        self.new_questions: list[tuple[Question, ParsedQuestion]] = []
        self.question_updates: dict[frozenset, list[Question]] = {}  # by the set of fields that changed
        self.choice_updates: dict[frozenset, list[Choice]] = {}
        self.touched: list[int] = []  # ids of updated questions (their updated_at)
        self.reindex: list[int] = []  # ids of updated questions whose searched fields changed
        self.images = ImageStore()
        self.created = self.updated = self.unchanged = 0

    def _path(self, relative: str) -> str:
        return f"{self.base}/{relative}" if relative else self.base

    def load(self, items: list[ParsedQuestion]) -> None:
        """Find or create every category the items go into, then read their questions and options."""
        paths = {self._path(item.category) for item in items}
        wanted = {"/".join(path.split("/")[:depth]) for path in paths for depth in range(1, path.count("/") + 2)}
        found = {category.path: category for category in QuestionCategory.objects.filter(path__in=wanted)}
        for path in sorted(wanted - found.keys(), key=lambda p: p.count("/")):  # parents before children
            parent_path, _slash, name = path.rpartition("/")
            relative = "" if path == self.base else path[len(self.base) + 1:] if path.startswith(self.base + "/") else None
            category = QuestionCategory(parent=found.get(parent_path), name=name, path="",
                                        description=self.info.get(relative, "") if relative is not None else "")
            category.save()
            found[path] = category
        self.categories = {path: found[path] for path in sorted(paths)}
        ids = [category.pk for category in self.categories.values()]
        # Options read in one query (modelcluster's related manager does not use a prefetch cache).
        for choice in Choice.objects.filter(question__category_id__in=ids).order_by("sort_order", "pk"):
            self.choices.setdefault(choice.question_id, []).append(choice)
        for q in Question.objects.filter(category_id__in=ids).order_by("pk"):
            key = question_key(stem=q.stem, qtype=q.qtype, options=[c.text for c in self.choices.get(q.pk, [])])
            self.existing.setdefault(q.category_id, {}).setdefault(key, []).append(q)

    def put(self, item: ParsedQuestion) -> None:
        category = self.categories[self._path(item.category)]
        stem, explanation = item.stem, item.explanation
        hints = list(item.hints)
        if item.files:
            stem, explanation, *hints = self.images.embed([stem, explanation, *hints], files=item.files, category=category)
        key = question_key(stem=stem, qtype=item.qtype, options=[c.text for c in item.choices])
        # Each stored question answers for one question of the file: a file that holds the same question
        # twice (Moodle's own sample does) imports two, and importing it again updates those two.
        matches = self.existing.get(category.pk, {}).get(key)
        question = matches.pop(0) if matches else None
        # Checked against the model in parse_file, before anything was stored.
        fields = question_fields(item, stem=stem, explanation=explanation, hints=hints)
        if question is None:
            self.new_questions.append((Question(category=category, **fields), item))
            self.created += 1
            return
        changed = frozenset(name for name, value in fields.items() if getattr(question, name) != _as_stored(name, value))
        for name in changed:
            setattr(question, name, fields[name])
        if changed:
            self.question_updates.setdefault(changed, []).append(question)
            if changed & SEARCHED_FIELDS:
                self.reindex.append(question.pk)
        if self._update_choices(question, item) or changed:
            self.touched.append(question.pk)
            self.updated += 1
        else:
            self.unchanged += 1

    def _update_choices(self, question: Question, item: ParsedQuestion) -> bool:
        """Same options, perhaps new weights, feedback or order: update them in place, keeping their ids.
        True when any option changed."""
        stored = self.choices.get(question.pk, [])
        if item.qtype == "truefalse":
            pairs = list(zip(sorted(stored, key=lambda c: (c.sort_order or 0, c.pk or 0)), item.choices, strict=False))
        else:
            by_text: dict[str, list[Choice]] = {}
            for choice in stored:
                by_text.setdefault(" ".join(choice.text.split()), []).append(choice)
            pairs = [(by_text[" ".join(c.text.split())].pop(0), c) for c in item.choices]
        any_changed = False
        for order, (choice, parsed) in enumerate(pairs):
            wanted = {"fraction": Decimal(parsed.weight).quantize(WEIGHT_STEP), "feedback": parsed.feedback, "sort_order": order}
            changed = frozenset(name for name, value in wanted.items() if getattr(choice, name) != value)
            if changed:
                for name in changed:
                    setattr(choice, name, wanted[name])
                self.choice_updates.setdefault(changed, []).append(choice)
                any_changed = True
        return any_changed

    def finish(self) -> None:
        now = timezone.now()
        for question, _item in self.new_questions:
            question.created_at = question.updated_at = now
        created = Question.objects.bulk_create([q for q, _i in self.new_questions], batch_size=500)
        Choice.objects.bulk_create(
            [Choice(question=question, text=c.text, fraction=Decimal(c.weight).quantize(WEIGHT_STEP), feedback=c.feedback, sort_order=i)
             for question, item in self.new_questions for i, c in enumerate(item.choices)],
            batch_size=1000,
        )
        # Only the fields that changed: bulk_update writes one CASE per field, and building it in the ORM
        # (not running it) is what cost a 2,000-question re-import most of its time. Small batches: the
        # CASE's cost in the database grows with the batch squared.
        for fields, questions in self.question_updates.items():
            Question.objects.bulk_update(questions, sorted(fields), batch_size=100)
        for fields, choices in self.choice_updates.items():
            Choice.objects.bulk_update(choices, sorted(fields), batch_size=200)
        for start in range(0, len(self.touched), 500):  # one value for all: a plain UPDATE … WHERE id IN
            Question.objects.filter(pk__in=self.touched[start:start + 500]).update(updated_at=now)
        if created or self.question_updates or self.choice_updates:
            bank_changed()  # bulk writes send no signals: the cached quiz content must not go stale
        to_index = [q.pk for q in created] + self.reindex
        if to_index:
            transaction.on_commit(lambda: index_questions.enqueue(to_index))
