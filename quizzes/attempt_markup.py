"""The attempt page's questions as HTML, built in Python from parts kept per quiz version.

On exam day every trainee opens this page in the same minute. Drawn by the template engine, sixteen
questions with four options each were ~12 ms of the page's ~18 ms of CPU (a node per tag, variable and
translation, times 80), and the stems went through Wagtail's rich-text expansion on every view. Here
each stem is expanded once per quiz version and language, and the rest is joined from strings: the
same markup `quizzes/attempt.html` used to draw (tests/quizzes/test_attempt_markup.py reads it back).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.template.defaultfilters import floatformat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from wagtail.templatetags.wagtailcore_tags import richtext

from .content import content_identity
from .models import Attempt, QuestionType
from .selectors import QuestionView

STEM_ENTRIES = 4096  # expanded stems kept in this process (a bank of a few thousand questions)

_stems: OrderedDict[tuple, str] = OrderedDict()
_lock = threading.Lock()


def _stem(view: QuestionView, version: tuple) -> str:
    """The stem as `|richtext` draws it, expanded once per quiz version, question and language."""
    key = (version, view.question.pk, get_language())
    with _lock:
        html = _stems.get(key)
        if html is not None:
            _stems.move_to_end(key)
            return html
    html = str(richtext(view.question.stem))
    with _lock:
        _stems[key] = html
        while len(_stems) > STEM_ENTRIES:
            _stems.popitem(last=False)
    return html


class _Labels:
    """The page's fixed words in the active language, translated once per page rather than per question."""

    def __init__(self):
        self.multiple_hint = escape(gettext("Choose all that apply. Wrong choices can cost points."))
        self.position = escape(gettext("Position"))
        self.order_hint = escape(gettext("Put the items in the right order: give each one its position (1 = first)."))
        self.your_answer = escape(gettext("Your answer"))
        self.type_answer = escape(gettext("Type your answer"))
        self.types = {value: escape(label) for value, label in QuestionType.choices}
        self._points: dict = {}

    def points(self, value) -> str:
        if value not in self._points:
            self._points[value] = escape(gettext("%(p)s points") % {"p": floatformat(value, "-2")})
        return self._points[value]


def _choices(view: QuestionView, words: _Labels) -> str:
    kind = "checkbox" if view.qtype == QuestionType.MULTIPLE else "radio"
    name = f"q{view.question.pk}"
    items = "".join(
        f'\n        <li><label class="quiz-option"><input type="{kind}" name="{name}" value="{option.pk}"'
        f"{' checked' if option.chosen else ''}> <span>{escape(option.text)}</span></label></li>"
        for option in view.options
    )
    hint = f'<p class="muted small">{words.multiple_hint}</p>' if view.qtype == QuestionType.MULTIPLE else ""
    return f'\n      {hint}\n      <ul class="quiz-options">{items}\n      </ul>'


def _ordering(view: QuestionView, words: _Labels) -> str:
    position = words.position
    count = len(view.options)
    items = []
    for place, option in enumerate(view.options, start=1):
        choices = "".join(f'<option value="{n}"{" selected" if n == place else ""}>{n}</option>' for n in range(1, count + 1))
        items.append(
            f'\n        <li><label><select name="q{view.question.pk}_pos_{option.pk}" aria-label="{position}">{choices}</select> '
            f"{escape(option.text)}</label></li>"
        )
    return f'\n      <p class="muted small">{words.order_hint}</p>\n      <ol class="quiz-order">{"".join(items)}\n      </ol>'


def _short(view: QuestionView, words: _Labels) -> str:
    pk = view.question.pk
    value = escape(view.answer.get("text") or "") if isinstance(view.answer, dict) else ""
    return (
        f'\n      <label class="sr-only" for="q{pk}">{words.your_answer}</label>'
        f'\n      <input class="quiz-input" type="text" id="q{pk}" name="q{pk}" value="{value}" maxlength="500" autocomplete="off"'
        f' placeholder="{words.type_answer}">'
    )


def fieldset(view: QuestionView, version: tuple, words: _Labels) -> str:
    pk = view.question.pk
    if view.qtype == QuestionType.SHORT:
        answer = _short(view, words)
    elif view.qtype == QuestionType.ORDERING:
        answer = _ordering(view, words)
    else:
        answer = _choices(view, words)
    return (
        f'\n  <fieldset class="card quiz-question" id="question-{pk}" data-qid="{pk}" data-qtype="{escape(view.qtype)}">'
        f'\n    <legend class="quiz-question__legend"><span class="quiz-question__number">{view.number}</span> '
        f'<span class="badge quiz-type">{words.types.get(view.qtype, escape(view.qtype))}</span> <span class="muted small">{words.points(view.points)}</span></legend>'
        f'\n    <div class="quiz-question__stem">{_stem(view, version)}</div>{answer}'
        "\n  </fieldset>"
    )


def fieldsets(attempt: Attempt, views: list[QuestionView]) -> SafeString:
    """Every question of `attempt` as the attempt form's fieldsets, in the attempt's order."""
    version, words = content_identity(attempt.quiz), _Labels()
    return mark_safe("".join(fieldset(view, version, words) for view in views))  # noqa: S308 — every value above is escaped
