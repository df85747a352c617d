"""The Chinese translation is complete: every message of every app has a reviewed (non-fuzzy) translation."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(p for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def _grab(block: str, key: str):
    found = re.search(rf'^{key} ((?:".*"\n?)+)', block + "\n", re.M)
    return "".join(json.loads(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', found.group(1))) if found else None


def _entries(path: Path, *, with_plural: bool = False):
    """(msgid, msgstr, fuzzy) per message; with_plural adds msgid_plural (None for a singular message)."""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        msgid = _grab(block, "msgid")
        if msgid:
            plural = _grab(block, "msgid_plural")
            msgstr = _grab(block, r"msgstr\[0\]") if plural is not None else _grab(block, "msgstr")
            fuzzy = bool(re.search(r"^#,.*\bfuzzy\b", block, re.M))
            yield (msgid, msgstr, fuzzy, plural) if with_plural else (msgid, msgstr, fuzzy)


def test_every_app_has_a_chinese_catalogue():
    assert {path.parts[-5] for path in CATALOGUES} >= {"lms", "courses", "quizzes", "certificates"}


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: p.parts[-5])
def test_catalogue_is_complete(catalogue):
    problems = [msgid for msgid, msgstr, fuzzy in _entries(catalogue) if fuzzy or not msgstr]
    assert problems == []


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: p.parts[-5])
def test_placeholders_survive_translation(catalogue):
    broken = []
    for msgid, msgstr, _, plural in _entries(catalogue, with_plural=True):
        # Chinese has one plural form, used for every count: it carries the plural message's placeholders.
        wanted = set(re.findall(r"%\((\w+)\)[sd]", plural if plural is not None else msgid))
        if msgstr and set(re.findall(r"%\((\w+)\)[sd]", msgstr)) != wanted:
            broken.append((msgid, msgstr))
    assert broken == []


def test_generic_field_names_are_not_translated_for_one_model():
    """Django's catalogue is global: a bare "description" translated as 课程介绍 (course introduction)
    labelled programme and question-category descriptions, and Wagtail's image description, as courses."""
    from django.utils import translation

    with translation.override("zh-hans"):
        assert "课程" not in translation.gettext("description")
