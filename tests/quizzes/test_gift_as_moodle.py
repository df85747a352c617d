"""GIFT read as Moodle's qformat_gift reads it, and short-answer wildcards in linear time."""

import time
from decimal import Decimal

from quizzes.grading import matches
from quizzes.importers import gift
from quizzes.importing import import_questions, parse_file
from quizzes.models import Question, QuestionCategory


def test_html_answers_take_the_question_format():
    # What Moodle's HTML editor exports: the answer is HTML, so it shows as "<title>", not as tags.
    result = gift.parse('::标签::[html]<p>网页标题用哪个标签？</p>{\n=<p dir\\="ltr">&lt;title&gt;<br></p>#<p>对</p>\n~<p>&lt;h1&gt;</p>\n}')
    q = result.questions[0]
    assert [(c.text, c.feedback) for c in q.choices] == [("<title>", "对"), ("<h1>", "")]


def test_true_false_feedback_loses_its_html_marker():
    # {T#feedback for a wrong answer#feedback for the right one}
    q = gift.parse("::判断::先审后发？{T#[html]<p>错了</p>#[html]<b>对了</b>}").questions[0]
    assert [(c.weight, c.feedback) for c in q.choices] == [(100, "对了"), (0, "错了")]


def test_category_paths_as_moodle_writes_them(db):
    text = "$CATEGORY: $course$/top/后台管理/栏目//专题\n\n::一::题一{T}\n\n$CATEGORY: $system$/top\n\n::二::题二{T}\n\n$CATEGORY: $course$/<b>加粗</b>分类\n\n::三::题三{T}\n"
    report = import_questions(data=text.encode(), fmt="gift", category_path="导入")
    assert report.imported == 3
    assert dict(Question.objects.values_list("name", "category__path")) == {
        "一": "导入/后台管理/栏目／专题", "二": "导入", "三": "导入/加粗分类"}


def test_dot_dot_and_empty_levels_are_refused(db):
    text = "$CATEGORY: $course$/top/../外面\n\n::一::题一{T}\n\n$CATEGORY: 甲/ /乙\n\n::二::题二{T}\n\n$CATEGORY: 好的\n\n::三::题三{T}\n"
    report = import_questions(data=text.encode(), fmt="gift", category_path="导入")
    assert report.refused and not Question.objects.exists()  # all or nothing: 三 waits for the file to be corrected
    assert not QuestionCategory.objects.filter(name__in=["..", ""]).exists()
    messages = [i.message for i in report.issues]
    assert "“..”" in messages[0] and "空的一级" in messages[2] and len(messages) == 4


def test_ordering_is_read_and_written():
    text = "::顺序::发布信息的顺序{>3 ALL VERTICAL ABSOLUTE_POSITION SHOW\n录入\n审核\n发布\n}"
    q = gift.parse(text).questions[0]
    assert q.qtype == "ordering" and [c.text for c in q.choices] == ["录入", "审核", "发布"]
    assert q.notes and "ABSOLUTE_POSITION" in q.notes[0]
    written = gift.write_question(name="顺序", qtype="ordering", stem="<p>顺序</p>", choices=[(t, 0, "") for t in ("录入", "审核", "发布")])
    again = gift.parse(written).questions[0]
    assert again.qtype == "ordering" and [c.text for c in again.choices] == ["录入", "审核", "发布"] and not again.notes


def test_negative_single_choice_weights_are_refused_not_changed():
    result = parse_file(data="::负分::选哪个？{=对 ~%-50%错}".encode(), fmt="gift")
    assert not result.questions and "不能为负分" in result.issues[0].message


def test_wildcard_runs_act_as_one_and_matching_is_linear():
    assert matches("红***蓝", "红绿蓝") and matches("**", "anything") and matches("a*b*c", "a-b-c") and not matches("a*b*c", "a-c-b")
    assert matches(r"5\*3", "5*3") and not matches(r"5\*3", "553")
    pattern, answer = "*a" * 35 + "*b", "a" * 20000
    start = time.perf_counter()
    assert not matches(pattern, answer)
    assert time.perf_counter() - start < 0.5


def test_tags_and_idnumber_from_moodle_xml_are_kept_and_gift_says_it_cannot(db):
    from quizzes.exporting import export_category

    xml = b"""<quiz><question type="truefalse"><name><text>T</text></name><questiontext format="html"><text>Q</text></questiontext>
      <idnumber>ID-7</idnumber><tags><tag><text>a</text></tag></tags>
      <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question></quiz>"""
    import_questions(data=xml, fmt="xml", category_path="导入")
    q = Question.objects.get()
    assert (q.idnumber, q.tags, q.points) == ("ID-7", ["a"], Decimal("1"))
    result = export_category(category=q.category, fmt="gift")
    assert "Moodle XML" in result.notes["T"][0]
