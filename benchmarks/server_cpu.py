"""Server CPU from /proc: the gunicorn master and its workers, and every PostgreSQL process.

A snapshot sums user + system time of each process and of its reaped children (a PostgreSQL backend
that ended is counted in the postmaster's children time), so `after - before` is the CPU the server
side spent in between, whatever connections came and went. PostgreSQL is counted whole: on a shared
machine other databases' work shows too, which is why `make bench` refuses a busy machine.
"""

from __future__ import annotations

import os
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(command name, parent pid, CPU ticks of the process and its reaped children)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    # After the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
    return name, int(fields[1]), sum(int(fields[i]) for i in (11, 12, 13, 14))


def snapshot(server_pid: int | None) -> dict[str, float]:
    """CPU seconds so far: {"app": gunicorn master + workers, "db": all postgres processes}."""
    app = db = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        stat = _stat(pid)
        if stat is None:
            continue
        name, parent, ticks = stat
        if name == "postgres" or name.startswith("postgres:"):
            db += ticks
        elif server_pid and (pid == server_pid or parent == server_pid):
            app += ticks
    return {"app": app / TICK, "db": db / TICK}


def spent(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {key: after[key] - before[key] for key in before}
