"""Re-importing a bank costs a fixed number of queries, not one or more per question: existing
questions are read in one query, unchanged ones are not written, changed ones are written in bulk, and
the search index is refreshed after the commit in a task (as Wagtail does for a single save)."""

import io

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.search.backends import get_search_backend

from quizzes.importing import import_questions
from quizzes.models import Choice, Question

KINDS = ["单选", "多选", "判断", "填空", "排序"]


def bank(n: int, *, explanation: str = "栏目不能空着。", points: int = 2, multiple: str = "AC", categories: int = 4) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["题型", "题干", "选项A", "选项B", "选项C", "选项D", "正确答案", "分值", "解析", "难度", "知识点/分类"])
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        options = {"判断": [None] * 4, "填空": [None] * 4}.get(kind, [f"选项{i}-甲", f"选项{i}-乙", f"选项{i}-丙", f"选项{i}-丁"])
        answer = {"单选": "B", "多选": multiple, "判断": "对", "填空": "RGB|红绿蓝", "排序": "DCBA"}[kind]
        sheet.append([kind, f"第 {i} 题：栏目内容为空时应当怎么办？", *options, answer, points, explanation, "中", f"后台管理/第{i % categories}章"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def queries_of(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def test_reimport_queries_do_not_grow_with_the_number_of_questions(db, django_capture_on_commit_callbacks):
    counts = {}
    for n in (20, 60):
        Question.objects.all().delete()
        data = bank(n)
        import_questions(data=data, fmt="xlsx", category_path="题库")
        again = {}
        # The same file again: nothing changed, nothing written.
        again["same"] = queries_of(lambda data=data: import_questions(data=data, fmt="xlsx", category_path="题库"))
        # A corrected file: every explanation and mark changed, and the right options of the multiple-choice ones.
        changed = bank(n, explanation="新的解析。", points=3, multiple="ABD")
        again["changed"] = queries_of(lambda changed=changed: import_questions(data=changed, fmt="xlsx", category_path="题库"))
        counts[n] = again
    assert counts[20] == counts[60], counts
    assert counts[60]["same"] <= 12 and counts[60]["changed"] <= 30, counts


def test_unchanged_questions_are_not_written_and_changed_ones_are(db, django_capture_on_commit_callbacks):
    import_questions(data=bank(10), fmt="xlsx", category_path="题库")
    stamps = dict(Question.objects.values_list("pk", "updated_at"))
    choice_ids = sorted(Choice.objects.values_list("pk", flat=True))
    same = import_questions(data=bank(10), fmt="xlsx", category_path="题库")
    assert (same.created, same.updated, same.unchanged, same.imported) == (0, 0, 10, 10)
    assert dict(Question.objects.values_list("pk", "updated_at")) == stamps
    fixed = import_questions(data=bank(10, explanation="新的解析。"), fmt="xlsx", category_path="题库")
    assert (fixed.created, fixed.updated, fixed.unchanged) == (0, 10, 0)
    assert set(Question.objects.values_list("explanation", flat=True)) == {"<p>新的解析。</p>"}
    assert all(updated > stamps[pk] for pk, updated in Question.objects.values_list("pk", "updated_at"))
    assert sorted(Choice.objects.values_list("pk", flat=True)) == choice_ids


def test_imported_questions_are_found_by_search_once_the_import_commits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        import_questions(data=bank(5), fmt="xlsx", category_path="题库")
    search = get_search_backend()
    assert len(search.search("第 3 题", Question.objects.all())) >= 1
