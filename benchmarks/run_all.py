"""`make bench`: run every benchmarks/bench_*.py and write the figures to benchmarks/RESULTS.md.

Figures from a busy machine say more about the neighbours than about the code: the load average is
recorded before and after every script, and nothing is measured when the machine is busy at the start
(1-minute load average above BENCH_MAX_LOAD, default half the cores) unless `--allow-busy` (or
BENCH_ALLOW_BUSY=1) says to. Only the start is judged: later scripts begin with what the previous
benchmark left in the 1-minute average (a load storm saturates both cores), which is not the neighbours'.

    .venv/bin/python benchmarks/run_all.py [--allow-busy] [bench_x bench_y …]
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

from harness import busy_threshold, load_average

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "out" / "results.jsonl"


def _earlier_lines() -> list[str]:
    page = HERE / "RESULTS.md"
    return page.read_text(encoding="utf-8").splitlines() if page.exists() else []


def _earlier_written() -> str:
    return next((line for line in _earlier_lines() if line.startswith("Written by")), "")


def _earlier_loads() -> dict[str, str]:
    """{script: "before → after"} from the page a full run wrote."""
    line = next((line for line in _earlier_lines() if line.startswith("Load average")), "")
    found = re.findall(r"(bench_\w+) (\d+\.\d+ → \d+\.\d+)", line)
    return dict(found)


def main() -> int:
    RESULTS.parent.mkdir(exist_ok=True)
    scripts = sorted(HERE.glob("bench_*.py"))
    arguments = sys.argv[1:]
    allow_busy = "--allow-busy" in arguments or os.environ.get("BENCH_ALLOW_BUSY") == "1"
    only = [name for name in arguments if name != "--allow-busy"]
    if load_average() > busy_threshold() and not allow_busy:
        print(
            f"The machine is busy (load average {load_average():.2f} > {busy_threshold():.2f}): "
            "not benchmarking. Wait, or pass --allow-busy (BENCH_ALLOW_BUSY=1) to measure anyway."
        )
        return 2
    # `run_all.py bench_x bench_y` re-runs some benchmarks and keeps the others' last figures.
    kept = []
    if only and RESULTS.exists():
        kept = [line for line in RESULTS.read_text(encoding="utf-8").splitlines() if json.loads(line)["bench"] not in only]
    RESULTS.write_text("".join(line + "\n" for line in kept), encoding="utf-8")
    failed, loads = [], []
    for script in scripts:
        if only and script.stem not in only:
            continue
        before = load_average()
        print(f"== {script.name} (load average {before:.2f})", flush=True)
        started = time.monotonic()
        result = subprocess.run([sys.executable, script.name], cwd=HERE, env={**os.environ, "BENCH_RESULTS": str(RESULTS)})
        after = load_average()
        print(f"   ({time.monotonic() - started:.0f} s, load average {before:.2f} → {after:.2f})")
        loads.append((script.stem, before, after))
        if result.returncode != 0:
            failed.append(script.name)
    rows = [json.loads(line) for line in RESULTS.read_text(encoding="utf-8").splitlines()] if RESULTS.exists() else []
    written = (
        f"Written by `make bench` on {time.strftime('%Y-%m-%d %H:%M %Z')} — {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}. Figures, not pass/fail; each script's docstring says what it measures."
    )
    earlier = _earlier_loads() if only else {}
    if only and earlier:
        # A re-run of some scripts: the page keeps saying when the others were measured, and under what load.
        written = _earlier_written() + f" Re-run on {time.strftime('%Y-%m-%d %H:%M %Z')}: {', '.join(only)}."
    loads = [*((name, load) for name, load in earlier.items() if name not in only),
             *((name, f"{before:.2f} → {after:.2f}") for name, before, after in loads)]
    loads.sort()
    lines = [
        "# Benchmark results",
        "",
        written,
        "",
        f"Load average (1 min, {os.cpu_count()} cores) before → after each script: "
        + ", ".join(f"{name} {load}" for name, load in loads)
        + f". Busy above {busy_threshold():.2f}" + (" (measured anyway: --allow-busy)." if allow_busy else "."),
        "",
        "| benchmark | figure | value | unit | data size | compared with | target |",
        "|---|---|---:|---|---|---|---|",
    ]
    for row in rows:
        value = row["value"]
        shown = f"{value:,.2f}" if isinstance(value, float) else f"{value:,}"
        lines.append(
            f"| {row['bench']} | {row['figure']} | {shown} | {row['unit']} | {row['size']} | {row['baseline']} | {row.get('target', '')} |"
        )
    if failed:
        lines += ["", f"Scripts that failed: {', '.join(failed)}"]
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"Wrote {HERE / 'RESULTS.md'} ({len(rows)} figures)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
