"""Start-up of one web process: `django.setup()` plus every URL (views, API, admin hooks) and the WSGI
middleware, with the time and memory (peak RSS) it takes, beside bare Django in the same run, and what
importing WeasyPrint at start would add (it is imported only when a PDF is rendered).

    .venv/bin/python benchmarks/bench_startup.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from harness import compare, report  # noqa: E402

PROBE = """
import json, resource, sys, time
start = time.perf_counter()
import django
{setup}
elapsed = time.perf_counter() - start
print(json.dumps({{"s": elapsed, "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "weasyprint": "weasyprint" in sys.modules}}))
"""
ACADEMY = """
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
from django.core.wsgi import get_wsgi_application
get_wsgi_application()
"""
BARE = """
from django.conf import settings
settings.configure(INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes"], ROOT_URLCONF=[], SECRET_KEY="x")
django.setup()
"""
WITH_WEASYPRINT = ACADEMY + "\nimport weasyprint\n"


def measure(setup: str, repeat: int) -> tuple[float, float, bool]:
    runs = []
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.test"}
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", PROBE.format(setup=setup)], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return statistics.median(r["s"] * 1000 for r in runs), statistics.median(r["rss_mib"] for r in runs), runs[0]["weasyprint"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    academy_ms, academy_mib, loaded = measure(ACADEMY, repeat)
    bare_ms, bare_mib, _ = measure(BARE, repeat)
    eager_ms, eager_mib, _ = measure(WITH_WEASYPRINT, repeat)
    size = f"one process, median of {repeat}"
    compare("start-up: django.setup() + URLs + middleware", academy_ms, "start-up: bare Django", bare_ms, "ms", size=size)
    compare("memory after start-up (peak RSS)", academy_mib, "memory, bare Django", bare_mib, "MiB", size=size)
    report("WeasyPrint imported at start-up", int(loaded), "yes=1", size=size, target="0 (imported on first PDF)")
    report("what importing WeasyPrint at start would add: time", eager_ms - academy_ms, "ms", size=size)
    report("what importing WeasyPrint at start would add: memory", eager_mib - academy_mib, "MiB", size=size)


if __name__ == "__main__":
    main()
