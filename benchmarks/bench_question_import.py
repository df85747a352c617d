"""Import a 2,000-question bank from the Excel template: parse (preview), first import, re-import of
the same file (every row unchanged), re-import of a corrected file (every row an update: explanation
and mark). Prints time and SQL queries of each step; search indexing runs in the task after the commit
(immediate task backend here, so it is counted).

    .venv/bin/python benchmarks/bench_question_import.py [--questions 2000]
"""

import argparse
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import report, setup_django  # noqa: E402

KINDS = ["单选", "多选", "判断", "填空", "排序"]


def workbook(n: int, *, explanation: str = "栏目不能空着。", points: int = 2) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["题型", "题干", "选项A", "选项B", "选项C", "选项D", "正确答案", "分值", "解析", "难度", "知识点/分类"])
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        options = {"判断": [None] * 4, "填空": [None] * 4}.get(kind, [f"选项{i}-甲", f"选项{i}-乙", f"选项{i}-丙", f"选项{i}-丁"])
        answer = {"单选": "B", "多选": "AC", "判断": "对", "填空": "RGB|红绿蓝", "排序": "DCBA"}[kind]
        sheet.append([kind, f"第 {i} 题：栏目内容为空时应当怎么办？", *options, answer, points, explanation, "中", f"后台管理/第{i % 20}章"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def timed(fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = fn()
        elapsed = (time.perf_counter() - start) * 1000
    return result, elapsed, len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=2000)
    n = parser.parse_args().questions
    setup_django()
    from quizzes.importing import import_questions, parse_file

    data = workbook(n)
    size = f"{n} questions, {len(data) // 1024} KB"
    parsed, ms, queries = timed(lambda: parse_file(data=data, fmt="xlsx"))
    assert len(parsed.questions) == n, parsed.issues[:3]
    report("XLSX bank: parse + check (the preview)", ms, "ms", size=size)
    first, ms, queries = timed(lambda: import_questions(data=data, fmt="xlsx", category_path="基准/题库"))
    assert first.created == n
    report("XLSX bank: first import", ms, "ms", size=size)
    report("XLSX bank: first import, SQL queries", queries, "queries", size=size)
    again, ms, queries = timed(lambda: import_questions(data=data, fmt="xlsx", category_path="基准/题库"))
    assert again.unchanged == n and again.created == again.updated == 0
    report("XLSX bank: re-import, same file (all unchanged)", ms, "ms", size=size)
    report("XLSX bank: re-import, same file, SQL queries", queries, "queries", size=size)
    corrected = workbook(n, explanation="栏目不能空着，要及时补充。", points=3)
    fixed, ms, queries = timed(lambda: import_questions(data=corrected, fmt="xlsx", category_path="基准/题库"))
    assert fixed.updated == n and fixed.created == 0
    report("XLSX bank: re-import, corrected file (all updates)", ms, "ms", size=size)
    report("XLSX bank: re-import, corrected file, SQL queries", queries, "queries", size=size)


if __name__ == "__main__":
    main()
