"""Moodle's Aiken format: single-choice questions, one per block.

    网站后台的“取消发布”会怎样？
    A) 彻底删除页面
    B) 页面从前台消失，内容保留
    ANSWER: B

Read the way Moodle's qformat_aiken does: an option line is a capital letter, `)` or `.`, then the
text (the space after the bracket may be missing); `ANSWER:` names the right letter and ends the
question. Errors name the line: an option or ANSWER with no question before it ("not started"), fewer
than two options, a question that has not ended when the next one starts.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from . import ImportIssue, ParsedChoice, ParsedQuestion, ParseResult, short_name, to_html

OPTION = re.compile(r"^([A-Z])[).]\s*(.*)$")
ANSWER = re.compile(r"^ANSWER:?\s*([A-Z])", re.IGNORECASE)


def parse(text: str) -> ParseResult:
    result = ParseResult()
    stem: list[str] = []
    start = 0
    options: list[tuple[str, str]] = []

    def unfinished(line: int) -> None:
        result.issues.append(
            ImportIssue(line=line, name=short_name(to_html(" ".join(stem), "plain")), kind="error",
                        message=_("The question started on line %(start)d was not finished (no ANSWER: line) before the next one.") % {"start": start})
        )

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if len(line) < 2:
            continue
        option = OPTION.match(line)
        answer = ANSWER.match(line)
        if answer:
            if not stem:
                result.issues.append(ImportIssue(line=number, name="", kind="error", message=_("Question not started: an ANSWER: line with no question before it.")))
            elif len(options) < 2:
                result.issues.append(ImportIssue(line=number, name=short_name(to_html(" ".join(stem), "plain")), kind="error",
                                                 message=_("A question needs at least two options.")))
            else:
                letter = answer.group(1).upper()
                letters = [key for key, _text in options]
                if letter not in letters:
                    result.issues.append(ImportIssue(line=number, name=short_name(to_html(" ".join(stem), "plain")), kind="error",
                                                     message=_("The answer %(letter)s is not one of the options.") % {"letter": letter}))
                else:
                    stem_html = to_html("\n".join(stem), "plain")
                    result.questions.append(
                        ParsedQuestion(
                            line=start, name=short_name(stem_html), qtype="single", stem=stem_html,
                            choices=[ParsedChoice(text=t, weight=Decimal(100 if key == letter else 0)) for key, t in options],
                        )
                    )
            stem, options = [], []
        elif option and (stem or not options):
            if not stem:
                result.issues.append(ImportIssue(line=number, name="", kind="error", message=_("Question not started: an option with no question before it.")))
                continue
            options.append((option.group(1), option.group(2).strip()))
        else:
            if options:
                unfinished(number)
                stem, options = [], []
            if not stem:
                start = number
            stem.append(line)
    if stem:
        unfinished(start)
    return result
