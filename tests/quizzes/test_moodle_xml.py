"""Moodle XML: every one of Moodle's own fixture files read as Moodle reads it, pictures, categories,
re-import, bad input, and the round trip export → import."""

import base64
import io
import zlib
from decimal import Decimal

import pytest
from PIL import Image
from wagtail.images import get_image_model
from wagtail.models import Collection

from quizzes.exporting import export_category
from quizzes.importing import ImportFileError, ensure_category, import_questions
from quizzes.models import Question, QuestionCategory

from .factories import question
from .test_import_export import MOODLE, needs_moodle

XML = MOODLE / "xml"


def fixture(path: str) -> bytes:
    data = (XML / path).read_bytes()
    return b"<quiz>" + data + b"</quiz>" if path.startswith("xmlformat_test/") else data


# What Moodle's own tests expect from each file, in our terms: (imported [(name, our type)], skipped/refused names).
EXPECTED = {
    "format_xml/category_with_description.xml": ([("Alpha Question", "truefalse")], []),
    "format_xml/deprecated_category.xml": ([("Alpha Question", "truefalse")], []),
    "format_xml/export_category.xml": ([("Alpha Question", "truefalse")], []),
    "format_xml/html_chars_in_idnumbers.xml": ([("Alpha Question", "truefalse")], []),
    "format_xml/nested_categories.xml": ([("Zeta Question", "truefalse")], []),
    "format_xml/nested_categories_with_questions.xml": (
        [("Iota Question", "truefalse"), ("Kappa Question", "truefalse"), ("Lambda Question", "truefalse"), ("Mu Question", "truefalse")],
        ["Kappa Essay Question"]),
    "format_xml/old_format_file.xml": ([("Pi Question", "truefalse"), ("Rho Question", "truefalse")], []),
    "format_xml/categories_reverse_order.xml": ([("Sigma Question", "short")], ["Tau Question"]),
    "format_xml/truefalse.xml": ([("Moodle acronym (False)", "truefalse"), ("Moodle acronym (True)", "truefalse")], []),
    "format_xml/sample_questions_with_old_image_tag.xml": ([("mcq with image", "single")], ["cloze question with image"]),
    "qtype_multichoice/testquestion.moodle.xml": ([("Multi-choice-001", "multiple")], []),
    "qtype_ordering/testquestion.moodle.xml": ([("dd-ordering 1", "ordering")], []),
    "qtype_shortanswer/testquestion.moodle.xml": ([("shortanswer-001", "short")], []),
    "qtype_truefalse/testquestion.moodle.xml": ([("true-false-001", "truefalse")], []),
    "xmlformat_test/test_import_shortanswer_19.xml": ([("Short answer question", "short")], []),
    "xmlformat_test/test_import_truefalse_19.xml": ([("True false question", "truefalse")], []),
    "xmlformat_test/test_import_truefalse_with_idnumber.xml": ([("True false question", "truefalse")], []),
    # Moodle refuses these too: fractions that do not add up, grades off its list.
    "format_xml/error_invalid_fraction_sum.xml": ([("XML import: valid percentage answer weights", "multiple")],
                                                  ["XML import: invalid percentage answer weights (too much)"] * 2
                                                  + ["XML import: invalid percentage answer weights with single answer"]),
    "format_xml/error_invalid_grades.xml": ([], ["Question with invalid grades : x > 1 & x < 2"]),
    "xmlformat_test/test_import_multichoice_19.xml": ([], ["Multiple choice question"]),
    # Types we do not hold, reported by name and type.
    "format_xml/broken_cloze_questions.xml": ([], ["Multianswer question without subquestions", "Multichoice subquestion without choices",
                                                   "Multichoice subquestion with only one choice", "Multichoice subquestion with no completely correct answer",
                                                   "Numerical subquestion with buggy answer"]),
    "format_xml/multianswer.xml": ([], ["cloze with images"]),
    # bonjour.mp3 is embedded in the question text: not a picture, so the question is refused.
    "format_xml/multichoice.xml": ([], ["Greeting"]),
    "qtype_ddwtos/testquestion.moodle.xml": ([], ["Imported Drag and drop into text 001"]),
    "qtype_description/testquestion.moodle.xml": ([], ["description-001"]),
    "qtype_essay/testquestion.moodle.xml": ([], ["essay-001"]),
    "qtype_gapselect/testquestion.moodle.xml": ([], ["Imported Select missing words 001"]),
    "qtype_match/testquestion.moodle.xml": ([], ["matching-001"]),
    "qtype_numerical/testquestion.moodle.xml": ([], ["Numerical-001"]),
    "xmlformat_test/test_import_description.xml": ([], ["A description"]),
    "xmlformat_test/test_import_essay_20.xml": ([], ["An essay"]),
    "xmlformat_test/test_import_essay_21.xml": ([], ["An essay"]),
    "xmlformat_test/test_import_essay_311.xml": ([], ["An essay"]),
    "xmlformat_test/test_import_match_19.xml": ([], ["Matching question"]),
    "xmlformat_test/test_import_multianswer.xml": ([], ["Simple multianswer"]),
    "xmlformat_test/test_import_numerical_19.xml": ([], ["Numerical question"]),
    "xmlformat_test/test_import_truefalse_wih_files.xml": ([], ["truefalse"]),
}


@needs_moodle
def test_every_fixture_file_is_listed():
    assert sorted(str(p.relative_to(XML)) for p in XML.rglob("*.xml")) == sorted(EXPECTED)


@needs_moodle
@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_moodle_fixture(path, db):
    imported, refused = EXPECTED[path]
    report = import_questions(data=fixture(path), fmt="xml", category_path="导入/Moodle")
    assert [(q.name, q.qtype) for q in report.questions] == imported
    assert [i.name for i in report.issues if i.kind != "note"] == refused
    # Types we do not hold are listed and do not stop the rest; a broken question stops the whole file,
    # as Moodle's own default ("stop on error") does.
    stored = 0 if report.refused else len(imported)
    assert report.imported == stored == Question.objects.count()
    for issue in report.issues:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in issue.message), issue.message


@needs_moodle
def test_what_moodle_reads_is_kept(db):
    import_questions(data=fixture("qtype_ordering/testquestion.moodle.xml"), fmt="xml", category_path="导入")
    ordering = Question.objects.get()
    assert ordering.category.path == "导入/Test questions" and ordering.idnumber == "dd1"
    assert list(ordering.choices.order_by("sort_order").values_list("text", flat=True)) == [
        "Modular", "Object", "Oriented", "Dynamic", "Learning", "Environment"]
    assert "Modular Object Oriented" in ordering.explanation and ordering.penalty == Decimal("0.3333333")

    import_questions(data=fixture("qtype_shortanswer/testquestion.moodle.xml"), fmt="xml", category_path="导入")
    short = Question.objects.get(qtype="short")
    assert list(short.choices.values_list("text", "fraction", "feedback")) == [
        ("frog", 100, "Frog is a very good answer."), ("toad", 80, "Toad is an OK good answer."), ("*", 0, "That is a bad answer.")]

    report = import_questions(data=fixture("xmlformat_test/test_import_multichoice_19.xml").replace(b'fraction="100">\n      <text>4', b'fraction="0">\n      <text>4'),
                              fmt="xml", category_path="导入/19")
    mc = Question.objects.get(category__path="导入/19")
    assert report.imported == 1 and mc.points == 2 and mc.hints == ["<p>Hint 1.</p>", "<p>Hint 2.</p>"] or mc.hints == ["Hint 1.", "Hint 2."]
    assert mc.explanation and "even numbers" in mc.explanation

    import_questions(data=fixture("format_xml/nested_categories_with_questions.xml"), fmt="xml", category_path="导入/嵌套")
    assert QuestionCategory.objects.get(path="导入/嵌套/Iota/Kappa").description == "This is Kappa category for test"
    assert Question.objects.get(name="Lambda Question").category.path == "导入/嵌套/Iota/Kappa/Lambda"


@needs_moodle
def test_embedded_pictures_become_wagtail_images_in_the_category_collection(db):
    report = import_questions(data=fixture("format_xml/truefalse.xml"), fmt="xml", category_path="导入/图片")
    assert report.imported == 2
    # Pictures of options and their feedback cannot be kept: said per question, not dropped silently.
    assert [i.kind for i in report.issues] == ["note", "note"] and "thumbdown.jpg" in report.issues[0].message
    question_ = Question.objects.get(name="Moodle acronym (True)")
    collection = Collection.objects.get(name="导入/图片/Default for testhead/TrueFalse")
    images = get_image_model().objects.filter(collection=collection)
    # logo.jpg and infos.jpg, shared by both questions: stored once each.
    assert sorted(images.values_list("title", flat=True)) == ["Informations", "Moodle logo"]
    logo = images.get(title="Moodle logo")
    assert f'<embed alt="Moodle logo" embedtype="image" format="fullwidth" id="{logo.pk}"/>' in question_.stem
    assert "@@PLUGINFILE@@" not in question_.stem + question_.explanation
    assert question_.choices.get(fraction=100).text == "正确"
    # Re-importing the same file finds both questions, unchanged (their pictures found again by hash): nothing new.
    again = import_questions(data=fixture("format_xml/truefalse.xml"), fmt="xml", category_path="导入/图片")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Question.objects.count() == 2 and images.count() == 2


@needs_moodle
def test_moodle_19_image_tag_is_appended_with_its_file_name_as_alt(db):
    import_questions(data=fixture("format_xml/sample_questions_with_old_image_tag.xml"), fmt="xml", category_path="导入")
    stem = Question.objects.get().stem
    image = get_image_model().objects.get()
    assert f'alt="moodle.png" embedtype="image" format="fullwidth" id="{image.pk}"' in stem and image.width == 16


def _png(width=4, height=3) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(out, "PNG")
    return out.getvalue()


def _file_question(name: str, data: bytes, *, answers: int = 2, category: str = "$course$/top/网站/图片题") -> bytes:
    b64 = base64.b64encode(data).decode()
    options = "".join(f'<answer fraction="{100 if i == 0 else 0}" format="html"><text>选项{i}</text></answer>' for i in range(answers))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>{category}</text></category><info format="html"><text>&lt;b&gt;图片&lt;/b&gt;题</text></info></question>
  <question type="multichoice">
    <name><text>带图的题</text></name>
    <questiontext format="html"><text><![CDATA[<p>看图：<img src="@@PLUGINFILE@@/{name}" alt="栏目截图"> 哪个对？</p><script>alert(1)</script>]]></text>
      <file name="{name}" path="/" encoding="base64">{b64}</file></questiontext>
    <single>true</single>{options}
    <tags><tag><text>栏目</text></tag><tag><text>截图</text></tag></tags>
  </question>
  <question type="truefalse">
    <name><text>好题</text></name><questiontext format="markdown"><text>**先审后发**</text></questiontext>
    <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
  </question>
</quiz>""".encode()


def test_a_file_with_a_picture_and_a_category_tree(db):
    report = import_questions(data=_file_question("截图 1.png", _png()), fmt="xml", category_path="题库")
    assert report.imported == 2 and not report.issues
    q = Question.objects.get(name="带图的题")
    assert q.category.path == "题库/网站/图片题" and q.category.description == "图片题"
    assert q.tags == ["栏目", "截图"] and "<script>" not in q.stem and "alert" not in q.stem
    assert 'alt="栏目截图" embedtype="image"' in q.stem
    assert "<strong>先审后发</strong>" in Question.objects.get(name="好题").stem


@pytest.mark.parametrize(
    "data, message",
    [
        (b"not xml at all", "XML"),
        (b"<?xml version='1.0'?><html><body/></html>", "<quiz>"),
        (b"<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;&lol;'>]><quiz>&lol2;</quiz>", "DTD"),
        (b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]><quiz>&xxe;</quiz>", "DTD"),
        (b"<quiz>" + b" " * (20 * 1024 * 1024) + b"</quiz>", "10 MB"),
    ],
    ids=["not-xml", "not-a-quiz", "billion-laughs", "external-entity", "20MB"],
)
def test_bad_files_are_refused_whole_with_a_chinese_message(db, data, message):
    with pytest.raises(ImportFileError) as error:
        import_questions(data=data, fmt="xml", category_path="题库")
    assert message in error.value.message and any("\u4e00" <= ch <= "\u9fff" for ch in error.value.message)
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()


@pytest.mark.parametrize(
    "data, words",
    [
        (b"ID3\x03\x00 an mp3 file", "不是图片"),
        ("truncated", "损坏"),
        ("bomb", "解压炸弹"),
    ],
    ids=["not-an-image", "truncated", "bomb"],
)
def test_a_bad_embedded_file_refuses_the_whole_file(db, data, words):
    if data == "truncated":
        noise = io.BytesIO()
        Image.frombytes("L", (64, 64), bytes(range(256)) * 16).save(noise, "PNG")
        data = noise.getvalue()[: len(noise.getvalue()) // 2]
    elif data == "bomb":  # a real PNG whose header claims 50 000 × 50 000 pixels (CRC fixed so Pillow believes it)
        png = _png()
        ihdr = b"IHDR" + (50_000).to_bytes(4, "big") * 2 + png[24:29]
        data = png[:12] + ihdr + zlib.crc32(ihdr).to_bytes(4, "big") + png[33:]
    report = import_questions(data=_file_question("x.png", data), fmt="xml", category_path="题库")
    assert [q.name for q in report.questions] == ["好题"] and report.refused
    refused = [i for i in report.issues if i.kind == "error"]
    assert [i.name for i in refused] == ["带图的题"] and words in refused[0].message
    assert not get_image_model().objects.exists() and not Question.objects.exists() and not QuestionCategory.objects.exists()


def test_a_question_with_500_answers_is_refused(db):
    report = import_questions(data=_file_question("x.png", _png(), answers=500), fmt="xml", category_path="题库")
    assert [i.message for i in report.issues if i.kind == "error"] == ["一道题最多 26 个选项（这道有 500 个）。"]
    assert report.refused and not Question.objects.exists()


def test_dot_dot_category_is_refused_not_created(db):
    report = import_questions(data=_file_question("x.png", _png(), category="$course$/top/../外面"), fmt="xml", category_path="题库")
    assert report.imported == 0 and {i.kind for i in report.issues} == {"error"}
    assert "“..”" in report.issues[0].message
    assert not QuestionCategory.objects.filter(name="..").exists()


def _bank():
    top = ensure_category("往返/原题")
    png = _png()
    image = get_image_model()(title="截图", file=__import__("django.core.files.images", fromlist=["ImageFile"]).ImageFile(io.BytesIO(png), name="shot.png"))
    image._set_image_file_metadata()
    image.save()
    single = question(top, name="单选", stem=f'<p>看图 <embed alt="截图" embedtype="image" format="fullwidth" id="{image.pk}"/> 选哪个？</p>',
                      options=[("补充或隐藏", 100, "对"), ("挂<建设中>", 0, "不对")], explanation="<p>栏目无空白。</p>", points="2")
    single.tags, single.idnumber, single.hints = ["栏目"], "Q-001", ["<p>想想首页</p>"]
    single.save()
    question(top, qtype="multiple", name="多选", options=[("JPEG", 50, ""), ("PNG", 50, ""), ("BMP", -100, "太大")])
    question(top, qtype="truefalse", name="判断", options=[("正确", 0, "错了"), ("错误", 100, "对了")])
    question(top, qtype="short", name="填空", options=[("RGB", 100, ""), ("红*绿*蓝", 50, "半对")])
    question(ensure_category("往返/原题/子类"), qtype="ordering", name="排序", options=[("甲", 0, ""), ("乙", 0, ""), ("丙", 0, "")])
    return top


def _shape(prefix: str):
    def image_bytes(stem):
        import re

        ids = re.findall(r'id="(\d+)"', stem)
        return [get_image_model().objects.get(pk=int(i)).file_hash for i in ids], re.sub(r'id="\d+"', "", stem)

    return sorted(
        (q.category.path[len(prefix):], q.name, q.qtype, image_bytes(q.stem), q.explanation, q.points, q.tags, q.idnumber, q.hints,
         [(c.text, c.fraction, c.feedback) for c in q.choices.order_by("sort_order")])
        for q in Question.objects.filter(category__path__startswith=prefix)
    )


def test_round_trip_through_moodle_xml_keeps_every_type(db):
    top = _bank()
    exported = export_category(category=top, fmt="xml")
    assert exported.exported == 5
    text = exported.content.decode()
    assert '<question type="category">' in text and "$course$/top/子类" in text and 'encoding="base64"' in text
    assert '<questiontext format="html">' in text and "@@PLUGINFILE@@/" in text
    report = import_questions(data=exported.content, fmt="xml", category_path="往返/导入")
    assert report.imported == 5 and not report.issues
    assert _shape("往返/导入") == _shape("往返/原题")
