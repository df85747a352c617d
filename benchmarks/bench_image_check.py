"""Checking a 12-megapixel JPEG: the hands-on image check against Pillow's plain full decode of the same file.

Prints median time and peak memory (resident set growth, measured in a fresh forked process per run,
because Pillow's pixel buffers are allocated in C where tracemalloc cannot see them).
Run: .venv/bin/python benchmarks/bench_image_check.py
"""

from __future__ import annotations

import io
import multiprocessing as mp
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

import django  # noqa: E402
from harness import report  # noqa: E402

django.setup()

from PIL import Image, ImageDraw, ImageFilter  # noqa: E402

from quizzes.practical.checkers.image import admit_image, check_image  # noqa: E402

RUNS = 5
SIZE = (4000, 3000)
SPEC = {"formats": ["JPEG"], "max_width": 4000, "max_height": 3000, "aspect_ratio": "4:3", "max_bytes": 15 * 1024 * 1024,
        "mode": "RGB", "strip_exif": "all", "quality_min": 70, "quality_max": 95}
COMPARE_SPEC = {**SPEC, "no_upscale": True, "crop": {"box": [0, 0, 4000, 3000], "min_similarity": 0.9},
                "watermark": {"corner": "bottom-right", "size": 0.2, "min_difference": 0.06}}


def make_photo() -> bytes:
    """A photo-like 12 MP JPEG: gradients, shapes and fine noise, so the decoder does real work."""
    w, h = SIZE
    base = Image.merge("RGB", (Image.radial_gradient("L").resize(SIZE), Image.linear_gradient("L").resize(SIZE),
                               Image.effect_noise(SIZE, 40).filter(ImageFilter.GaussianBlur(1))))
    draw = ImageDraw.Draw(base)
    for i in range(0, w, 160):
        draw.ellipse((i, h // 3, i + 140, h // 3 + 300), fill=(255, (i // 4) % 255, 60))
    buffer = io.BytesIO()
    base.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def rss_kib() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)


def _child(kind: str, data: bytes, queue) -> None:
    base = rss_kib()
    started = time.perf_counter()
    if kind == "plain full decode (Image.open + load)":
        image = Image.open(io.BytesIO(data))
        image.load()
    elif kind == "plain full decode + resize to 512":
        image = Image.open(io.BytesIO(data))
        image.load()
        image.thumbnail((512, 512))
    elif kind == "admission (header only)":
        admit_image(io.BytesIO(data), size=len(data))
    elif kind == "image check (7 criteria, draft mode)":
        report = check_image(io.BytesIO(data), spec=SPEC, file_size=len(data))
        assert report.criteria and not report.error, report.error
    elif kind == "image check + compare with 12 MP original":
        report = check_image(io.BytesIO(data), spec=COMPARE_SPEC, file_size=len(data), original=io.BytesIO(data))
        assert report.criteria and not report.error, report.error
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((elapsed, max(0, peak - base)))


def measure(kind: str, data: bytes) -> tuple[float, float]:
    context = mp.get_context("fork")
    times, memory = [], []
    for _ in range(RUNS):
        queue = context.Queue()
        process = context.Process(target=_child, args=(kind, data, queue))
        process.start()
        elapsed, grown = queue.get()
        process.join()
        times.append(elapsed)
        memory.append(grown)
    return statistics.median(times) * 1000, statistics.median(memory) / 1024


def main() -> None:
    data = make_photo()
    print(f"12 MP JPEG: {SIZE[0]}×{SIZE[1]}, {len(data) / 1024 / 1024:.1f} MiB; median of {RUNS} runs, each in a fresh process")
    print(f"{'what':<45} {'time (ms)':>10} {'peak RSS growth (MiB)':>22}")
    results = {}
    for kind in (
        "plain full decode (Image.open + load)",
        "plain full decode + resize to 512",
        "admission (header only)",
        "image check (7 criteria, draft mode)",
        "image check + compare with 12 MP original",
    ):
        ms, mib = measure(kind, data)
        print(f"{kind:<45} {ms:>10.1f} {mib:>22.1f}")
        results[kind] = (ms, mib)
    base_ms, base_mib = results["plain full decode (Image.open + load)"]
    for kind, (ms, mib) in results.items():
        baseline = "" if kind.startswith("plain full decode (") else f"Pillow full decode: {base_ms:.1f} ms, {base_mib:.1f} MiB"
        report(f"12 MP JPEG: {kind}", ms, "ms", size="4000×3000 JPEG", baseline=baseline)
        report(f"12 MP JPEG: {kind}, peak memory growth", mib, "MiB", size="4000×3000 JPEG")


if __name__ == "__main__":
    main()
