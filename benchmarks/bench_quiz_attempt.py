"""Time one 50-question quiz attempt: start, 50 autosaves (one answer each, as the page sends them),
submit (grading). Prints the time and the number of SQL queries of each step.

Standalone: builds its own temporary SQLite database (or uses DATABASE_URL if set, e.g. PostgreSQL).

    .venv/bin/python benchmarks/bench_quiz_attempt.py [--runs 5]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
_tmp = tempfile.TemporaryDirectory()
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp.name}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from harness import report  # noqa: E402

QUESTIONS = 50


def build():
    from decimal import Decimal

    from lms.models import CountyTeam, Role, User
    from lms.services import assign_role
    from quizzes.importing import ensure_category
    from quizzes.models import Choice, Question, Quiz, QuizSlot

    team, _ = CountyTeam.objects.get_or_create(code="bench", defaults={"name": "基准测试县"})
    category = ensure_category("基准/五十题")
    quiz = Quiz.objects.create(title="基准测验", time_limit_minutes=60, shuffle_questions=True, shuffle_choices=True)
    kinds = ["single", "multiple", "truefalse", "short", "ordering"]
    for n in range(QUESTIONS):
        kind = kinds[n % len(kinds)]
        q = Question.objects.create(category=category, qtype=kind, name=f"题{n}", stem=f"<p>第{n}题</p>")
        if kind == "short":
            options = [("RGB", 100), ("红绿蓝", 100)]
        elif kind == "multiple":
            options = [("甲", 50), ("乙", 50), ("丙", -100), ("丁", 0)]
        elif kind == "ordering":
            options = [("一", 0), ("二", 0), ("三", 0), ("四", 0)]
        elif kind == "truefalse":
            options = [("正确", 100), ("错误", 0)]
        else:
            options = [("对", 100), ("错一", 0), ("错二", 0), ("错三", 0)]
        Choice.objects.bulk_create(Choice(question=q, text=t, fraction=Decimal(w), sort_order=i) for i, (t, w) in enumerate(options))
        QuizSlot.objects.create(quiz=quiz, question=q, sort_order=n)
    users = []
    for n in range(20):
        user = User.objects.create(username=f"bench{n}", full_name=f"基准{n}")
        assign_role(user=user, role=Role.TRAINEE, team=team)
        users.append(user)
    return quiz, users


def answers_for(attempt):
    from quizzes.models import Choice

    weights = dict(Choice.objects.filter(question_id__in=attempt.question_ids()).values_list("pk", "fraction"))
    result = {}
    for item in attempt.layout:
        if item["t"] == "short":
            result[item["q"]] = {"text": "ｒｇｂ"}
        elif item["t"] == "ordering":
            result[item["q"]] = {"order": sorted(item["choices"])}
        else:
            right = [c for c in item["choices"] if weights[c] > 0]
            result[item["q"]] = {"choices": right[:1] if item["t"] != "multiple" else right}
    return result


def one_run(quiz, user):
    from quizzes import services

    figures = {}
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as q:
        attempt = services.start_attempt(quiz=quiz, user=user)
    figures["start"] = (time.perf_counter() - started, len(q))
    answers = answers_for(attempt)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as q:
        for qid, answer in answers.items():
            services.save_answers(attempt=attempt, answers={qid: answer})
    figures["50 autosaves"] = (time.perf_counter() - started, len(q))
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as q:
        attempt = services.submit_attempt(attempt=attempt, user=user)
    figures["submit + grade"] = (time.perf_counter() - started, len(q))
    assert attempt.percent == 100, attempt.percent
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"database: {connection.vendor}; migrating…", flush=True)
    call_command("migrate", verbosity=0)
    quiz, users = build()
    runs = [one_run(quiz, users[i % len(users)]) for i in range(args.runs)]
    print(f"{QUESTIONS}-question attempt, {args.runs} runs (median time, queries):")
    total = 0.0
    for step in runs[0]:
        median = statistics.median(run[step][0] for run in runs)
        total += median
        queries = sorted({run[step][1] for run in runs})
        print(f"  {step:<16} {median * 1000:8.1f} ms   {'/'.join(map(str, queries))} queries")
        report(f"{QUESTIONS}-question attempt: {step}", median * 1000, "ms", size=f"{connection.vendor}, {args.runs} runs")
        report(f"{QUESTIONS}-question attempt: {step}, queries", max(queries), "queries", size=f"{connection.vendor}")
    print(f"  {'total':<16} {total * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
