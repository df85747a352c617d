"""Moodle XML as Moodle 4.x imports it (qformat_xml): categories as `<category>` entries with their
`$course$/top/…` path, every text with its format, pictures as base64 `<file>`s referenced by
`@@PLUGINFILE@@/name`, and the fields Moodle reads (defaultgrade, penalty, hidden, idnumber, tags, hints)."""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from decimal import Decimal
from xml.etree.ElementTree import Comment, Element, SubElement, indent, tostring

from .categories import write_category_path

MOODLE_TYPES = {"single": "multichoice", "multiple": "multichoice", "truefalse": "truefalse", "short": "shortanswer", "ordering": "ordering"}


@dataclass
class ExportQuestion:
    category: str  # relative path ("" = the exported category itself)
    name: str
    qtype: str
    stem: str  # HTML, pictures as @@PLUGINFILE@@/name
    choices: list[tuple[str, Decimal, str]]  # (text, weight %, feedback) in stored order
    explanation: str = ""
    hints: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    points: Decimal = Decimal("1")
    penalty: Decimal = Decimal("0.3333333")
    idnumber: str = ""
    tags: list[str] = field(default_factory=list)
    is_active: bool = True
    difficulty: str = ""


def _text(parent: Element, tag: str, value: str, fmt: str | None = None, files: dict[str, bytes] | None = None) -> Element:
    element = SubElement(parent, tag, {"format": fmt} if fmt else {})
    SubElement(element, "text").text = value
    for name, data in (files or {}).items():
        if f"@@PLUGINFILE@@/{name}" in value or f"@@PLUGINFILE@@/{_quoted(name)}" in value:
            SubElement(element, "file", {"name": name, "path": "/", "encoding": "base64"}).text = base64.b64encode(data).decode("ascii")
    return element


def _quoted(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def _number(value: Decimal) -> str:
    return f"{Decimal(value):.7f}"


def _option_html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def write(questions: list[ExportQuestion], *, descriptions: dict[str, str], header: str) -> bytes:
    quiz = Element("quiz")
    quiz.append(Comment(f" {header} "))
    current = None
    for q in questions:
        if q.category != current:
            category = SubElement(quiz, "question", {"type": "category"})
            _text(category, "category", write_category_path(q.category))
            _text(category, "info", descriptions.get(q.category, ""), "plain_text")
            current = q.category
        quiz.append(_question(q))
    indent(quiz, space="  ")
    return tostring(quiz, encoding="utf-8", xml_declaration=True) + b"\n"


def _question(q: ExportQuestion) -> Element:
    element = Element("question", {"type": MOODLE_TYPES[q.qtype]})
    _text(element, "name", q.name)
    _text(element, "questiontext", q.stem, "html", q.files)
    _text(element, "generalfeedback", q.explanation, "html", q.files)
    SubElement(element, "defaultgrade").text = _number(q.points)
    SubElement(element, "penalty").text = _number(q.penalty)
    SubElement(element, "hidden").text = "0" if q.is_active else "1"
    SubElement(element, "idnumber").text = q.idnumber
    if q.qtype in ("single", "multiple"):
        SubElement(element, "single").text = "true" if q.qtype == "single" else "false"
        SubElement(element, "shuffleanswers").text = "true"
        SubElement(element, "answernumbering").text = "abc"
        SubElement(element, "showstandardinstruction").text = "0"
    elif q.qtype == "short":
        SubElement(element, "usecase").text = "0"
    elif q.qtype == "ordering":
        for tag, value in (("layouttype", "VERTICAL"), ("selecttype", "ALL"), ("selectcount", "0"),
                           ("gradingtype", "RELATIVE_NEXT_EXCLUDE_LAST"), ("showgrading", "SHOW"), ("numberingstyle", "none")):
            SubElement(element, tag).text = value
    choices = q.choices
    if q.qtype == "truefalse":
        right = next((i for i, c in enumerate(choices) if Decimal(c[1]) == 100), 0)
        choices = [("true", Decimal(100 if right == 0 else 0), choices[0][2]), ("false", Decimal(100 if right == 1 else 0), choices[1][2])]
    for position, (text, weight, feedback) in enumerate(choices, start=1):
        if q.qtype == "ordering":
            answer = SubElement(element, "answer", {"fraction": str(position), "format": "html"})
            SubElement(answer, "text").text = _option_html(text)
            continue
        fraction = f"{Decimal(weight).normalize():f}"
        if q.qtype in ("short", "truefalse"):
            answer = SubElement(element, "answer", {"fraction": fraction, "format": "moodle_auto_format"})
            SubElement(answer, "text").text = text
        else:
            answer = SubElement(element, "answer", {"fraction": fraction, "format": "html"})
            SubElement(answer, "text").text = _option_html(text)
        _text(answer, "feedback", _option_html(feedback), "html")
    for hint in q.hints:
        _text(element, "hint", hint, "html", q.files)
    if q.tags:
        tags = SubElement(element, "tags")
        for tag in q.tags:
            _text(tags, "tag", tag)
    return element
