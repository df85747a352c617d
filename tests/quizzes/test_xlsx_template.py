"""The Excel template: download, per-row errors, what people type, re-import, export and round trip."""

import io

import openpyxl
import pytest
from django.urls import reverse

from quizzes.exporting import export_category
from quizzes.importers import xlsx_writer
from quizzes.importing import ImportFileError, import_questions
from quizzes.models import Question

HEADER = ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "正确答案", "分值", "解析", "难度", "知识点/分类"]


def workbook(rows, *, header=HEADER, title_row=False) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    if title_row:  # a merged title above the header, as offices lay out their sheets
        sheet.append(["常德市网站管理员题库"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_template_has_the_columns_and_an_explanation_sheet():
    book = openpyxl.load_workbook(io.BytesIO(xlsx_writer.template()))
    assert book.sheetnames == ["题库", "填写说明"]
    header = [c.value for c in book["题库"][1]]
    assert header[:3] == ["题型", "题干", "选项A"] and "选项H" in header and "正确答案" in header and "知识点/分类" in header
    guide = [row[0] for row in book["填写说明"].iter_rows(values_only=True)]
    assert "正确答案" in guide and "知识点/分类" in guide


def test_rows_with_what_people_type(db):
    data = workbook([
        ["单选 ", "栏目内容为空时怎么办？ ", "及时补充或隐藏", "挂“建设中”", "保持原样", None, "Ａ", "2", "栏目不能空着。", "易", "后台管理/栏目设置"],
        ["多选", "网页图片常用哪些格式？", "JPEG", "PNG", "BMP", "TIFF", "A，B", 3, None, None, None],
        ["判断", "信息必须先审后发。", None, None, None, None, "√", None, None, None, None],
        ["判断", "可以共用账号。", None, None, None, None, "×", None, None, None, None],
        ["填空", "网页图片的色彩模式是？", None, None, None, None, "RGB｜红绿蓝|%50%红*蓝", None, None, None, None],
        ["排序", "发布信息的顺序", "审核", "录入", "发布", None, "BAC", None, None, None, None],
        ["填空", "数字答案", None, None, None, None, 800, None, None, None, None],
        [None, None, None, None, None, None, None, None, None, None, None],
        ["问答", "不支持的题型", None, None, None, None, "随便", None, None, None, None],
    ], title_row=True)
    report = import_questions(data=data, fmt="xlsx", category_path="题库")
    assert report.imported == 7 and [(i.line, i.kind) for i in report.issues] == [(11, "skipped")]
    single = Question.objects.get(qtype="single")
    assert single.category.path == "题库/后台管理/栏目设置" and single.points == 2 and single.difficulty == "易"
    assert single.stem == "<p>栏目内容为空时怎么办？</p>" and list(single.choices.values_list("fraction", flat=True)) == [100, 0, 0]
    multiple = Question.objects.get(qtype="multiple")
    assert list(multiple.choices.values_list("text", "fraction")) == [("JPEG", 50), ("PNG", 50), ("BMP", -100), ("TIFF", -100)]
    assert multiple.points == 3
    truths = {q.stem: q.choices.get(fraction=100).sort_order for q in Question.objects.filter(qtype="truefalse")}
    assert truths == {"<p>信息必须先审后发。</p>": 0, "<p>可以共用账号。</p>": 1}
    short = Question.objects.get(qtype="short", stem__contains="色彩")
    assert list(short.choices.values_list("text", "fraction")) == [("RGB", 100), ("红绿蓝", 100), ("红*蓝", 50)]
    assert Question.objects.get(stem__contains="数字答案").choices.get().text == "800"
    ordering = Question.objects.get(qtype="ordering")
    assert list(ordering.choices.order_by("sort_order").values_list("text", flat=True)) == ["录入", "审核", "发布"]


def test_row_errors_are_listed_by_row_and_nothing_is_imported(db):
    data = workbook([
        ["单选", "好题", "甲", "乙", None, None, "A", None, None, None, None],
        ["单选", "正确答案不在选项中", "甲", "乙", "丙", "丁", "E", None, None, None, None],
        ["单先", "题型写错了", "甲", "乙", None, None, "A", None, None, None, None],
        ["单选", "分类非法", "甲", "乙", None, None, "A", None, None, None, "../外面"],
    ], title_row=True)
    report = import_questions(data=data, fmt="xlsx", category_path="题库")
    assert report.refused and not Question.objects.exists()
    errors = {i.line: i.message for i in report.errors}
    assert errors[4] == "正确答案“E”不在选项中（现有选项：A、B、C、D）。"
    assert "题型“单先”" in errors[5] and "“..”" in errors[6] and set(errors) == {4, 5, 6}
    assert report.errors[0].describe() == "第 4 行（正确答案不在选项中）：正确答案“E”不在选项中（现有选项：A、B、C、D）。"


def test_merged_option_header_over_letters(db):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["题型", "题干", "选项", None, None, "答案"])
    sheet.append([None, None, "A", "B", "C", None])
    sheet.merge_cells("C1:E1")
    sheet.append(["单选", "哪个对？", "甲", "乙", "丙", "b"])
    out = io.BytesIO()
    book.save(out)
    report = import_questions(data=out.getvalue(), fmt="xlsx", category_path="题库")
    assert report.imported == 1 and Question.objects.get().choices.get(fraction=100).text == "乙"


def test_reimport_updates_instead_of_duplicating(db):
    rows = [["单选", "先审后发对吗？", "对", "错", None, None, "A", None, "旧解析", None, None]]
    import_questions(data=workbook(rows), fmt="xlsx", category_path="题库")
    first = Question.objects.get()
    choice_ids = sorted(first.choices.values_list("pk", flat=True))
    rows[0][8], rows[0][7] = "新解析", 5
    again = import_questions(data=workbook(rows), fmt="xlsx", category_path="题库")
    assert (again.created, again.updated) == (0, 1) and Question.objects.count() == 1
    first.refresh_from_db()
    assert "新解析" in first.explanation and first.points == 5 and sorted(first.choices.values_list("pk", flat=True)) == choice_ids


@pytest.mark.parametrize("data", [b"not a workbook", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, None], ids=["garbage", "xls", "no-header"])
def test_unreadable_workbooks(db, data):
    if data is None:
        data = workbook([["x"]], header=["姓名", "手机号"])
    with pytest.raises(ImportFileError) as error:
        import_questions(data=data, fmt="xlsx", category_path="题库")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error.value.message)
    assert not Question.objects.exists()


def test_round_trip_through_the_template(db):
    data = workbook([
        ["单选", "单选题", "甲", "乙", None, None, "B", 2, "解析", "中", "一级/二级"],
        ["多选", "多选题", "甲", "乙", "丙", None, "AC", None, None, None, None],
        ["判断", "判断题", None, None, None, None, "错", None, None, None, None],
        ["填空", "填空题", None, None, None, None, "RGB|%50%红*蓝", None, None, None, None],
        ["排序", "排序题", "一", "二", "三", None, "CAB", None, None, None, None],
    ])
    import_questions(data=data, fmt="xlsx", category_path="原")
    from quizzes.models import QuestionCategory

    exported = export_category(category=QuestionCategory.objects.get(path="原"), fmt="xlsx")
    assert exported.exported == 5 and exported.notes == {}
    import_questions(data=exported.content, fmt="xlsx", category_path="回")

    def shape(prefix):
        return sorted((q.category.path[len(prefix):], q.qtype, q.stem, q.explanation, q.points, q.difficulty,
                       [(c.text, c.fraction) for c in q.choices.order_by("sort_order")])
                      for q in Question.objects.filter(category__path__startswith=prefix))

    assert shape("回") == shape("原") and len(shape("原")) == 5


def test_admin_offers_the_template_download(client, site, trainer):
    client.force_login(trainer)
    page = client.get(reverse("quizzes_import"))
    assert "题库导入模板.xlsx" in page.content.decode() and 'value="xml"' in page.content.decode()
    response = client.get(reverse("quizzes_import_template"))
    assert response.status_code == 200 and openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames == ["题库", "填写说明"]
