"""GIFT and Aiken import on Moodle's own fixture files, our Chinese files, the command, and GIFT export."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils.translation import gettext

from quizzes.exporting import export_gift
from quizzes.importers import aiken, gift
from quizzes.importing import ImportFileError, ensure_category, import_questions, parse_file
from quizzes.models import Question, QuestionCategory

from .factories import question

ROOT = Path(__file__).resolve().parents[2]
# ../shared/outside beside the repository (a worktree sits one level deeper than the main checkout).
MOODLE = next(
    (p for p in (ROOT.parent / "shared/outside/moodle", ROOT.parent.parent / "shared/outside/moodle") if p.is_dir()),
    ROOT.parent / "shared/outside/moodle",
)
needs_moodle = pytest.mark.skipif(not MOODLE.is_dir(), reason=f"Moodle fixture files not found at {MOODLE}")


def moodle(name: str) -> bytes:
    return (MOODLE / name).read_bytes()


@needs_moodle
class TestMoodleFixtures:
    def test_gift_questions_file(self):
        result = parse_file(data=moodle("questions.gift.txt"), fmt="gift")
        by_name = {q.name: q for q in result.questions}
        assert [(q.name, q.qtype) for q in result.questions] == [
            ("Q2", "single"), ("colours", "multiple"), ("Shortanswer", "short"), ("Q1", "truefalse"), ("2-08 TSL", "truefalse"), ("2-08 TSL", "truefalse"),
        ]
        q2 = by_name["Q2"]
        assert [(c.text, c.weight, c.feedback) for c in q2.choices] == [
            ("yellow", 100, "right; good!"), ("red", 0, "wrong, it's yellow"), ("blue", 0, "wrong, it's yellow"),
        ]
        assert [c.weight for c in by_name["colours"].choices] == [50, -100, 50, -100]
        assert [(c.text, c.weight) for c in by_name["Shortanswer"].choices] == [("Frog", 100), ("Cat", 50), ("*", 0)]
        q1 = by_name["Q1"]
        assert [(c.text, c.weight) for c in q1.choices] == [(gettext("True"), 0), (gettext("False"), 100)]
        assert q1.choices[1].feedback == "You gave the right answer." and q1.choices[0].feedback == "42 is the Ultimate Answer."
        assert "Hitchiker" in q1.explanation
        skipped = {(i.line, i.name): i.message for i in result.issues}
        assert set(skipped) == {(2, "Q8"), (5, "Moodle activities"), (31, "Q5")}
        assert all(i.kind == "skipped" for i in result.issues)
        assert "essay" in skipped[(2, "Q8")] or "问答" in skipped[(2, "Q8")]

    def test_gift_categories_and_escapes(self, db):
        report = import_questions(data=moodle("questions_in_category.gift.txt"), fmt="gift", category_path="导入/Moodle")
        assert report.imported == 3 and report.categories == ["导入/Moodle/Default for New Features"]
        greeting = Question.objects.get(name="Greeting")
        # \= and \: are unescaped; the link survives sanitising, nothing executable does.
        assert 'href="http://demo.moodle.net/file.php/5/media/bonjour.mp3"' in greeting.stem
        assert greeting.category.path == "导入/Moodle/Default for New Features"
        assert Question.objects.get(name="Moodle acronym").qtype == "truefalse"
        assert [i.name for i in report.issues] == ["Moodle activities"]

    def test_aiken_good_file(self, db):
        report = import_questions(data=moodle("questions.aiken.txt"), fmt="aiken", category_path="导入/Aiken")
        assert report.imported == 2 and not report.issues
        first = Question.objects.get(name__startswith="The Moodle project")
        assert list(first.choices.order_by("sort_order").values_list("text", "fraction")) == [
            ("Petr Skoda", Decimal("0")), ("Martin Dougiamas", Decimal("100")), ("Eloy Lafuente", Decimal("0")), ("Tim Hunt", Decimal("0")),
        ]
        second = Question.objects.exclude(pk=first.pk).get()
        # Text that looks like HTML in a plain-text format is shown as text, never run (reading the stem cleans it,
        # which writes a quote in text as itself: the same text on the page).
        assert '&lt;html class="cool"&gt; &amp; images' in second.stem

    def test_aiken_errors_as_moodle_reports_them(self, db):
        # Read as Moodle's aikenformat_test reads it: the two good questions, and each bad one reported …
        parsed = parse_file(data=moodle("aiken_errors.txt"), fmt="aiken")
        assert [q.name for q in parsed.questions] == ["A good question", "A second good question"]
        assert [(c.text, c.weight) for c in parsed.questions[1].choices] == [("Incorrect (No space)", 0), ("Correct (No space)", 100)]
        assert [(i.line, i.kind) for i in parsed.issues] == [(3, "error"), (5, "error"), (7, "error"), (18, "error")]
        # … and, as Moodle's import does by default (stop on error), nothing of the file is stored.
        report = import_questions(data=moodle("aiken_errors.txt"), fmt="aiken", category_path="导入/Aiken")
        assert report.refused and report.imported == 0 and not Question.objects.exists() and not QuestionCategory.objects.exists()

    def test_command(self, db, capsys):
        call_command("import_questions", str(MOODLE / "questions.gift.txt"), "--format", "gift", "--category", "后台管理/Moodle")
        out = capsys.readouterr().out
        assert Question.objects.filter(category__path="后台管理/Moodle").count() == 6
        assert "31" in out and "Q5" in out


CHINESE_GIFT = """// 后台管理题目
$CATEGORY: $course$/栏目设置

::栏目无空白::栏目内容为空时，应当怎么办？{
=及时补充内容或隐藏栏目#对，栏目不能开了就空着。
~挂出“正在建设中”#不要挂“建设中”。
~保持原样
}

::先审后发::信息必须先审核后发布。{T}

::色彩模式::网页图片应使用什么色彩模式？{=RGB =%50%红绿蓝#基本对}
"""
BAD_QUESTION = "\n::坏题:: 这道题没有正确答案 {~甲 ~乙}\n"


def test_chinese_file_with_bom_imports_in_one_transaction(db):
    data = "\ufeff".encode() + CHINESE_GIFT.encode("utf-8")
    report = import_questions(data=data, fmt="gift", category_path="后台管理")
    assert report.imported == 3 and not report.issues
    q = Question.objects.get(name="栏目无空白")
    assert q.category.path == "后台管理/栏目设置" and q.choices.get(fraction=100).feedback == "对，栏目不能开了就空着。"


def test_one_bad_question_stores_nothing(db):
    report = import_questions(data=(CHINESE_GIFT + BAD_QUESTION).encode(), fmt="gift", category_path="后台管理")
    assert report.refused and [(i.line, i.name, i.kind) for i in report.issues] == [(14, "坏题", "error")]
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()


def test_nothing_half_imported_when_storing_fails(db, monkeypatch):
    from quizzes import importing

    # Questions are written, then their options: make the options' write fail (a full disk, a lost connection).
    def failing_bulk_create(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing.Choice.objects, "bulk_create", failing_bulk_create)
    with pytest.raises(RuntimeError):
        import_questions(data=CHINESE_GIFT.encode(), fmt="gift", category_path="后台管理")
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ("栏目".encode("gbk"), "UTF-8"),
        (b"\x00\x01\x02", "text"),
    ],
)
def test_unreadable_files_are_refused_with_a_message(db, data, message):
    with pytest.raises(ImportFileError) as error:
        import_questions(data=data, fmt="gift", category_path="后台管理")
    assert message in error.value.message or "文本" in error.value.message


def test_aiken_unfinished_question_at_end_of_file():
    result = aiken.parse("问题一\nA) 甲\nB) 乙\n")
    assert not result.questions and result.issues[0].line == 1


def test_gift_weight_out_of_range_is_an_error():
    result = gift.parse("::w:: 题 {~%150%甲 ~%-50%乙}")
    assert result.issues[0].kind == "error"


def test_export_import_round_trip(db):
    category = ensure_category("往返/原题")
    question(category, name="单选：栏目", stem="<p>栏目内容为空时 {怎么办}？</p>", options=[("补充或隐藏", 100, "对"), ("挂“建设中”", 0, "不对: 会扣分")], explanation="<p>栏目无空白。</p>")
    question(category, qtype="multiple", name="多选", options=[("JPEG", 50, ""), ("PNG", 50, ""), ("BMP", -100, "太大")])
    question(category, qtype="truefalse", name="判断", options=[(gettext("True"), 0, "错了"), (gettext("False"), 100, "对了")])
    question(category, qtype="short", name="填空 = 等号", options=[("RGB", 100, ""), ("红*绿*蓝", 50, "半对")])
    question(category, qtype="ordering", name="排序", options=[("甲", 0, ""), ("乙", 0, "")])
    sub = ensure_category("往返/原题/子类")
    question(sub, name="子类的题")
    exported = export_gift(category=category)
    # Ordering travels as qtype_ordering's {>N …} form.
    assert exported.exported == 6 and exported.skipped == []
    report = import_questions(data=exported.text.encode(), fmt="gift", category_path="往返/导入")
    assert report.imported == 6 and not report.issues

    def shape(path_prefix):
        rows = []
        for q in Question.objects.filter(category__path__startswith=path_prefix).order_by("name"):
            rows.append((q.category.path[len(path_prefix):], q.name, q.qtype, q.stem, q.explanation,
                         [(c.text, c.fraction, c.feedback) for c in q.choices.order_by("sort_order")]))
        return rows

    assert shape("往返/导入") == shape("往返/原题")


def test_renaming_a_category_moves_its_subcategories(db):
    leaf = ensure_category("后台管理/栏目设置/二级栏目")
    top = QuestionCategory.objects.get(path="后台管理")
    top.name = "网站后台管理"
    top.save()
    leaf.refresh_from_db()
    assert leaf.path == "网站后台管理/栏目设置/二级栏目"
