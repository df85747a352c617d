"""Readers (and a writer) for question files: Moodle's GIFT and Aiken formats.

Parsers return ParsedQuestion objects and ImportIssue reports; they touch no database. The service
in quizzes/importing.py stores the good questions in one transaction.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from decimal import Decimal

import nh3

TEXT_FORMATS = {"html", "plain", "moodle", "markdown"}
# What a stem imported as HTML may keep: the formatting a rich-text question uses, nothing executable.
ALLOWED_TAGS = {"a", "b", "strong", "i", "em", "u", "br", "p", "ul", "ol", "li", "code", "pre", "sub", "sup", "span", "img"}


@dataclass
class ParsedChoice:
    text: str
    weight: Decimal  # percent
    feedback: str = ""


@dataclass
class ParsedQuestion:
    line: int
    name: str
    qtype: str
    stem: str  # HTML
    choices: list[ParsedChoice] = field(default_factory=list)
    explanation: str = ""  # HTML
    category: str = ""  # path relative to the import's target category ("" = the target itself)


@dataclass
class ImportIssue:
    line: int
    name: str
    kind: str  # "skipped" (a type we do not support) or "error" (malformed)
    message: str


@dataclass
class ParseResult:
    questions: list[ParsedQuestion] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)


def to_html(text: str, fmt: str) -> str:
    """Question text in a file's format → the HTML we store. Plain text is escaped, HTML sanitised."""
    text = text.strip()
    if fmt == "html":
        return nh3.clean(text, tags=ALLOWED_TAGS, attributes={"a": {"href"}, "img": {"src", "alt"}, "span": set()})
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return "".join("<p>" + html.escape(p.strip()).replace("\n", "<br>") + "</p>" for p in paragraphs)


def to_plain(text: str, fmt: str) -> str:
    """Option text: stored as plain text (options are short); HTML in a file is reduced to its text."""
    text = text.strip()
    if fmt == "html":
        return html.unescape(nh3.clean(text, tags=set())).strip()
    return text


def short_name(stem_html: str, limit: int = 60) -> str:
    text = " ".join(html.unescape(nh3.clean(stem_html, tags=set())).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def decode(data: bytes) -> str:
    """File bytes → text. UTF-8 with or without a BOM; anything else raises UnicodeDecodeError."""
    return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
