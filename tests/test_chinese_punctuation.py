"""Chinese text uses full-width punctuation (：，（）；？！): in every Chinese catalogue, in Chinese written straight
into templates, and where a template glues punctuation to a translated word (it must use the |label and |parens
filters of lms/templatetags/punctuation.py, which follow the language)."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.test_translations import CATALOGUES, ROOT, _entries

HAN = r"[\u3400-\u9fff]"
HALF_WIDTH = r"[:;,()?!]"
# Half-width punctuation touching a Chinese character: “剩余时间:”, “持证率(%)”, “(最高分)”.
NEXT_TO_CHINESE = re.compile(rf"{HAN}{HALF_WIDTH}|{HALF_WIDTH}{HAN}")
TEMPLATES = sorted(p for p in ROOT.glob("*/**/templates/**/*.html") if ".venv" not in p.parts and "node_modules" not in p.parts)
TRANSLATED = r"\{%\s*(?:translate|trans)\s[^%]*%\}|\{%\s*(?:endblocktranslate|endblocktrans)\s*%\}|\{\{\s*_\([^)]*\)\s*\}\}"
GLUED = re.compile(rf"(?:{TRANSLATED}) ?[:(]|[(:] ?\{{%\s*(?:translate|trans|blocktranslate|blocktrans)\b|(?:{TRANSLATED}) ?\)")


def _offenders(text: str) -> list[str]:
    return [text[max(0, m.start() - 12) : m.end() + 12] for m in NEXT_TO_CHINESE.finditer(text)]


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: p.parts[-5])
def test_chinese_catalogue_uses_full_width_punctuation(catalogue):
    found = {msgid: _offenders(msgstr) for msgid, msgstr, _ in _entries(catalogue) if msgstr and _offenders(msgstr)}
    assert found == {}


def test_chinese_written_in_templates_uses_full_width_punctuation():
    found = {}
    for path in TEMPLATES:
        # English messages ({% blocktranslate %}…, which may quote a Chinese term) are checked in the catalogues;
        # template tags are code ({% if a %}, filters with arguments). Look at the text between them.
        source = re.sub(
            r"\{%\s*blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\s*%\}", " ", path.read_text(encoding="utf-8"), flags=re.S
        )
        for line in source.splitlines():
            text = re.sub(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", " ", line)
            if _offenders(text):
                found[f"{path.relative_to(ROOT)}:{line.strip()[:40]}"] = _offenders(text)
    assert found == {}


def test_templates_do_not_glue_ascii_punctuation_to_translated_words():
    found = {}
    for path in TEMPLATES:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in GLUED.finditer(line):
                found[f"{path.relative_to(ROOT)}:{number}"] = line[max(0, match.start() - 20) : match.end() + 20]
    assert found == {}


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "剩余时间：<b>5</b> 测验成绩（最高分）：100%"), ("en", "Time left: <b>5</b> Quiz grade (highest): 100%")],
)
def test_label_and_parens_follow_the_language(language, expected):
    template = Template(
        "{% load punctuation %}{{ time_left|label }}<b>5</b> {% filter label %}{{ grade }}{{ method|parens }}{% endfilter %}100%"
    )
    words = {"zh-hans": ("剩余时间", "测验成绩", "最高分"), "en": ("Time left", "Quiz grade", "highest")}[language]
    with translation.override(language):
        rendered = template.render(Context(dict(zip(("time_left", "grade", "method"), words, strict=True))))
    assert rendered == expected


def test_label_escapes_what_it_is_given():
    rendered = Template("{% load punctuation %}{{ name|label }}").render(Context({"name": "<script>"}))
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered
