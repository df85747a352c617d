"""What every benchmark script shares: a Django set-up on a throw-away database, timing, query
counting, and one way to report a figure (printed, and collected by `make bench` into RESULTS.md).

Benchmarks print figures; they never pass or fail on time.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_FILE = Path(os.environ.get("BENCH_RESULTS", ROOT / "benchmarks" / "out" / "results.jsonl"))


def setup_django(*, migrate: bool = True) -> None:
    """Django on a fresh temporary SQLite file, or on BENCH_DATABASE_URL (e.g. PostgreSQL) when set."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    else:
        folder = tempfile.mkdtemp(prefix="academy-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ.setdefault("MEDIA_ROOT", f"{folder}/media")
    import django

    django.setup()
    from django.conf import settings

    settings.MEDIA_ROOT = os.environ.get("MEDIA_ROOT", settings.MEDIA_ROOT)
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def median_ms(fn: Callable[[], object], *, repeat: int = 5, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def count_queries(fn: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        fn()
    return len(context.captured_queries)


def report(figure: str, value: float, unit: str, *, size: str = "", baseline: str = "", bench: str = "") -> None:
    """Print one figure and append it to the results file that `make bench` turns into RESULTS.md."""
    shown = f"{value:,.2f}" if isinstance(value, float) else f"{value:,}"
    print(f"{figure:<58} {shown:>12} {unit:<8} {size}{'  (' + baseline + ')' if baseline else ''}")
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS_FILE.open("a", encoding="utf-8") as out:
        out.write(json.dumps({"bench": bench or Path(sys.argv[0]).stem, "figure": figure, "value": value, "unit": unit,
                              "size": size, "baseline": baseline}, ensure_ascii=False) + "\n")
