"""What every benchmark script shares: a Django set-up on a throw-away database, timing, query
counting, and one way to report a figure (printed, and collected by `make bench` into RESULTS.md).

Benchmarks print figures; they never pass or fail on time.
"""

from __future__ import annotations

import json
import os
import socket
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


def interleaved_median_ms(*fns: Callable[[], object], repeat: int = 100, warmup: int = 5) -> list[float]:
    """The median of each function, run in turn (a, b, a, b…) so that a drift of the machine between two
    measurement windows (a neighbour waking, the CPU's clock) lands on both sides of a ratio alike."""
    for _ in range(warmup):
        for fn in fns:
            fn()
    timings: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, taken in zip(fns, timings, strict=True):
            start = time.perf_counter()
            fn()
            taken.append((time.perf_counter() - start) * 1000)
    return [statistics.median(taken) for taken in timings]


def count_queries(fn: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        fn()
    return len(context.captured_queries)


def report(
    figure: str, value: float, unit: str, *, size: str = "", baseline: str = "", bench: str = "", target: str = ""
) -> None:
    """Print one figure and append it to the results file that `make bench` turns into RESULTS.md."""
    shown = f"{value:,.2f}" if isinstance(value, float) else f"{value:,}"
    print(f"{figure:<58} {shown:>12} {unit:<8} {size}{'  (' + baseline + ')' if baseline else ''}{'  [target ' + target + ']' if target else ''}")
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS_FILE.open("a", encoding="utf-8") as out:
        out.write(json.dumps({"bench": bench or Path(sys.argv[0]).stem, "figure": figure, "value": value, "unit": unit,
                              "size": size, "baseline": baseline, "target": target, "load": load_average()}, ensure_ascii=False) + "\n")


def compare(
    figure: str, value: float, baseline_figure: str, baseline_value: float, unit: str, *, size: str = "", target: str = "",
    higher_is_better: bool = False,
) -> float:
    """Report a figure beside its baseline measured in the same run, and their ratio (figure ÷ baseline):
    a regression shows as a ratio, whatever the machine's speed that day."""
    ratio = value / baseline_value if baseline_value else float("nan")
    report(figure, value, unit, size=size, baseline=f"{baseline_figure}: {baseline_value:,.2f} {unit}")
    report(baseline_figure, baseline_value, unit, size=size)
    report(f"{figure} ÷ {baseline_figure}", ratio, "x", size=size, target=target,
           baseline="higher is better" if higher_is_better else "lower is better")
    return ratio


def load_average() -> float:
    """The machine's 1-minute load average (other processes included): figures are only comparable
    when it is well below the number of cores."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return float("nan")


def busy_threshold() -> float:
    """Load average above which the machine counts as busy: BENCH_MAX_LOAD, default half the cores."""
    return float(os.environ.get("BENCH_MAX_LOAD", (os.cpu_count() or 1) * 0.5))


def machine_is_busy() -> bool:
    return load_average() > busy_threshold()


def postgres_answers() -> bool:
    """True when a PostgreSQL server listens on 127.0.0.1:5432 (the PostgreSQL benchmarks skip otherwise)."""
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=2):
            return True
    except OSError:
        return False


def redis_url() -> str:
    """Redis on 127.0.0.1:6379 (or BENCH_REDIS_URL) when one answers, else ""."""
    if os.environ.get("BENCH_REDIS_URL"):
        return os.environ["BENCH_REDIS_URL"]
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return "redis://127.0.0.1:6379/0"
    except OSError:
        return ""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now, for a server the benchmark starts."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
