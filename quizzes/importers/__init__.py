"""Readers and writers of question files: Moodle's GIFT, Aiken and Moodle XML, and the Excel template.

Parsers return ParsedQuestion objects and ImportIssue reports; they touch no database. The service
in quizzes/importing.py stores a file's questions in one transaction, and only when no question of it
has an error (kind "error"); questions of types we do not hold (kind "skipped") are listed, not blocking.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal

import nh3
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

TEXT_FORMATS = {"html", "plain", "moodle", "markdown"}
# Moodle's markdown allows inline HTML; what it produces is sanitised like any HTML below.
MARKDOWN = MarkdownIt("commonmark")
BLOCK_END = re.compile(r"<br\s*/?>|</(?:p|div|li|h[1-6])>", re.IGNORECASE)
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
    points: Decimal | None = None  # None: the model's default
    idnumber: str = ""
    tags: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)  # HTML
    penalty: Decimal | None = None
    is_active: bool = True
    difficulty: str = ""
    # Embedded images, by the name the HTML refers to as @@PLUGINFILE@@/<name>: already checked with Pillow.
    files: dict[str, bytes] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what was read but is not kept, said per question


@dataclass
class ImportIssue:
    line: int
    name: str
    # "error": the question is broken (bad answers, grades, pictures, paths…): nothing of the file is stored;
    # "skipped": a type we do not hold (essay, matching…): listed and not imported, the rest of the file is;
    # "note": imported, with something of it not kept.
    kind: str
    message: str
    qtype: str = ""  # the source's own type name, when it tells more than ours (Moodle's "essay", "matching")

    @property
    def blocking(self) -> bool:
        return self.kind == "error"

    def describe(self) -> str:
        """One line for the command and the API: where (line or row, question name) and what."""
        if self.name:
            return _("Line %(line)s (%(name)s): %(message)s") % {"line": self.line, "name": self.name, "message": self.message}
        return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ParseResult:
    questions: list[ParsedQuestion] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    # Descriptions of categories the file states (Moodle XML's <info>), by relative path.
    category_info: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[ImportIssue]:
        """The issues that stop the whole file from being imported."""
        return [issue for issue in self.issues if issue.blocking]

    @property
    def skipped(self) -> list[ImportIssue]:
        return [issue for issue in self.issues if issue.kind == "skipped"]

    @property
    def notes(self) -> list[ImportIssue]:
        return [issue for issue in self.issues if issue.kind == "note"]


def to_html(text: str, fmt: str) -> str:
    """Question text in a file's format → the HTML we store. Plain text is escaped, HTML sanitised."""
    text = text.strip()
    if fmt == "markdown":
        text, fmt = MARKDOWN.render(text), "html"
    if fmt == "html":
        return clean_html(text)
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return "".join("<p>" + html.escape(p.strip()).replace("\n", "<br>") + "</p>" for p in paragraphs)


def clean_html(text: str) -> str:
    return nh3.clean(text, tags=ALLOWED_TAGS, attributes={"a": {"href"}, "img": {"src", "alt"}, "span": set()})


def to_plain(text: str, fmt: str) -> str:
    """Option text: stored as plain text (options are short); HTML in a file is reduced to its text,
    so an answer typed in Moodle's HTML editor as `<p>&lt;title&gt;<br></p>` becomes “<title>”."""
    text = text.strip()
    if fmt == "markdown":
        text, fmt = MARKDOWN.render(text), "html"
    if fmt == "html":
        return html_to_text(text)
    return text


def html_to_text(text: str) -> str:
    # Block ends and <br> become line breaks before the tags go, so "<p>a</p><p>b</p>" is not "ab".
    text = BLOCK_END.sub("\n", text)
    return "\n".join(line.strip() for line in html.unescape(nh3.clean(text, tags=set())).strip().split("\n") if line.strip())


def short_name(stem_html: str, limit: int = 60) -> str:
    text = " ".join(html.unescape(nh3.clean(stem_html, tags=set())).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def decode(data: bytes) -> str:
    """File bytes → text. UTF-8 with or without a BOM; anything else raises UnicodeDecodeError."""
    return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
