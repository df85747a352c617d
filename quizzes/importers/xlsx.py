"""The Excel question template (题库导入模板.xlsx), read the way Chinese exam platforms lay it out.

One row per question: 题型 (单选/多选/判断/填空/排序), 题干, 选项A…选项H, 正确答案 ("A", "ABD", "对/错",
fill-in answers separated by "|"), 分值, 解析, 难度, 知识点/分类 (a path such as 后台管理/栏目设置), 标签.
What people type is tolerated: full-width letters and commas, "√/×", spaces around values, a title
row or merged header cells above the header, numbers stored as text (or text stored as numbers).

Multiple choice follows the usual exam rule: the right options share the points, any wrong option
chosen gives 0 (weight −100), a partly right answer earns its share.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from . import ImportIssue, ParsedChoice, ParsedQuestion, ParseResult, short_name, to_html
from .categories import CategoryPathError, parse_category_path

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
TYPES = {
    "单选": "single", "单选题": "single", "单项选择": "single", "单项选择题": "single",
    "多选": "multiple", "多选题": "multiple", "多项选择": "multiple", "多项选择题": "multiple", "不定项选择": "multiple",
    "判断": "truefalse", "判断题": "truefalse",
    "填空": "short", "填空题": "short",
    "排序": "ordering", "排序题": "ordering",
}
# Question types of Chinese exam platforms we have no engine for: listed as not imported, like Moodle's essay.
UNSUPPORTED = {"问答", "问答题", "简答", "简答题", "论述", "论述题", "计算", "计算题", "匹配", "匹配题", "连线", "连线题",
               "案例分析", "案例分析题", "阅读理解", "完形填空", "作文", "操作", "操作题"}
TRUE_WORDS = {"对", "√", "✓", "✔", "正确", "是", "T", "TRUE", "Y", "YES"}
FALSE_WORDS = {"错", "×", "✗", "✘", "X", "错误", "否", "F", "FALSE", "N", "NO"}
HEADERS = {
    "type": ("题型", "试题类型", "题目类型", "类型"),
    "stem": ("题干", "题目", "试题内容", "题目内容", "试题"),
    "answer": ("正确答案", "答案", "标准答案", "参考答案"),
    "points": ("分值", "分数", "得分"),
    "explanation": ("解析", "答案解析", "试题解析"),
    "difficulty": ("难度",),
    "category": ("知识点/分类", "知识点", "分类", "题目分类", "试题分类"),
    "tags": ("标签",),
}
CODES = {"type", "answer", "points"}
MAX_UNZIPPED = 60 * 1024 * 1024  # the uncompressed workbook; a 2,000-question bank is a few MB
MAX_ROWS = 10_000


class NotATemplate(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def norm(value) -> str:
    """A cell as text, numbers typed as numbers written without ".0". Chinese punctuation is kept."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def fold(value) -> str:
    """A cell that holds a code (题型, 正确答案, 分值): full-width letters, digits and commas folded (NFKC)."""
    return unicodedata.normalize("NFKC", norm(value)).strip()


def _header_name(value) -> str:
    text = re.sub(r"\s+|\*|[（(][^)）]*[)）]", "", fold(value))
    return text


def _open(data: bytes):
    import openpyxl  # openpyxl reads the workbook's XML through defusedxml when it is installed (it is)

    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise NotATemplate(_("This is an old Excel 97–2003 (.xls) file: save it as .xlsx (Excel workbook) and try again."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED:
                raise NotATemplate(_("The workbook unpacks to more than 60 MB; split the bank into smaller files."))
        return openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except NotATemplate:
        raise
    except Exception:  # a damaged or foreign file makes openpyxl/zipfile raise many kinds of errors
        raise NotATemplate(_("The file is not an Excel workbook (.xlsx) that can be read.")) from None


def _layout(sheet):
    """(header row number, {field: column}, {letter: column}) of a sheet, or None without 题型 and 题干."""
    merged_values = {}
    for merged in sheet.merged_cells.ranges:
        top_left = sheet.cell(merged.min_row, merged.min_col).value
        for row in range(merged.min_row, min(merged.max_row, 12) + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                merged_values[(row, col)] = top_left
    for row in range(1, min(sheet.max_row, 10) + 1):
        names = {col: _header_name(merged_values.get((row, col), sheet.cell(row, col).value)) for col in range(1, sheet.max_column + 1)}
        fields, letters = {}, {}
        for col, name in names.items():
            for key, aliases in HEADERS.items():
                if name in aliases and key not in fields:
                    fields[key] = col
            match = re.fullmatch(r"选项([A-Z])", name.upper())
            if match:
                letters.setdefault(match.group(1), col)
        if "type" in fields and "stem" in fields:
            start = row + 1
            # A merged "选项" cell over a second header row of A, B, C …
            if not letters and any(name == "选项" for name in names.values()):
                below = {col: fold(sheet.cell(row + 1, col).value).upper() for col, name in names.items() if name == "选项"}
                letters = {v: col for col, v in below.items() if len(v) == 1 and v in LETTERS}
                start = row + 2
            return start, fields, letters
    return None


def parse(data: bytes) -> ParseResult:
    book = _open(data)
    for sheet in book.worksheets:
        layout = _layout(sheet)
        if layout:
            break
    else:
        raise NotATemplate(_("No sheet has the template's header row (题型, 题干, 选项A…, 正确答案). Download the template and copy the questions into it."))
    start, fields, letters = layout
    if "answer" not in fields:
        raise NotATemplate(_("The header row has no 正确答案 column."))
    if sheet.max_row - start + 1 > MAX_ROWS:
        raise NotATemplate(_("The sheet has more than %(n)d rows; split the bank into smaller files.") % {"n": MAX_ROWS})
    result = ParseResult()
    for number, row in enumerate(sheet.iter_rows(min_row=start, values_only=True), start=start):
        cells = {key: (fold if key in CODES else norm)(row[col - 1]) if col - 1 < len(row) else "" for key, col in fields.items()}
        options = [(letter, norm(row[col - 1]) if col - 1 < len(row) else "") for letter, col in sorted(letters.items())]
        if not any(cells.values()) and not any(text for _l, text in options):
            continue
        item = _row(number, cells, options)
        (result.issues if isinstance(item, ImportIssue) else result.questions).append(item)
    return result


def _row(number: int, cells: dict[str, str], options: list[tuple[str, str]]):
    stem_text = cells.get("stem", "")
    name = short_name(to_html(stem_text, "plain")) if stem_text else ""

    def error(message: str):
        return ImportIssue(line=number, name=name, kind="error", message=message)

    written_type = cells.get("type", "").replace(" ", "")
    qtype = TYPES.get(written_type)
    if written_type in UNSUPPORTED:
        return ImportIssue(line=number, name=name, kind="skipped", qtype=written_type,
                           message=_("Not imported: 题型 “%(value)s” is not supported (only 单选, 多选, 判断, 填空, 排序).") % {"value": written_type})
    if qtype is None:
        return error(_("题型 “%(value)s” is not one of 单选, 多选, 判断, 填空, 排序.") % {"value": cells.get("type", "")})
    if not stem_text:
        return error(_("The 题干 (question text) is empty."))
    try:
        category = parse_category_path(cells.get("category", ""))
    except CategoryPathError as problem:
        return error(problem.message)
    points = None
    if cells.get("points"):
        try:
            points = Decimal(cells["points"])
        except InvalidOperation:
            return error(_("分值 “%(value)s” is not a number.") % {"value": cells["points"]})
        if points <= 0:
            return error(_("分值 must be above 0."))
    answer = cells.get("answer", "")
    if not answer:
        return error(_("The 正确答案 (right answer) is empty."))
    given = [(letter, text) for letter, text in options if text]
    choices = _choices(qtype, answer, given, options)
    if isinstance(choices, str):
        return error(choices)
    tags = [t for t in re.split(r"[,;，；、\s]+", cells.get("tags", "")) if t]
    return ParsedQuestion(
        line=number, name=name, qtype=qtype, stem=to_html(stem_text, "plain"), choices=choices,
        explanation=to_html(cells.get("explanation", ""), "plain") if cells.get("explanation") else "",
        category=category, points=points, difficulty=cells.get("difficulty", ""), tags=tags,
    )


def _letters(answer: str) -> list[str]:
    return [c for c in re.sub(r"[\s,;，；、/|]+", "", answer.upper())]


def _choices(qtype: str, answer: str, given, options):
    """The options with their weights, or the message saying what is wrong with the row."""
    if qtype == "truefalse":
        word = answer.upper().replace(" ", "")
        if word not in TRUE_WORDS | FALSE_WORDS:
            return _("正确答案 “%(value)s” of a 判断 question must be 对 or 错 (√/×).") % {"value": answer}
        truth = word in TRUE_WORDS
        return [ParsedChoice(text=_("True"), weight=Decimal(100 if truth else 0)), ParsedChoice(text=_("False"), weight=Decimal(0 if truth else 100))]
    if qtype == "short":
        choices = []
        for raw in (a.strip() for a in answer.split("|")):
            if not raw:
                continue
            match = re.match(r"^%(-?\d+(?:\.\d+)?)%", raw)
            weight = Decimal(match.group(1)) if match else Decimal(100)
            choices.append(ParsedChoice(text=raw[match.end():].strip() if match else raw, weight=weight))
        return choices
    available = {letter for letter, _t in given}
    letters = _letters(answer)
    missing = [letter for letter in letters if letter not in available]
    if missing:
        shown = "、".join(sorted(available)) or "—"
        return _("正确答案 “%(value)s” is not among the options (there are %(letters)s).") % {"value": "".join(missing), "letters": shown}
    if len(set(letters)) != len(letters):
        return _("正确答案 “%(value)s” names an option twice.") % {"value": answer}
    if qtype == "single":
        if len(letters) != 1:
            return _("A 单选 question has exactly one right answer (正确答案 is “%(value)s”).") % {"value": answer}
        return [ParsedChoice(text=text, weight=Decimal(100 if letter == letters[0] else 0)) for letter, text in given]
    if qtype == "multiple":
        share = (Decimal(100) / len(letters)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
        return [ParsedChoice(text=text, weight=share if letter in letters else Decimal(-100)) for letter, text in given]
    # ordering: 正确答案 lists every option once, in the right order
    if set(letters) != available:
        return _("正确答案 of a 排序 question lists every option once in the right order, e.g. “%(example)s”.") % {
            "example": "".join(sorted(available)[::-1])}
    text_of = dict(given)
    return [ParsedChoice(text=text_of[letter], weight=Decimal(0)) for letter in letters]
