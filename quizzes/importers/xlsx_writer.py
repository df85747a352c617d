"""The Excel question template (题库导入模板.xlsx) and a category exported into it.

The sheet 题库 has the header row the reader expects and a drop-down for 题型; the sheet 填写说明
explains each column with an example. What the template cannot hold (per-option feedback, pictures,
weights other than the exam rule) is listed by the export, per question.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from . import html_to_text
from .moodle_xml_writer import ExportQuestion
from .xlsx import LETTERS

TYPE_LABELS = {"single": "单选", "multiple": "多选", "truefalse": "判断", "short": "填空", "ordering": "排序"}
BASE_OPTIONS = 8  # 选项A…选项H; a question with more options widens the sheet
GUIDE = [
    ("题型", "必填。单选、多选、判断、填空、排序 之一。", "单选"),
    ("题干", "必填。题目的文字。", "栏目内容为空时，应当怎么办？"),
    ("选项A…选项H", "单选、多选、排序题的选项，从 A 起依次填写；判断、填空题留空。", "及时补充内容或隐藏栏目"),
    ("正确答案", "单选填一个字母（A）；多选填几个字母（ABD，也可写 A,B,D）；判断填 对 或 错（√/× 亦可）；"
                 "填空题填可接受的答案，几个答案用 | 隔开，* 可代替任意文字，如 RGB|红绿蓝；部分得分写作 %50%红*蓝；"
                 "排序题按正确顺序写出全部字母（如 CABD）。", "A"),
    ("分值", "可选，默认 1 分。", "2"),
    ("解析", "可选。作答后显示的说明。", "栏目不能开了就空着。"),
    ("难度", "可选，如 易、中、难。", "中"),
    ("知识点/分类", "可选。导入目标分类下的子分类路径，用 / 分级。", "后台管理/栏目设置"),
    ("标签", "可选。几个标签用逗号隔开。", "栏目,审核"),
]
RULES = [
    "多选题：选对全部正确选项得满分；漏选按选对的比例得分；选了任何错误选项不得分。",
    "同一分类下题干和选项都相同的题目视为同一题：再次导入会更新它，不会重复。",
    "第一行是表头，请勿改动列名；空行会被跳过。",
]


def _header() -> list[str]:
    return ["题型", "题干", *[f"选项{LETTERS[i]}" for i in range(BASE_OPTIONS)], "正确答案", "分值", "解析", "难度", "知识点/分类", "标签"]


def _sheet(book: Workbook, width: int):
    sheet = book.active
    sheet.title = "题库"
    header = _header()
    if width > BASE_OPTIONS:
        header[2 + BASE_OPTIONS:2 + BASE_OPTIONS] = [f"选项{LETTERS[i]}" for i in range(BASE_OPTIONS, width)]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["B"].width = 50
    kinds = DataValidation(type="list", formula1='"单选,多选,判断,填空,排序"', allow_blank=True)
    sheet.add_data_validation(kinds)
    kinds.add("A2:A10000")
    return sheet, header


def _guide(book: Workbook) -> None:
    sheet = book.create_sheet("填写说明")
    sheet.append(["列", "怎么填", "示例"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in GUIDE:
        sheet.append(list(row))
    sheet.append([])
    for rule in RULES:
        sheet.append([rule])
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 80
    sheet.column_dimensions["C"].width = 30
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _answer(q: ExportQuestion, notes: list[str]) -> tuple[list[str], str]:
    texts = [c[0] for c in q.choices]
    weights = [Decimal(c[1]) for c in q.choices]
    if any(c[2] for c in q.choices):
        notes.append(_("Per-option feedback is not kept in the template."))
    if q.qtype == "truefalse":
        right = next((i for i, w in enumerate(weights) if w == 100), 0)
        return [], "对" if right == 0 else "错"
    if q.qtype == "short":
        return [], "|".join(t if w == 100 else f"%{w.normalize():f}%{t}" for t, w in zip(texts, weights, strict=False))
    if q.qtype == "ordering":
        return texts, LETTERS[: len(texts)]
    right = [LETTERS[i] for i, w in enumerate(weights) if w > 0]
    if q.qtype == "multiple":
        share = (Decimal(100) / max(len(right), 1)).quantize(Decimal("0.0001"))
        if any((w > 0 and abs(w - share) > Decimal("0.01")) or (w <= 0 and w != -100) for w in weights):
            notes.append(_("Weights other than the template's rule (right options share, a wrong one gives 0) are not kept."))
    elif q.qtype == "single" and any(0 < w < 100 for w in weights):
        notes.append(_("Partial weights of wrong options are not kept."))
        right = [LETTERS[i] for i, w in enumerate(weights) if w == 100]
    return texts, "".join(right)


def write(questions: list[ExportQuestion]) -> tuple[bytes, dict[str, list[str]]]:
    """The workbook, and the notes per question name of what it could not hold."""
    width = max([BASE_OPTIONS, *(len(q.choices) for q in questions if q.qtype in ("single", "multiple", "ordering"))])
    book = Workbook()
    sheet, header = _sheet(book, width)
    lost: dict[str, list[str]] = {}
    for q in questions:
        notes: list[str] = []
        options, answer = _answer(q, notes)
        if q.files or "<embed" in q.stem:
            notes.append(_("Pictures are not kept in the template."))
        row = [TYPE_LABELS[q.qtype], html_to_text(q.stem), *(options + [""] * (width - len(options))),
               answer, f"{Decimal(q.points).normalize():f}", html_to_text(q.explanation), q.difficulty, q.category, ",".join(q.tags)]
        sheet.append(row)
        if notes:
            lost[q.name] = notes
    _guide(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), lost


def template() -> bytes:
    return write([])[0]
