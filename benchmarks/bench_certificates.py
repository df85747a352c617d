"""Certificate rendering figures: 200 certificates through our whole pipeline (QR code, HTML, PDF,
SHA-256, storage) and through our renderer alone, beside WeasyPrint at its best on the same HTML (its
stylesheet and font configuration parsed once and reused, as any careful integration does; target
≤ 1.15×), PDF sizes, bulk throughput with 1 and 2 worker processes, and (on a throw-away SQLite
database) the issue + render service path with its query counts.

    .venv/bin/python benchmarks/bench_certificates.py [--count 200] [--no-db]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

import django  # noqa: E402

django.setup()

from harness import compare, report  # noqa: E402

from certificates import pdf  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗欧阳"
GIVEN = ["伟", "芳", "晓雯", "建国", "秀英", "明", "婷婷", "志强", "丽", "海燕"]
TEAMS = ["武陵区", "鼎城区", "津市市", "安乡县", "汉寿县", "澧县", "临澧县", "桃源县", "石门县", "德山开发区", "市本级"]


def sample(count: int) -> list[pdf.CertificateData]:
    issued = date(2026, 11, 25)
    return [
        pdf.CertificateData(
            holder_name=SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)],
            team_name=TEAMS[n % len(TEAMS)],
            programme_name="常德市商务网站管理员资格",
            title="资格证书",
            statement="完成“常德市商务网站管理员资格”规定的全部课程，经考核合格。",
            issuer="常德市商务局",
            issued_on=issued - timedelta(days=n % 30),
            expires_on=issued + timedelta(days=730),
            serial=f"CD-2026-{n + 1:06d}",
            verification_url=f"https://academy.example.cn/verify/K7Q2MX9RT4HBW3ZP{n:04d}/",
        )
        for n in range(count)
    ]


def ours(data) -> tuple[float, list[int]]:
    renderer = pdf.CertificateRenderer()
    renderer.render(data[0])  # warm-up: fonts loaded, caches filled
    sizes, start = [], time.perf_counter()
    for item in data:
        sizes.append(len(renderer.render(item)))
    return (time.perf_counter() - start) * 1000 / len(data), sizes


def weasyprint_at_its_best(htmls: list[str]) -> float:
    """The baseline: WeasyPrint alone on the finished HTML, stylesheet and fonts parsed once and reused."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    stylesheets = [CSS(filename=str(pdf.STYLESHEET), font_config=fonts)]

    def once(html):
        HTML(string=html, base_url=pdf.STATIC_DIR.as_uri() + "/").write_pdf(stylesheets=stylesheets, font_config=fonts)

    once(htmls[0])
    start = time.perf_counter()
    for html in htmls:
        once(html)
    return (time.perf_counter() - start) * 1000 / len(htmls)


def whole_pipeline(data) -> float:
    """What issuing costs per certificate besides the database: QR code and HTML, PDF, SHA-256, stored."""
    import tempfile

    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=tempfile.mkdtemp(prefix="bench-certificates-"))
    renderer = pdf.CertificateRenderer()
    renderer.render(data[0])
    start = time.perf_counter()
    for item in data:
        content = renderer.render(item)
        pdf.sha256_of(content)
        storage.save(f"certificates/{item.serial}.pdf", ContentFile(content))
    return (time.perf_counter() - start) * 1000 / len(data)


_worker_renderer = None


def _init_worker():
    global _worker_renderer
    _worker_renderer = pdf.CertificateRenderer()


def _render_one(item) -> int:
    return len(_worker_renderer.render(item))


def throughput(data, workers: int) -> float:
    with get_context("fork").Pool(workers, initializer=_init_worker) as pool:
        pool.map(_render_one, data[: workers * 2])  # warm-up
        start = time.perf_counter()
        pool.map(_render_one, data, chunksize=8)
        return len(data) / (time.perf_counter() - start)


def service_path(count: int) -> None:
    """Issue and render through the real services on a fresh in-memory SQLite database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    import tempfile

    from django.conf import settings

    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="bench-media-"))
    t0 = time.perf_counter()
    connection.creation.create_test_db(verbosity=0)
    print(f"  (test database migrated in {time.perf_counter() - t0:.1f} s)")
    from certificates import services
    from certificates.models import Programme
    from lms.models import CountyTeam, User
    from lms.services import assign_role

    team = CountyTeam.objects.create(name="汉寿县", code="hanshou")
    programme = Programme.objects.create(name="常德市商务网站管理员资格", slug="bench", validity_months=24)
    people = []
    for n in range(count):
        user = User.objects.create(username=f"bench{n}", full_name=SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)])
        assign_role(user=user, role="trainee", team=team)
        people.append(user)
    issue_ms, render_ms, issue_queries, render_queries = [], [], [], []
    for person in people:
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            certificate = services.issue_certificate(holder=person, programme=programme)
            issue_ms.append((time.perf_counter() - start) * 1000)
        issue_queries.append(len(queries))
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            services.render_certificate(certificate=certificate)
            render_ms.append((time.perf_counter() - start) * 1000)
        render_queries.append(len(queries))
    print(f"  issue (lock, serial, insert, audit): {statistics.mean(issue_ms):6.1f} ms/cert, {max(issue_queries)} queries each")
    print(f"  render + store + hash:              {statistics.mean(render_ms):6.1f} ms/cert, {max(render_queries)} queries each")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--no-db", action="store_true", help="skip the database service path")
    args = parser.parse_args()
    data = sample(args.count)
    htmls = [pdf.certificate_html(item) for item in data]

    print(f"Rendering {args.count} A4 certificates (LXGW WenKai, QR as inline SVG), one process:")
    ms_ours, sizes = ours(data)
    ms_best = weasyprint_at_its_best(htmls)
    ms_pipeline = whole_pipeline(data)
    start = time.perf_counter()
    for item in data:
        pdf.certificate_html(item)
    ms_html = (time.perf_counter() - start) * 1000 / len(data)
    size = f"{args.count} certificates"
    compare(
        "certificate: whole pipeline (QR, HTML, PDF, SHA-256, storage)", ms_pipeline,
        "WeasyPrint at its best (CSS and fonts reused) on the same HTML", ms_best, "ms/cert", size=size, target="≤ 1.15×",
    )
    report("certificate: our renderer alone (HTML → PDF) ÷ WeasyPrint at its best", ms_ours / ms_best, "x", size=size)
    report("certificate: template + QR code alone", ms_html, "ms/cert", size=size)
    report("certificate PDF size, mean", statistics.mean(sizes) / 1024, "KB", size=size, target="≤ 50 KB")
    print(
        f"  PDF size: min {min(sizes) / 1024:.1f} KB, mean {statistics.mean(sizes) / 1024:.1f} KB, max {max(sizes) / 1024:.1f} KB (target ≤ 50 KB)"
    )
    print("Bulk throughput (worker processes, each with its own renderer):")
    one, two = throughput(data, 1), throughput(data, 2)
    compare("bulk rendering, 2 worker processes", two, "bulk rendering, 1 worker process", one, "certs/s", size=size,
            target=f"≈ {os.cpu_count()} cores", higher_is_better=True)
    print(f"  (this machine has {os.cpu_count()} CPU cores)")
    if not args.no_db:
        print("Service path on SQLite (issue, then render and store):")
        service_path(min(args.count, 200))


if __name__ == "__main__":
    main()
