"""Site inspection: crawl a generated county site of ~5,000 pages served on 127.0.0.1 (in another process), and
compare with a plain fetch of the same pages by the same HTTP client at the same concurrency (2 per host).

    .venv/bin/python benchmarks/bench_inspection.py [--pages 5000]

Prints pages/s for both, the ratio (what parsing, dates, expression matching, link bookkeeping and the
politeness gate cost over bare HTTP), and the process's peak memory.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import free_port, report, setup_django  # noqa: E402

COLUMNS = 50
PER_LIST = 25


def _serve(port: int, articles_per_column: int) -> None:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    nav = "".join(f'<li><a href="/c{c}/">工作动态{c}</a></li>' for c in range(COLUMNS))
    frame = (
        '<!doctype html><html><head><meta charset="utf-8"><title>{t}</title></head><body><div class="nav"><ul>'
        + nav
        + "</ul></div>{b}</body></html>"
    )
    lists = (articles_per_column + PER_LIST - 1) // PER_LIST

    def body_for(path: str) -> str | None:
        if path == "/":
            return frame.format(
                t="首页", b='<ul class="news"><li><a href="/c0/a0.html">要闻</a><span>2026-11-29</span></li></ul>'
            )
        parts = path.strip("/").split("/")
        if not parts[0].startswith("c"):
            return None
        column = int(parts[0][1:])
        if len(parts) == 1 or parts[1].startswith("list"):
            page = int(parts[1][4:-5]) if len(parts) == 2 else 0
            start = page * PER_LIST
            rows = "".join(
                f'<li><a href="/c{column}/a{n}.html">信息{n}</a><span>2026-11-{1 + n % 28:02d}</span></li>'
                for n in range(start, min(start + PER_LIST, articles_per_column))
            )
            more = f'<div class="page"><a href="/c{column}/list{page + 1}.html">下一页</a></div>' if page + 1 < lists else ""
            return frame.format(t="列表", b=f'<ul class="list">{rows}</ul>{more}')
        n = parts[1][1:-5]
        return frame.format(
            t="文章",
            b=f'<h1>信息{n}</h1><p>发布时间：2026-11-20 10:30</p><p><img src="/img.png" alt="配图"></p>'
            + "<p>县商务局组织召开电子商务进农村工作推进会，部署下一阶段工作。</p>" * 20,
        )

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path == "/img.png":
                data, kind = b"\x89PNG\r\n\x1a\n", "image/png"
            else:
                html = body_for(self.path)
                if html is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                data, kind = html.encode(), "text/html; charset=utf-8"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=5000, help="articles in the generated site (plus list pages)")
    args = parser.parse_args()
    setup_django()
    from inspection.crawler import Crawler
    from inspection.fetching import HostGate, Limits, fetch, make_client
    from inspection.rules import evaluate
    from inspection.services import expression_matcher

    per_column = max(1, args.pages // COLUMNS)
    port = free_port()
    server = multiprocessing.Process(target=_serve, args=(port, per_column), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{port}/"
    time.sleep(0.5)
    limits = Limits(
        max_pages=args.pages * 2,
        max_links=args.pages * 3,
        max_seconds=3600,
        delay=0.0,
        list_pages=per_column // PER_LIST + 2,
        articles_per_column=per_column,
    )
    try:
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        crawl = Crawler(base, limits=limits, allow_internal=True, matcher=expression_matcher()).run()
        verdict = evaluate(crawl, today=date(2026, 11, 30))
        crawl_seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        urls = list(crawl.pages)

        gate = HostGate(limits.per_host, 0.0)
        with make_client(limits) as client, ThreadPoolExecutor(max_workers=limits.per_host * 2) as pool:
            started = time.perf_counter()
            list(pool.map(lambda url: fetch(client, gate, url, limits=limits, allow_internal=True), urls))
            plain_seconds = time.perf_counter() - started
    finally:
        server.terminate()
    size = f"{len(urls):,} pages, {len(crawl.links):,} links"
    report("inspection: crawl + judge, pages/s", len(urls) / crawl_seconds, "pages/s", size=size)
    report("inspection: plain fetch of the same pages, pages/s", len(urls) / plain_seconds, "pages/s", size=size)
    report("inspection: crawl time / plain fetch time (incl. link checks)", crawl_seconds / plain_seconds, "x", size=size)
    report("inspection: peak RSS of the process", peak, "MB", size=f"{size}; {rss_before:,.0f} MB before")
    print(f"verdict {verdict['verdict']}, {len(verdict['findings'])} findings, capped: {crawl.capped or 'no'}")


if __name__ == "__main__":
    main()
