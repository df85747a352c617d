"""Moodle's GIFT format, read the way Moodle's qformat_gift reads it, and written back.

Questions are separated by blank lines; `//` lines are comments; `$CATEGORY: a/b` switches the
category of the questions that follow; `::name::` names a question; `[html]`, `[plain]`,
`[markdown]`, `[moodle]` set the text format; `\\~ \\= \\# \\{ \\} \\:` escape the special characters.
Inside the braces: `=` right / `~` wrong options (single choice), `~%50%` weights (multiple choice
when no option starts with `=`), `=a =%50%b` accepted answers (short answer, `*` wildcard), `T`/`F`
(`TRUE`/`FALSE`), `#feedback` after an option and `####` before the general feedback, and
qtype_ordering's `{>N [ALL|RANDOM…] [layout] [grading] [SHOW|HIDE]` then one item per line, in order`}`.
Options and feedback without a format marker of their own take the question's (Moodle's
qformat_gift::parse_text_with_format with the question format as default), so an answer written by
Moodle's HTML editor as `<p dir="ltr">&lt;title&gt;<br></p>` reads “<title>”.
Essay (`{}`), matching (`->`), numeric (`{#…}`) and description (no braces) questions are reported
as skipped: the engine has no such types.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from . import ImportIssue, ParsedChoice, ParsedQuestion, ParseResult, short_name, to_html, to_plain
from .categories import CategoryPathError, parse_category_path

ESCAPES = {"\\\\": "\x00", "\\~": "\x01", "\\=": "\x02", "\\#": "\x03", "\\{": "\x04", "\\}": "\x05", "\\:": "\x06", "\\n": "\x07"}
RESTORE = {"\x00": "\\", "\x01": "~", "\x02": "=", "\x03": "#", "\x04": "{", "\x05": "}", "\x06": ":", "\x07": "\n"}
FORMAT = re.compile(r"^\s*\[(html|plain|moodle|markdown)\]", re.IGNORECASE)
WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
ORDERING = re.compile(
    r"^>\s*(\d+)\s*(ALL|EXACT|RANDOM|REL|CONTIGUOUS|CONTIG)?\s*(HORIZONTAL|HORI|H|1|VERTICAL|VERT|V|0)?\s*"
    r"(ALL_OR_NOTHING|ABSOLUTE_POSITION|ABSOLUTE|ABS|RELATIVE_NEXT_EXCLUDE_LAST|RELATIVE_NEXT_INCLUDE_LAST|"
    r"RELATIVE_ONE_PREVIOUS_AND_NEXT|RELATIVE_ALL_PREVIOUS_AND_NEXT|LONGEST_ORDERED_SUBSET|LONGEST_CONTIGUOUS_SUBSET|"
    r"RELATIVE_TO_CORRECT|RELATIVE|REL)?\s*(SHOW|TRUE|YES|1|HIDE|FALSE|NO|0)?\s*(.*)$",
    re.DOTALL,
)
OUR_GRADING = {"RELATIVE_NEXT_EXCLUDE_LAST", "RELATIVE", "REL"}


def _protect(text: str) -> str:
    for escape, mark in ESCAPES.items():
        text = text.replace(escape, mark)
    return text


def _restore(text: str) -> str:
    for mark, char in RESTORE.items():
        text = text.replace(mark, char)
    return text


def _split_format(text: str, default: str = "moodle") -> tuple[str, str]:
    match = FORMAT.match(text)
    if match:
        return match.group(1).lower(), text[match.end():]
    return default, text


def _blocks(text: str):
    """(first line number, text) of each question block, comments removed."""
    block: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip().startswith("//"):
            continue
        if not line.strip():
            if block:
                yield start, "\n".join(block)
                block = []
            continue
        if not block:
            start = number
        block.append(line)
    if block:
        yield start, "\n".join(block)


def _option_parts(raw: str) -> tuple[str, str]:
    text, _sep, feedback = raw.partition("#")
    return text, feedback


def parse(text: str) -> ParseResult:
    result = ParseResult()
    category, category_error = "", ""
    for line, block in _blocks(text):
        stripped = block.strip()
        if stripped.upper().startswith("$CATEGORY:"):
            first, _newline, rest = stripped.partition("\n")
            try:
                category, category_error = parse_category_path(first[len("$CATEGORY:"):]), ""
            except CategoryPathError as error:
                category_error = error.message
                result.issues.append(ImportIssue(line=line, name=first[len("$CATEGORY:"):].strip()[:80], kind="error", message=error.message))
            if not rest.strip():
                continue
            line, block = line + 1, rest
        if category_error:
            result.issues.append(ImportIssue(line=line, name="", kind="error", message=_("Not imported: its category path is refused (see above).")))
            continue
        item = _parse_block(line, _protect(block), category)
        if isinstance(item, ImportIssue):
            result.issues.append(item)
        else:
            result.questions.append(item)
    return result


def _parse_block(line: str | int, block: str, category: str):
    name = ""
    body = block.strip()
    if body.startswith("::"):
        end = body.find("::", 2)
        if end == -1:
            return ImportIssue(line=line, name="", kind="error", message=_("The question name is not closed with ::."))
        name = _restore(body[2:end]).strip()
        body = body[end + 2:]
    start, end = body.find("{"), body.rfind("}")
    if start == -1:
        return ImportIssue(line=line, name=name or short_name(to_html(_restore(body), "plain")), kind="skipped",
                           message=_("Skipped: description items (text without an answer in braces) are not questions."))
    if end < start:
        return ImportIssue(line=line, name=name, kind="error", message=_("The answer part is not closed with }."))
    fmt, before = _split_format(body[:start])
    after = body[end + 1:].strip()
    # Text after the braces belongs to the question (Moodle's "missing word" style).
    question_text = _restore(before.strip() + (" _____ " + after if after else ""))
    stem = to_html(question_text, fmt)
    name = name or short_name(stem)
    answers = body[start + 1:end]
    explanation = ""
    if "####" in answers:
        answers, general = answers.split("####", 1)
        gfmt, general = _split_format(general.strip(), fmt)
        explanation = to_html(_restore(general), gfmt)
    answers = answers.strip()

    def skipped(kind: str):
        return ImportIssue(line=line, name=name, kind="skipped", message=_("Skipped: %(kind)s questions are not supported.") % {"kind": kind})

    def error(message: str):
        return ImportIssue(line=line, name=name, kind="error", message=message)

    if not answers:
        return skipped(_("essay"))
    if answers.startswith(">"):
        return _ordering(line, name, stem, explanation, answers, category, fmt, error)
    if answers.startswith("#"):
        return skipped(_("numeric"))
    if "~" in answers:
        return _multichoice(line, name, stem, explanation, answers, category, error, fmt)
    if "=" in answers and "->" in answers:
        return skipped(_("matching"))
    head, _sep, rest = answers.partition("#")
    if head.strip().upper() in {"T", "TRUE", "F", "FALSE"}:
        truth = head.strip().upper().startswith("T")
        wrong_fb, _sep, right_fb = rest.partition("#")
        # Each feedback may carry its own [html] marker (Moodle strips it), else takes the question's format.
        wrong_fb, right_fb = (to_plain(_restore(text), feedback_fmt) for feedback_fmt, text in
                              (_split_format(wrong_fb, fmt), _split_format(right_fb, fmt)))
        choices = [
            ParsedChoice(text=_("True"), weight=Decimal(100 if truth else 0), feedback=right_fb if truth else wrong_fb),
            ParsedChoice(text=_("False"), weight=Decimal(0 if truth else 100), feedback=wrong_fb if truth else right_fb),
        ]
        return ParsedQuestion(line=line, name=name, qtype="truefalse", stem=stem, choices=choices, explanation=explanation, category=category)
    if "=" in answers:
        choices = []
        for raw in answers.split("=")[1:]:
            parsed = _weighted(raw.strip(), Decimal(100), fmt)
            if parsed is None:
                return error(_("A weight must be a number between -100 and 100, like %50%."))
            choices.append(parsed)
        if not any(c.weight == 100 for c in choices):
            return error(_("At least one accepted answer must have weight 100."))
        return ParsedQuestion(line=line, name=name, qtype="short", stem=stem, choices=choices, explanation=explanation, category=category)
    return error(_("No right answer: mark one with = or give weights."))


def _weighted(raw: str, default: Decimal, fmt: str) -> ParsedChoice | None:
    weight = default
    match = WEIGHT.match(raw)
    if match:
        try:
            weight = Decimal(match.group(1))
        except InvalidOperation:
            return None
        if not -100 <= weight <= 100:
            return None
        raw = raw[match.end():]
    text, feedback = _option_parts(raw)
    afmt, text = _split_format(text, fmt)
    ffmt, feedback = _split_format(feedback, fmt)
    return ParsedChoice(text=to_plain(_restore(text), afmt), weight=weight, feedback=to_plain(_restore(feedback), ffmt))


def _ordering(line, name, stem, explanation, answers, category, fmt, error):
    match = ORDERING.match(answers)
    if not match:
        return error(_("An ordering question is written {>N item… } with one item per line."))
    count, select, _layout, grading, _show, body = match.groups()
    items = [to_plain(_restore(item), fmt) for item in body.split("\n") if item.strip()]
    notes = []
    if grading and grading.upper() not in OUR_GRADING:
        notes.append(_("Graded by neighbouring pairs here, not by Moodle's “%(grading)s”.") % {"grading": grading.upper()})
    if (select or "RANDOM").upper() not in {"ALL", "EXACT"} and int(count) < len(items):
        notes.append(_("All items are shown here; Moodle's choice of a subset of items is not kept."))
    return ParsedQuestion(line=line, name=name, qtype="ordering", stem=stem, explanation=explanation, category=category,
                          choices=[ParsedChoice(text=item, weight=Decimal(0)) for item in items], notes=notes)


def _multichoice(line, name, stem, explanation, answers, category, error, fmt):
    single = "=" in answers
    choices = []
    for raw in re.split(r"(?=[~=])", answers):
        raw = raw.strip()
        if not raw:
            continue
        marker, raw = raw[0], raw[1:].strip()
        parsed = _weighted(raw, Decimal(100) if marker == "=" else Decimal(0), fmt)
        if parsed is None:
            return error(_("A weight must be a number between -100 and 100, like %50%."))
        choices.append(parsed)
    if len(choices) < 2:
        return error(_("A choice question needs at least two options."))
    if single:
        if not any(c.weight == 100 for c in choices):
            return error(_("One option must have weight 100 (the right answer)."))
        return ParsedQuestion(line=line, name=name, qtype="single", stem=stem, choices=choices, explanation=explanation, category=category)
    positive = sum((c.weight for c in choices if c.weight > 0), Decimal(0))
    if abs(positive - 100) > Decimal("0.1"):
        return error(_("The positive weights of a multiple-choice question must add up to 100 (now %(sum)s).") % {"sum": positive.normalize()})
    return ParsedQuestion(line=line, name=name, qtype="multiple", stem=stem, choices=choices, explanation=explanation, category=category)


# ---------------------------------------------------------------------------------------------
# Writing


def escape(text: str) -> str:
    for char in "\\~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _weight(value: Decimal) -> str:
    value = Decimal(value).normalize()
    return f"%{value:f}%"


def _option(prefix: str, text: str, feedback: str) -> str:
    return f"\t{prefix}{escape(text)}" + (f"#{escape(feedback)}" if feedback else "")


def write_question(*, name: str, qtype: str, stem: str, choices, explanation: str = "") -> str | None:
    """One question as GIFT text (ordering in qtype_ordering's `{>N ALL …}` form).

    `choices` are (text, weight %, feedback) in their stored order.
    """
    head = f"::{escape(name)}::[html]{escape(stem)}"
    general = f"\n\t####[html]{escape(explanation)}" if explanation else ""
    lines: list[str] = []
    if qtype == "truefalse":
        right = next((i for i, c in enumerate(choices) if Decimal(c[1]) == 100), 0)
        truth = right == 0
        fb_right, fb_wrong = choices[right][2], choices[1 - right][2] if len(choices) > 1 else ""
        answer = ("TRUE" if truth else "FALSE") + (f"#{escape(fb_wrong)}#{escape(fb_right)}" if (fb_right or fb_wrong) else "")
        return f"{head}{{{answer}{general}}}\n"
    if qtype == "single":
        for text, weight, feedback in choices:
            weight = Decimal(weight)
            prefix = "=" if weight == 100 else ("~" if weight == 0 else f"~{_weight(weight)}")
            lines.append(_option(prefix, text, feedback))
    elif qtype == "multiple":
        lines = [_option(f"~{_weight(Decimal(w))}", t, f) for t, w, f in choices]
    elif qtype == "short":
        lines = [_option("=" if Decimal(w) == 100 else f"={_weight(Decimal(w))}", t, f) for t, w, f in choices]
    elif qtype == "ordering":
        items = "\n".join(f"\t{escape(t)}" for t, _w, _f in choices)
        return f"{head}{{>{len(choices)} ALL VERTICAL RELATIVE_NEXT_EXCLUDE_LAST SHOW\n{items}{general}\n}}\n"
    else:
        return None
    return head + "{\n" + "\n".join(lines) + general + "\n}\n"


def plain_of(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))
