"""A question file is imported whole or not at all: one broken question stores nothing of the file
(no question, option, category, Wagtail image or collection, no file on disk), and every error is
listed with its line or row and the question's name. Types we do not hold are listed, not blocking."""

import base64
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from PIL import Image
from wagtail.images import get_image_model
from wagtail.models import Collection

from quizzes.importing import import_questions, parse_file
from quizzes.models import Choice, Question, QuestionCategory


def _png(colour="red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (6, 4), colour).save(out, "PNG")
    return out.getvalue()


def snapshot(media_root):
    """What an import can leave behind: rows of every kind it writes, and the files under MEDIA_ROOT."""
    files = sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
    return {
        "questions": Question.objects.count(), "choices": Choice.objects.count(), "categories": QuestionCategory.objects.count(),
        "images": get_image_model().objects.count(), "collections": Collection.objects.count(), "files": files,
    }


def xml_bank(*, broken: str = "") -> bytes:
    """A Moodle XML file: a category, a question with a picture (stored first if anything were), an essay,
    a good true/false, then — when `broken` is given — one broken question."""
    picture = base64.b64encode(_png()).decode()
    bad = {
        "": "",
        "fractions": """<question type="multichoice"><name><text>权重不对的题</text></name><questiontext format="html"><text>选哪个？</text></questiontext>
            <single>false</single><answer fraction="30"><text>甲</text></answer><answer fraction="30"><text>乙</text></answer></question>""",
        "grade": """<question type="truefalse"><name><text>分值不对的题</text></name><questiontext format="html"><text>对吗？</text></questiontext>
            <defaultgrade>-2</defaultgrade><answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>""",
        "picture": """<question type="truefalse"><name><text>图片坏了的题</text></name><questiontext format="html">
            <text><![CDATA[<p><img src="@@PLUGINFILE@@/a.png" alt="坏图"></p>]]></text><file name="a.png" path="/" encoding="base64">SUQzAwA=</file></questiontext>
            <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>""",
        "path": """<question type="category"><category><text>$course$/top/../外面</text></category></question>
            <question type="truefalse"><name><text>路径不对的题</text></name><questiontext format="html"><text>对吗？</text></questiontext>
            <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>""",
        "500 answers": """<question type="multichoice"><name><text>五百个选项的题</text></name><questiontext format="html"><text>选哪个？</text></questiontext>
            <single>true</single>""" + "".join(f'<answer fraction="{100 if i == 0 else 0}"><text>选项{i}</text></answer>' for i in range(500)) + "</question>",
    }[broken]
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/网站/图片题</text></category></question>
  <question type="multichoice">
    <name><text>带图的题</text></name>
    <questiontext format="html"><text><![CDATA[<p>看图：<img src="@@PLUGINFILE@@/shot.png" alt="栏目截图"></p>]]></text>
      <file name="shot.png" path="/" encoding="base64">{picture}</file></questiontext>
    <single>true</single><answer fraction="100"><text>补充</text></answer><answer fraction="0"><text>空着</text></answer>
  </question>
  <question type="essay"><name><text>谈谈体会</text></name><questiontext format="html"><text>谈谈你的体会。</text></questiontext></question>
  <question type="truefalse"><name><text>先审后发</text></name><questiontext format="html"><text>信息先审后发？</text></questiontext>
    <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>
  {bad}
</quiz>""".encode()


@pytest.mark.parametrize("broken", ["fractions", "grade", "picture", "path", "500 answers"])
def test_one_broken_question_stores_nothing_of_the_file(db, media_root, broken):
    before = snapshot(media_root)
    report = import_questions(data=xml_bank(broken=broken), fmt="xml", category_path="题库")
    assert snapshot(media_root) == before
    assert report.refused and report.imported == 0
    # The report says which question, where, and why, in Chinese (a refused path also names the path itself).
    error = report.errors[-1]
    assert len(report.errors) == (2 if broken == "path" else 1) and error.name.endswith("的题") and error.line >= 13
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e.message) for e in report.errors)
    # The essay is listed too, as a type we do not hold.
    assert [(i.name, i.kind) for i in report.issues if i.kind == "skipped"] == [("谈谈体会", "skipped")]


def test_an_essay_beside_good_questions_does_not_block_them(db, media_root):
    report = import_questions(data=xml_bank(), fmt="xml", category_path="题库")
    assert not report.refused and report.created == 2
    assert sorted(Question.objects.values_list("name", flat=True)) == ["先审后发", "带图的题"]
    skipped = [i for i in report.issues if i.kind == "skipped"]
    assert [(i.name, i.qtype) for i in skipped] == [("谈谈体会", "essay")] and "问答" in skipped[0].message
    assert get_image_model().objects.count() == 1 and len(snapshot(media_root)["files"]) == 1


def test_a_failure_while_storing_leaves_no_picture_file_behind(db, media_root, monkeypatch):
    from quizzes import importing

    before = snapshot(media_root)

    # The picture is written first, then the questions: make the questions' write fail (a full disk, a lost connection).
    def failing_bulk_create(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing.Question.objects, "bulk_create", failing_bulk_create)
    with pytest.raises(RuntimeError):
        import_questions(data=xml_bank(), fmt="xml", category_path="题库")
    assert snapshot(media_root) == before


GIFT = "::好题::先审后发？{T}\n\n::问答::谈谈体会{}\n\n::坏题::没有正确答案{~甲 ~乙}\n"
AIKEN = "好题\nA) 甲\nB) 乙\nANSWER: A\n\n坏题只有一个选项\nA) 甲\nANSWER: A\n"


def xlsx_bank(*rows) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["题型", "题干", "选项A", "选项B", "选项C", "正确答案", "分值", "知识点/分类"])
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "fmt, data, line, words",
    [
        ("gift", GIFT.encode(), 5, "100"),
        ("aiken", AIKEN.encode(), 8, "两个选项"),
        ("xlsx", xlsx_bank(["单选", "好题", "甲", "乙", None, "A", 1, "一章"], ["问答", "谈谈体会", None, None, None, "随便", 1, None],
                           ["单选", "坏题", "甲", "乙", "丙", "E", 1, "二章"]), 4, "正确答案“E”不在选项中"),
    ],
    ids=["gift", "aiken", "xlsx"],
)
def test_every_format_is_all_or_nothing(db, media_root, fmt, data, line, words):
    before = snapshot(media_root)
    report = import_questions(data=data, fmt=fmt, category_path="题库/导入")
    assert snapshot(media_root) == before and report.refused
    assert [(i.line, i.kind) for i in report.errors] == [(line, "error")] and words in report.errors[0].message
    assert f"第 {line} 行" in report.errors[0].describe()


def test_an_unsupported_xlsx_type_is_listed_not_blocking(db):
    report = import_questions(data=xlsx_bank(["单选", "好题", "甲", "乙", None, "A", 1, None], ["问答", "谈谈体会", None, None, None, "随便", 1, None]),
                              fmt="xlsx", category_path="题库")
    assert report.created == 1 and [(i.line, i.kind, i.name) for i in report.issues] == [(3, "skipped", "谈谈体会")]
    assert "问答" in report.issues[0].message


def test_weights_and_marks_the_model_refuses_are_errors_in_the_preview():
    result = parse_file(data=xlsx_bank(["填空", "色彩模式？", None, None, None, "RGB|%150%红绿蓝", 1, None],
                                        ["单选", "分值太大", "甲", "乙", None, "A", 100000, None]), fmt="xlsx")
    assert not result.questions and [i.line for i in result.errors] == [2, 3]
    assert "-100" in result.errors[0].message and "6 个数字" in result.errors[1].message


def test_command_exits_non_zero_with_every_error(db, tmp_path, media_root):
    path = tmp_path / "bank.gift.txt"
    path.write_text(GIFT, encoding="utf-8")
    before = snapshot(media_root)
    with pytest.raises(CommandError) as error:
        call_command("import_questions", str(path), "--category", "题库")
    assert "第 5 行（坏题）" in str(error.value) and "没有导入" in str(error.value)
    assert snapshot(media_root) == before
    with pytest.raises(CommandError):  # the dry run says the same
        call_command("import_questions", str(path), "--category", "题库", "--dry-run")


def test_api_refuses_the_whole_file_and_the_dry_run_says_so(client, trainer, media_root):
    client.force_login(trainer)
    url = reverse("question-bank-import")
    dry = client.post(url, {"file": SimpleUploadedFile("a.gift", GIFT.encode()), "category": "题库", "dry_run": "true"})
    assert dry.status_code == 200 and dry.json()["can_import"] is False and dry.json()["errors"] == 1
    before = snapshot(media_root)
    done = client.post(url, {"file": SimpleUploadedFile("a.gift", GIFT.encode()), "category": "题库"})
    body = done.json()
    assert done.status_code == 400 and body["code"] == "question_errors" and "没有导入" in body["detail"]
    assert [(i["line"], i["kind"]) for i in body["issues"]] == [(3, "skipped"), (5, "error")]
    assert "第 5 行（坏题）" in body["issues"][1]["text"]
    assert snapshot(media_root) == before


def test_admin_preview_lists_the_errors_and_offers_no_import(client, site, trainer, media_root):
    client.force_login(trainer)
    url = reverse("quizzes_import")
    preview = client.post(url, {"file": SimpleUploadedFile("a.gift.txt", GIFT.encode()), "fmt": "gift", "category": "题库"})
    html = preview.content.decode()
    assert "坏题" in html and "问答" in html and "改正" in html
    assert 'type="submit" disabled' in html
    # A hand-made confirm after such a preview stores nothing: the file was never kept for confirming.
    before = snapshot(media_root)
    client.post(url, {"confirm": "1"})
    assert snapshot(media_root) == before
