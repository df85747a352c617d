"""`make bench`: run every benchmarks/bench_*.py and write the figures to benchmarks/RESULTS.md."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "out" / "results.jsonl"


def main() -> int:
    RESULTS.parent.mkdir(exist_ok=True)
    scripts = sorted(HERE.glob("bench_*.py"))
    only = sys.argv[1:]
    # `run_all.py bench_x bench_y` re-runs some benchmarks and keeps the others' last figures.
    kept = []
    if only and RESULTS.exists():
        kept = [line for line in RESULTS.read_text(encoding="utf-8").splitlines() if json.loads(line)["bench"] not in only]
    RESULTS.write_text("".join(line + "\n" for line in kept), encoding="utf-8")
    failed = []
    for script in scripts:
        if only and script.stem not in only:
            continue
        print(f"== {script.name}", flush=True)
        started = time.monotonic()
        result = subprocess.run([sys.executable, script.name], cwd=HERE, env={**os.environ, "BENCH_RESULTS": str(RESULTS)})
        print(f"   ({time.monotonic() - started:.0f} s)")
        if result.returncode != 0:
            failed.append(script.name)
    rows = [json.loads(line) for line in RESULTS.read_text(encoding="utf-8").splitlines()] if RESULTS.exists() else []
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` on {time.strftime('%Y-%m-%d %H:%M %Z')} — {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}. Figures, not pass/fail; each script's docstring says what it measures.",
        "",
        "| benchmark | figure | value | unit | data size | compared with |",
        "|---|---|---:|---|---|---|",
    ]
    for row in rows:
        value = row["value"]
        shown = f"{value:,.2f}" if isinstance(value, float) else f"{value:,}"
        lines.append(f"| {row['bench']} | {row['figure']} | {shown} | {row['unit']} | {row['size']} | {row['baseline']} |")
    if failed:
        lines += ["", f"Scripts that failed: {', '.join(failed)}"]
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"Wrote {HERE / 'RESULTS.md'} ({len(rows)} figures)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
