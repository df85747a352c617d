"""Moodle XML, read the way Moodle's qformat_xml reads it (question/format/xml/format.php).

`<quiz>` holds `<question type=…>` elements: `category` ones switch the category of the questions
that follow (`$course$/top/…`, with `<info>` as its description); multichoice (single or multiple,
fractions in percent, negative allowed), truefalse, shortanswer and ordering (qtype_ordering: the
answers' fractions are the right order) are read into our types. Every text carries its `format`
(html, moodle_auto_format, plain_text, markdown; answers and feedback default to the question's);
embedded `<file name=… encoding="base64">` pictures referenced as `@@PLUGINFILE@@/name` travel with
the question and become Wagtail images when it is stored. Other types are reported by name and type.

The XML is parsed with defusedxml: a DOCTYPE (and so any entity expansion or external entity) is
refused before anything is expanded.
"""

from __future__ import annotations

import base64
import binascii
import re
from decimal import Decimal, InvalidOperation
from urllib.parse import unquote
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import ImportIssue, ParsedChoice, ParsedQuestion, ParseResult, clean_html, html_to_text, short_name, to_html, to_plain
from .categories import CategoryPathError, parse_category_path
from .images import image_problem

PLUGINFILE = "@@PLUGINFILE@@/"
IMG_SRC = re.compile(r'<img\b[^>]*\bsrc="@@PLUGINFILE@@/([^"]+)"', re.IGNORECASE)
FILE_REF = re.compile(r'"@@PLUGINFILE@@/([^"]+)"')
QUESTION_TAG = re.compile(rb"<question[\s>]")
TRUE_WORDS = {"true", "1", "yes"}

# Moodle's types we have no engine for, with the name a trainer knows them by.
UNSUPPORTED = {
    "essay": gettext_noop("essay"), "match": gettext_noop("matching"), "matching": gettext_noop("matching"), "numerical": gettext_noop("numerical"), "description": gettext_noop("description item"),
    "ddwtos": gettext_noop("drag and drop into text"), "gapselect": gettext_noop("select missing words"), "calculated": gettext_noop("calculated"),
    "calculatedsimple": gettext_noop("calculated"), "calculatedmulti": gettext_noop("calculated multichoice"), "cloze": gettext_noop("embedded answers (Cloze)"),
    "multianswer": gettext_noop("embedded answers (Cloze)"), "ddimageortext": gettext_noop("drag and drop onto image"), "ddmarker": gettext_noop("drag and drop markers"),
    "randomsamatch": gettext_noop("random short-answer matching"), "random": gettext_noop("random"), "numerical_units": gettext_noop("numerical"),
}


class NotMoodleXML(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def parse(data: bytes) -> ParseResult:
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise NotMoodleXML(_("The file declares a DTD or entities, which Moodle XML never does; it is refused for safety.")) from None
    except ParseError as error:
        line = error.position[0] if getattr(error, "position", None) else "?"
        raise NotMoodleXML(_("The file is not well-formed XML (line %(line)s).") % {"line": line}) from None
    if root.tag != "quiz":
        raise NotMoodleXML(_("This XML file is not a Moodle question file: it should start with <quiz>, not <%(tag)s>.") % {"tag": root.tag[:40]})
    elements = root.findall("question")
    lines = [data.count(b"\n", 0, m.start()) + 1 for m in QUESTION_TAG.finditer(data)]
    if len(lines) != len(elements):  # "<question" inside CDATA: number the questions instead of guessing lines
        lines = list(range(1, len(elements) + 1))
    result = ParseResult()
    category, category_error = "", ""
    for line, element in zip(lines, elements, strict=False):
        qtype = element.get("type", "")
        if qtype == "category":
            try:
                category, category_error = parse_category_path(_text(element, "category")), ""
            except CategoryPathError as error:
                category_error = error.message
                result.issues.append(ImportIssue(line=line, name=_text(element, "category")[:80], kind="error", message=error.message, qtype="category"))
                continue
            info = element.find("info")
            if category and info is not None:
                result.category_info[category] = html_to_text(_text(element, "info")) if info.get("format") != "plain_text" else _text(element, "info")
            continue
        name = html_to_text(_text(element, "name")) or ""
        if category_error:
            result.issues.append(ImportIssue(line=line, name=name, kind="error", qtype=qtype,
                                             message=_("Not imported: its category path is refused (see above).")))
            continue
        item = _question(line, name, qtype, element, category)
        (result.issues if isinstance(item, ImportIssue) else result.questions).append(item)
    return result


def _text(element: Element, path: str, default: str = "") -> str:
    """The <text> of the child at `path` (or the child's own text, as Moodle 1.9 files sometimes have)."""
    child = element.find(path) if path else element
    if child is None:
        return default
    text = child.find("text")
    value = text.text if text is not None else child.text
    return (value or "").strip() if value is not None else default


def _format(element: Element | None, default: str) -> str:
    fmt = (element.get("format") if element is not None else None) or default
    return {"plain_text": "plain", "moodle_auto_format": "moodle", "wiki_like": "moodle"}.get(fmt, fmt if fmt in {"html", "markdown"} else "moodle")


def _rich(element: Element | None, fmt: str) -> str:
    """A text in Moodle's format → our HTML. moodle_auto_format is HTML with line breaks kept (Moodle's text_to_html)."""
    if element is None:
        return ""
    text = _text(element, "")
    if fmt == "moodle":
        return clean_html(text.replace("\n", "<br>")) if text else ""
    return to_html(text, fmt) if text else ""


def _files(element: Element | None) -> dict[str, bytes | None]:
    """Embedded files of a text, by the name the text uses after @@PLUGINFILE@@/ (None: not valid base64)."""
    found: dict[str, bytes | None] = {}
    if element is None:
        return found
    for file in element.findall("file"):
        name = (file.get("path") or "/").strip("/") + "/" + (file.get("name") or "")
        try:
            found[name.lstrip("/")] = base64.b64decode("".join((file.text or "").split()), validate=True)
        except (binascii.Error, ValueError):
            found[name.lstrip("/")] = None
    return found


def _decimal(raw: str | None, default: Decimal | None) -> Decimal | None:
    try:
        return Decimal((raw or "").strip()) if (raw or "").strip() else default
    except InvalidOperation:
        return None


def _question(line: int, name: str, qtype: str, element: Element, category: str):
    def issue(kind: str, message: str):
        return ImportIssue(line=line, name=name or short_name(stem), kind=kind, message=message, qtype=qtype)

    qtext = element.find("questiontext")
    fmt = _format(qtext, "moodle")
    stem = _rich(qtext, fmt)
    files = _files(qtext)
    old_image = (element.findtext("image") or "").strip()
    if old_image and not old_image.startswith("http"):  # Moodle 1.9's <image>/<image_base64>: appended to the text
        try:
            files[old_image] = base64.b64decode("".join((element.findtext("image_base64") or "").split()), validate=True)
        except (binascii.Error, ValueError):
            files[old_image] = None
        stem += f'<p><img src="{PLUGINFILE}{old_image}" alt="{old_image.rsplit("/", 1)[-1]}"></p>'
    if qtype in UNSUPPORTED or qtype not in {"multichoice", "truefalse", "shortanswer", "ordering"}:
        kind = _(UNSUPPORTED.get(qtype, qtype or "unknown"))
        return issue("skipped", _("Skipped: Moodle “%(type)s” (%(kind)s) questions have no equivalent here.") % {"type": qtype, "kind": kind})
    feedback_el = element.find("generalfeedback")
    explanation = _rich(feedback_el, _format(feedback_el, fmt))
    files.update(_files(feedback_el))
    hints = []
    for hint in element.findall("hint"):
        html_hint = _rich(hint, _format(hint, fmt))
        files.update(_files(hint))
        if html_hint:
            hints.append(html_hint)
    points = _decimal(element.findtext("defaultgrade"), Decimal("1"))
    penalty = _decimal(element.findtext("penalty"), None)
    if points is None or not 0 < points < 10000:
        return issue("error", _("The default mark (defaultgrade) must be a number above 0."))
    notes: list[str] = []
    choices: list[ParsedChoice] = []
    option_files: list[str] = []
    for answer in element.findall("answer"):
        afmt = _format(answer, fmt)
        weight = _decimal(answer.get("fraction"), Decimal("0"))
        if weight is None:
            return issue("error", _("An answer's fraction “%(value)s” is not a number.") % {"value": (answer.get("fraction") or "")[:20]})
        feedback = answer.find("feedback")
        option_files += list(_files(answer)) + list(_files(feedback))
        # Short answers are matched as typed: Moodle never formats them, whatever `format` says.
        text = _text(answer, "") if qtype == "shortanswer" else _option_text(_text(answer, ""), afmt)
        choices.append(ParsedChoice(
            text=text, weight=weight,
            feedback=_option_text(_text(feedback, "") if feedback is not None else "", _format(feedback, fmt)),
        ))
    if option_files:
        notes.append(_("Pictures in options or their feedback are not kept (options hold text only): %(names)s.") % {"names": ", ".join(sorted(set(option_files)))})
    ours = {"multichoice": "single", "truefalse": "truefalse", "shortanswer": "short", "ordering": "ordering"}[qtype]
    if qtype == "multichoice":
        ours = "single" if (element.findtext("single") or "true").strip().lower() in TRUE_WORDS else "multiple"
    elif qtype == "truefalse":
        truth = {c.text.strip().lower(): c for c in choices}
        if set(truth) != {"true", "false"}:
            return issue("error", _("A true/false question needs a “true” and a “false” answer."))
        choices = [ParsedChoice(text=_("True"), weight=truth["true"].weight, feedback=truth["true"].feedback),
                   ParsedChoice(text=_("False"), weight=truth["false"].weight, feedback=truth["false"].feedback)]
    elif qtype == "shortanswer":
        if (element.findtext("usecase") or "0").strip() == "1":
            notes.append(_("Case-sensitive matching (usecase) is not kept: answers here match regardless of case."))
    elif qtype == "ordering":
        # qtype_ordering stores the right position of each item as its fraction.
        choices = [c for _pos, _i, c in sorted((c.weight, i, c) for i, c in enumerate(choices))]
        for c in choices:
            c.weight = Decimal("0")
        grading = (element.findtext("gradingtype") or "RELATIVE_NEXT_EXCLUDE_LAST").strip().upper()
        if grading != "RELATIVE_NEXT_EXCLUDE_LAST":
            notes.append(_("Graded by neighbouring pairs here, not by Moodle's “%(grading)s”.") % {"grading": grading})
        if (element.findtext("selecttype") or "ALL").strip().upper() != "ALL":
            notes.append(_("All items are shown here; Moodle's choice of a subset of items is not kept."))
    problems = [
        image_problem(name_, data) if data is not None else _("The embedded file “%(name)s” is not valid base64.") % {"name": name_}
        for name_, data in files.items() if _referenced(name_, stem, explanation, hints)
    ]
    problems = [p for p in problems if p]
    if problems:
        return issue("error", " ".join(problems))
    tags = [html_to_text(_text(tag, "")) for tag in element.findall("tags/tag")]
    return ParsedQuestion(
        line=line, name=name or short_name(stem), qtype=ours, stem=stem, choices=choices, explanation=explanation,
        category=category, points=points, idnumber=(element.findtext("idnumber") or "").strip()[:100],
        tags=[t for t in tags if t], hints=hints, penalty=penalty if penalty is not None and 0 <= penalty <= 1 else None,
        is_active=(element.findtext("hidden") or "0").strip() != "1",
        files={n: d for n, d in files.items() if d is not None and _referenced(n, stem, explanation, hints)}, notes=notes,
    )


def _option_text(text: str, fmt: str) -> str:
    # Options are stored as text: Moodle's HTML (and auto-format, which is HTML too) is reduced to what it shows.
    return to_plain(text, "html" if fmt == "moodle" else fmt)


def _referenced(name: str, *texts) -> bool:
    wanted = {name, name.lstrip("/")}
    for text in texts:
        for value in text if isinstance(text, list) else [text]:
            if any(unquote(ref) in wanted for ref in FILE_REF.findall(value)):
                return True
    return False
