"""Fill an event's templates for one channel's format. Never raises: a missing value renders as "—", a
template a translator broke falls back to the English one, and names carrying markup are neutralised for
the format they travel in (HTML e-mail, robot markdown, plain text/SMS)."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.html import escape

from .events import get_event

MISSING = "—"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# WeCom and DingTalk markdown have no reliable backslash escape; the full-width twins read the same to a
# person and can form no link, emphasis, heading, quote or <font> tag.
_MARKDOWN_TWINS = str.maketrans(
    {
        "[": "［",
        "]": "］",
        "(": "（",
        ")": "）",
        "*": "＊",
        "_": "＿",
        "`": "｀",
        "#": "＃",
        "<": "＜",
        ">": "＞",
        "|": "｜",
        "~": "～",
        "!": "！",
        "\\": "＼",
    }
)


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str
    url: str


def clean_value(value, fmt: str) -> str:
    text = MISSING if value is None or value == "" else str(value)
    text = _CONTROL.sub(" ", text)
    if fmt == "html":
        return escape(text)
    if fmt == "markdown":
        return " ".join(text.split()).translate(_MARKDOWN_TWINS)
    return text


class _Formatter(string.Formatter):
    def __init__(self, context: dict, fmt: str):
        self.context, self.fmt = context, fmt

    def get_value(self, key, args, kwargs):
        return clean_value(self.context.get(str(key)), self.fmt)

    def get_field(self, field_name, args, kwargs):
        # Only plain names: "{a.b}" or "{a[0]}" would reach into objects.
        return self.get_value(field_name, args, kwargs), field_name

    def format_field(self, value, format_spec):
        return value


def fill(template: str, context: dict, fmt: str) -> str:
    try:
        return _Formatter(context, fmt).vformat(str(template), (), {})
    except (ValueError, IndexError, KeyError, AttributeError, TypeError):
        return ""


def absolute(link: str) -> str:
    if not link:
        return settings.SITE_URL + "/notifications/"
    if link.startswith(("http://", "https://")):
        return link
    return settings.SITE_URL.rstrip("/") + "/" + link.lstrip("/")


def render(event_code: str, context: dict, *, fmt: str = "text", link: str = "", language: str | None = None) -> Rendered:
    """The title and body of an event in `language` (default: the site's), formatted for `fmt`."""
    event = get_event(event_code)
    language = language or settings.LANGUAGE_CODE
    url = absolute(link)
    if event is None:
        return Rendered(title=clean_value(event_code, fmt), body="", url=url)
    with translation.override(language):
        title, body = fill(event.title, context, fmt), fill(event.body, context, fmt)
        if not title or not body:  # a broken translation: the English template still works
            with translation.override("en"):
                title = title or fill(event.title, context, fmt)
                body = body or fill(event.body, context, fmt)
    return Rendered(title=title, body=body, url=url)


def sms_params(event_code: str, context: dict) -> dict[str, str]:
    """Template parameters for the SMS provider: plain text, each cut to the 35 characters providers allow."""
    event = get_event(event_code)
    if event is None:
        return {}
    return {key: clean_value(context.get(key), "text")[:35] for key in event.sms_params}
