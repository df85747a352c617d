"""Generated county sites served on 127.0.0.1 by a real HTTP server: a clean one and one with a planted
defect for every rule (GBK pages, paginated lists, several date formats, a slow page, a redirect loop,
a 10 MB page, a page that never ends)."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\r"
    b"IDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def page(title: str, body: str, *, charset: str = "utf-8", nav: str = "") -> str:
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="{charset}"><title>{title}</title></head><body>'
        f'<div class="header"><img src="/logo.png" alt="常德市商务局"></div>'
        f'<div class="nav"><ul>{nav}</ul></div><div class="main">{body}</div>'
        f'<div class="footer">主办：某县商务局</div></body></html>'
    )


class Site:
    """Pages by path: str (HTML, utf-8), bytes with a content type, or a callable taking the handler."""

    def __init__(self):
        self.routes: dict[str, object] = {}
        self.hits: dict[str, int] = {}
        self.user_agents: set[str] = set()
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self.server = None

    def add(self, path: str, content, content_type: str = "text/html; charset=utf-8", *, etag: str = ""):
        self.routes[path] = (content, content_type, etag)

    def start(self) -> str:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                with site._lock:
                    site.in_flight += 1
                    site.max_in_flight = max(site.max_in_flight, site.in_flight)
                    site.hits[self.path] = site.hits.get(self.path, 0) + 1
                    site.user_agents.add(self.headers.get("User-Agent", ""))
                try:
                    self.answer()
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with site._lock:
                        site.in_flight -= 1

            def answer(self):
                route = site.routes.get(self.path)
                if route is None:
                    self.send(404, b"<html><body>404</body></html>", "text/html")
                    return
                content, content_type, etag = route
                if callable(content):
                    content(self)
                    return
                if etag and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = content.encode("utf-8") if isinstance(content, str) else content
                self.send(200, body, content_type, etag)

            def send(self, status, body, content_type, etag=""):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # the crawler closes connections it has read enough of (size and time caps)

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_port}"

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()


def redirect(location: str):
    def answer(handler):
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return answer


def slow(seconds: float, html: str):
    def answer(handler):
        time.sleep(seconds)
        handler.send(200, html.encode(), "text/html; charset=utf-8")

    return answer


def never_ending(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.end_headers()
    handler.wfile.write(b"<html><body><p>")
    try:
        while True:
            handler.wfile.write(b"\xe5\x95\x86" * 4096)  # 商…
            handler.wfile.flush()
            time.sleep(0.01)
    except (BrokenPipeError, ConnectionResetError, OSError):
        return


NEWS = "工作动态"
COLUMNS_CLEAN = [
    ("/news/", "工作动态"),
    ("/notice/", "通知公告"),
    ("/policy/", "政策文件"),
    ("/ask/", "在线咨询"),
    ("/trade/", "对外贸易"),
]


def nav_html(columns) -> str:
    return '<li><a href="/">首页</a></li>' + "".join(f'<li><a href="{path}">{name}</a></li>' for path, name in columns)


def article(title: str, published: str, *, picture: bool = True, alt: str = "图片说明", extra: str = "", nav: str = "") -> str:
    image = f'<p><img src="/img/photo.png" alt="{alt}"></p>' if picture else ""
    return page(title, f'<h1>{title}</h1><div class="info">发布时间：{published}</div>{image}<p>正文内容。{extra}</p>', nav=nav)


def column_list(items: list[tuple[str, str, str]], *, next_page: str = "", nav: str = "") -> str:
    rows = "".join(f'<li><a href="{href}">{title}</a><span>{when}</span></li>' for href, title, when in items)
    pager = f'<div class="page"><a href="{next_page}">下一页</a></div>' if next_page else ""
    return page("列表", f'<ul class="list">{rows}</ul>{pager}', nav=nav)


def build_clean_site() -> Site:
    """Every column fresh, every article with a described picture, every link working. Today: 2026-11-30."""
    site = Site()
    nav = nav_html(COLUMNS_CLEAN)
    site.add("/logo.png", PNG, "image/png")
    site.add("/img/photo.png", PNG, "image/png")
    site.add(
        "/",
        page(
            "某县商务局",
            '<div class="block"><h3>工作动态</h3><a href="/news/">更多</a><ul>'
            '<li><a href="/news/a1.html">县商务局召开电商工作会议</a><span>2026-11-28</span></li></ul></div>',
            nav=nav,
        ),
        etag='"home-1"',
    )
    site.add(
        "/news/",
        column_list(
            [("/news/a1.html", "县商务局召开电商工作会议", "2026-11-28"), ("/news/a2.html", "消费季活动启动", "2026年11月20日")],
            next_page="/news/2.html",
            nav=nav,
        ),
    )
    site.add("/news/2.html", column_list([("/news/a3.html", "外贸企业座谈会", "2026/10/02")], nav=nav))
    site.add("/news/a1.html", article("县商务局召开电商工作会议", "2026-11-28 10:30", nav=nav), etag='"a1"')
    site.add("/news/a2.html", article("消费季活动启动", "2026年11月20日", nav=nav))
    site.add("/news/a3.html", article("外贸企业座谈会", "2026-10-02", nav=nav))
    site.add("/notice/", column_list([("/notice/n1.html", "关于申报2027年外贸项目的通知", "[09-15]")], nav=nav))
    site.add("/notice/n1.html", article("关于申报2027年外贸项目的通知", "2026-09-15", nav=nav))
    site.add("/policy/", column_list([("/policy/p1.html", "促进消费若干措施", "2026.08.01")], nav=nav))
    site.add("/policy/p1.html", article("促进消费若干措施", "2026.08.01", nav=nav))
    site.add(
        "/ask/",
        page(
            "在线咨询",
            '<table><tr><td><a href="/ask/q1.html">如何办理对外贸易经营者备案</a></td>'
            "<td>留言时间：2026-10-01</td><td>回复时间：2026-10-03</td></tr></table>",
            nav=nav,
        ),
    )
    site.add("/ask/q1.html", article("如何办理对外贸易经营者备案", "2026-10-01", nav=nav))
    site.add("/trade/", column_list([("/trade/t1.html", "一季度进出口情况", "2026-04-01")], nav=nav))
    site.add("/trade/t1.html", article("一季度进出口情况", "2026-04-01", nav=nav))
    return site


DEFECT_COLUMNS = [
    ("/news/", "工作动态"),
    ("/yaowen/", "商务要闻"),
    ("/notice/", "通知公告"),
    ("/policy/", "政策文件"),
    ("/county/", "县区动态"),
    ("/renshi/", "人事信息"),
    ("/plan/", "规划计划"),
    ("/zt/", "专题专栏"),
    ("/zs/", "招商引资"),
    ("/trade/", "对外贸易"),
    ("/ask/", "在线咨询"),
]


def build_defect_site(external_base: str = "") -> Site:
    """A planted defect for every rule (today: 2026-11-30). `external_base`: another loopback site whose
    /missing answers 404 (a broken external link)."""
    site = Site()
    nav = nav_html(DEFECT_COLUMNS)
    site.add("/logo.png", PNG, "image/png")
    site.add("/img/photo.png", PNG, "image/png")
    external = f'<a href="{external_base}/missing">友好网站</a>' if external_base else ""
    site.add(
        "/",
        page(
            "某县商务局",
            '<div class="block"><h3>工作动态</h3><a href="/news/">更多</a><ul>'
            '<li><a href="/news/a1.html">召开全县电商工作会议</a><span>2026-11-01</span></li></ul></div>'
            f'<p><a href="/gone.html">失效链接</a> <a href="/loop1">循环跳转</a> <a href="/away">跳到别处</a> {external}</p>'
            '<img src="/img/missing.png" alt="缺失的图片">',
            nav=nav,
        ),
    )
    # 5 stale news/notice columns: a paginated list, Chinese dates, month-day dates, no dates, GBK.
    site.add("/news/", column_list([("/news/a1.html", "召开全县电商工作会议", "2026-11-01")], next_page="/news/2.html", nav=nav))
    site.add("/news/2.html", column_list([("/news/a2.html", "外贸企业座谈会", "2026-10-01")], nav=nav))
    site.add("/news/a1.html", article("召开全县电商工作会议", "2026-11-01 09:00", nav=nav, extra="坚持全面从严冶党。"))
    site.add("/news/a2.html", article("外贸企业座谈会", "2026-10-01", picture=False, nav=nav))
    site.add("/yaowen/", column_list([("/yaowen/y1.html", "商务要闻一则", "2026年9月1日")], nav=nav))
    site.add("/yaowen/y1.html", article("商务要闻一则", "2026年9月1日", alt="", nav=nav))
    site.add("/notice/", column_list([("/notice/n1.html", "关于开展消费季活动的通知", "[05-01]")], nav=nav))
    site.add("/notice/n1.html", article("关于开展消费季活动的通知", "2026-05-01", nav=nav))
    site.add("/policy/", column_list([("/policy/p1.html", "促进外贸稳增长措施", "")], nav=nav))
    site.add("/policy/p1.html", page("措施", "<p>没有日期的文件。</p><p><img src='/img/photo.png' alt='配图'></p>", nav=nav))
    gbk = page(
        "县区动态",
        '<ul class="list"><li><a href="/county/c1.html">澧县举办农产品展销会</a><span>2026-11-10</span></li></ul>',
        charset="gbk",
        nav=nav,
    )
    site.add("/county/", gbk.encode("gbk"), "text/html")
    site.add("/county/c1.html", article("澧县举办农产品展销会", "2026-11-10", nav=nav))
    # 5 blank columns.
    for path in ("/renshi/", "/plan/", "/zt/", "/zs/"):
        site.add(path, page("空栏目", "<p>暂无信息</p>", nav=nav))
    site.add("/trade/", page("对外贸易", '<ul class="list"></ul>', nav=nav))
    # An interaction column with a message unanswered since July.
    site.add(
        "/ask/",
        page(
            "在线咨询",
            "<table>"
            '<tr><td><a href="/ask/q1.html">企业出口退税咨询</a></td><td>留言时间：2026-07-01</td><td>未回复</td></tr>'
            '<tr><td><a href="/ask/q2.html">展会补贴申请</a></td><td>留言时间：2026-11-20</td><td>待回复</td></tr>'
            "</table>",
            nav=nav,
        ),
    )
    site.add("/ask/q1.html", article("企业出口退税咨询", "2026-07-01", nav=nav))
    site.add("/ask/q2.html", article("展会补贴申请", "2026-11-20", nav=nav))
    site.add("/loop1", redirect("/loop2"))
    site.add("/loop2", redirect("/loop1"))
    site.add("/away", redirect("http://localhost:9/elsewhere"))
    return site


def add_heavy_pages(site: Site, *, slow_seconds: float) -> None:
    """A slow page, a 10 MB page and a page that never ends, as articles of a column of their own."""
    nav = nav_html(DEFECT_COLUMNS + [("/heavy/", "图片新闻")])
    site.add(
        "/heavy/",
        column_list(
            [
                ("/heavy/slow.html", "慢页面", "2026-11-29"),
                ("/heavy/big.html", "大页面", "2026-11-29"),
                ("/heavy/endless.html", "无尽页面", "2026-11-29"),
            ],
            nav=nav,
        ),
    )
    site.add("/heavy/slow.html", slow(slow_seconds, article("慢页面", "2026-11-29", nav=nav)))
    big = article("大页面", "2026-11-29", nav=nav).replace("正文内容。", "正文内容。" + "商" * (10 * 1024 * 1024 // 3))
    site.add("/heavy/big.html", big.encode())
    site.add("/heavy/endless.html", never_ending)
