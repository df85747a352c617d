"""Label and bracket punctuation that follows the language: “剩余时间：”, “测验成绩（最高分）” in Chinese,
“Time left: ”, “Quiz grade (highest)” in English. Templates compose a translated word with a value; gluing an
ASCII colon or bracket to it in the template would leave half-width punctuation in Chinese text."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext

register = template.Library()


@register.filter
def label(value) -> str:
    """“value: ” / “value：” — a label before what it names (no space needed after it in the template)."""
    return mark_safe(pgettext("label before a value", "%(label)s: ") % {"label": conditional_escape(value)})


@register.filter
def parens(value) -> str:
    """“ (value)” / “（value）” — an aside after a word (no space needed before it in the template)."""
    return mark_safe(pgettext("aside in brackets", " (%(text)s)") % {"text": conditional_escape(value)})
