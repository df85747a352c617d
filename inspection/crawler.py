"""The crawl of one county site: home page → columns (with their list pages) → a few articles per
column → every link and image found, checked once. Polite (User-Agent naming the bureau, ≤ 2
requests at once per host with a delay, robots.txt) and bounded (pages, links, seconds, bytes).

Pure: no database. The caller passes the previous run's cache (ETag/Last-Modified and the page
summaries) and stores what comes back; `inspect_site` runs it without any registration.
"""

from __future__ import annotations

import hashlib
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.utils.translation import gettext as _
from protego import Protego

from . import columns as column_rules
from .expressions import ExpressionMatcher
from .fetching import ROBOTS_AGENT, Fetched, HostGate, Limits, RefusedURL, check_url, fetch, make_client, same_host
from .parsing import page_text, parse_page


class SiteUnavailable(Exception):
    """The start page could not be inspected at all (unreachable, not HTML, refused…): the message says why."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


@dataclass
class CrawlResult:
    start_url: str
    pages: dict[str, dict] = field(default_factory=dict)  # url → summary (+ "kind", "column")
    columns: list[dict] = field(default_factory=list)  # discovered: name, url, kind (by name)
    links: dict[str, dict] = field(default_factory=dict)  # checked url → {status, error_code, sources, image}
    page_errors: list[dict] = field(default_factory=list)  # pages that failed: url, code, message
    home_elapsed: float = 0.0
    home_failed: bool = False
    capped: str = ""  # "" or why the crawl stopped early (pages, links, time)
    fetched: int = 0
    not_modified: int = 0
    robots_skipped: int = 0
    cache: dict[str, dict] = field(default_factory=dict)  # url → {etag, last_modified, summary}


class Crawler:
    def __init__(
        self,
        start_url: str,
        *,
        limits: Limits | None = None,
        allow_internal: bool = False,
        respect_robots: bool = True,
        matcher: ExpressionMatcher | None = None,
        cache: dict[str, dict] | None = None,
        extra_start_pages: list | None = None,  # URLs, or (URL, column name) pairs
        progress=None,
        discover_columns: bool = True,
    ):
        self.start_url = start_url
        self.limits = limits or Limits()
        self.allow_internal = allow_internal
        self.respect_robots = respect_robots
        self.matcher = matcher or ExpressionMatcher([])
        self.old_cache = cache or {}
        self.extra_start_pages = extra_start_pages or []
        self.progress = progress
        self.discover_columns = discover_columns  # off: the start pages are the columns (practice sites)
        self.gate = HostGate(self.limits.per_host, self.limits.delay)
        self.result = CrawlResult(start_url=start_url)
        self.robots: Protego | None = None
        self.deadline = 0.0
        self.lock = threading.Lock()

    # -- fetching with the cache ---------------------------------------------------------------------
    def _stop_reason(self) -> str:
        if time.monotonic() > self.deadline:
            return "time"
        if self.result.fetched >= self.limits.max_pages:
            return "pages"
        return ""

    def _allowed_by_robots(self, url: str) -> bool:
        if self.robots is None or not same_host(url, self.start_url):
            return True
        if self.robots.can_fetch(url, ROBOTS_AGENT):
            return True
        self.result.robots_skipped += 1
        return False

    def page(self, client, url: str, *, kind: str, column: str = "") -> dict | None:
        """The summary of an HTML page of the site (fetched, or from the cache when the server says 304)."""
        if url in self.result.pages:
            return self.result.pages[url]
        if not self._allowed_by_robots(url):
            return None
        with self.lock:  # reserve the page under the cap before fetching (two threads fetch at once)
            reason = self._stop_reason()
            if reason:
                self.result.capped = self.result.capped or reason
                return None
            self.result.fetched += 1
        cached = self.old_cache.get(url) or {}
        fresh = cached.get("matcher") == self.matcher.version
        response = fetch(
            client,
            self.gate,
            url,
            limits=self.limits,
            allow_internal=self.allow_internal,
            etag=cached.get("etag", "") if fresh else "",
            last_modified=cached.get("last_modified", "") if fresh else "",
        )
        if self.progress:
            self.progress(self.result)
        summary = self._summarise(response, cached, url)
        if summary is None:
            return None
        summary.update(kind=kind, column=column)
        self.result.pages[url] = summary
        return summary

    def _summarise(self, response: Fetched, cached: dict, url: str) -> dict | None:
        if response.not_modified and cached.get("summary"):
            self.result.not_modified += 1
            summary = dict(cached["summary"])
            self.result.cache[url] = cached
            return summary
        if not response.ok or not response.is_html or not response.text:
            self.result.page_errors.append(
                {
                    "url": url,
                    "code": response.error_code or ("not_html" if response.ok else "status"),
                    "status": response.status,
                    "message": response.error or (_("HTTP status %(status)s") % {"status": response.status}),
                    "offsite": response.offsite_redirect,
                }
            )
            return None
        summary = parse_page(response.text, response.final_url or url)
        summary["errors"] = self.matcher.find(page_text(response.text))
        summary["truncated"] = response.truncated
        summary["slow"] = response.error_code == "slow"
        summary["encoding"] = response.encoding
        summary["sha1"] = hashlib.sha1(response.body).hexdigest()
        if response.etag or response.last_modified:
            self.result.cache[url] = {
                "etag": response.etag,
                "last_modified": response.last_modified,
                "matcher": self.matcher.version,
                "summary": summary,
            }
        return dict(summary)

    # -- the crawl -----------------------------------------------------------------------------------
    def run(self) -> CrawlResult:
        try:
            check_url(self.start_url, allow_internal=self.allow_internal)
        except RefusedURL as refused:
            raise SiteUnavailable(str(refused), "refused")
        self.deadline = time.monotonic() + self.limits.max_seconds
        with make_client(self.limits) as client, ThreadPoolExecutor(max_workers=max(2, self.limits.per_host * 2)) as pool:
            self._load_robots(client)
            home = self._home(client)
            self._columns(client, pool, home)
            self._check_links(client, pool)
        return self.result

    def _load_robots(self, client) -> None:
        if not self.respect_robots:
            return
        parts = urlsplit(self.start_url)
        response = fetch(
            client,
            self.gate,
            f"{parts.scheme}://{parts.netloc}/robots.txt",
            limits=self.limits,
            allow_internal=self.allow_internal,
        )
        if response.ok and response.body:
            self.robots = Protego.parse(response.body.decode("utf-8", "replace"))

    def _home(self, client) -> dict:
        started = time.monotonic()
        response = fetch(client, self.gate, self.start_url, limits=self.limits, allow_internal=self.allow_internal)
        self.result.home_elapsed = time.monotonic() - started
        self.result.fetched += 1
        if response.error_code in ("refused", "unreachable", "offsite_redirect", "redirect_loop") or response.status >= 400:
            message = response.error or _("The home page answered HTTP status %(status)s.") % {"status": response.status}
            raise SiteUnavailable(message, response.error_code or "status")
        if not response.is_html:
            raise SiteUnavailable(
                _("%(url)s is not a web page (%(type)s).") % {"url": self.start_url[:200], "type": response.content_type or "?"},
                "not_html",
            )
        self.result.home_failed = response.error_code == "slow"
        summary = self._summarise(response, {}, self.start_url)
        if summary is None:
            raise SiteUnavailable(_("The home page could not be read."), "unreadable")
        summary.update(kind="home", column="")
        self.result.pages[self.start_url] = summary
        return summary

    def _columns(self, client, pool, home: dict) -> None:
        found = column_rules.discover(home, self.start_url) if self.discover_columns else []
        for extra in self.extra_start_pages:
            url, name = (extra, extra) if isinstance(extra, str) else extra
            if url not in {column["url"] for column in found}:
                found.append({"name": name, "url": url, "kind": column_rules.classify(name)})
        self.result.columns = found

        def crawl_column(column: dict) -> None:
            url, column_pages = column["url"], []
            while url and len(column_pages) < self.limits.list_pages:
                seen_before = url in self.result.pages
                summary = self.page(client, url, kind="column", column=column["url"])
                if summary is None or seen_before:
                    break
                summary["list_page"] = len(column_pages)
                column_pages.append(summary)
                url = summary.get("next_page")
            articles = []
            for summary in column_pages:
                for item in summary["items"]:
                    if same_host(item["href"], self.start_url) and item["href"] not in articles:
                        articles.append(item["href"])
            for href in articles[: self.limits.articles_per_column]:
                self.page(client, href, kind="article", column=column["url"])

        list(pool.map(crawl_column, found))

    def _check_links(self, client, pool) -> None:
        targets: dict[str, dict] = {}
        for url, summary in list(self.result.pages.items()):
            for href in summary["links"]:
                targets.setdefault(href, {"sources": [], "image": False})["sources"].append(url)
            for image in summary["images"]:
                targets.setdefault(image["src"], {"sources": [], "image": True})["sources"].append(url)
        pending = [href for href in targets if href not in self.result.pages]
        if len(pending) > self.limits.max_links:
            pending = pending[: self.limits.max_links]
            self.result.capped = self.result.capped or "links"

        def check(href: str) -> None:
            if time.monotonic() > self.deadline:
                self.result.capped = self.result.capped or "time"
                return
            if urlsplit(href).scheme not in ("http", "https") or not self._allowed_by_robots(href):
                return
            response = fetch(client, self.gate, href, limits=self.limits, allow_internal=self.allow_internal, want_body=False)
            entry = targets[href]
            entry.update(status=response.status, error_code=response.error_code, message=response.error)
            self.result.links[href] = entry

        list(pool.map(check, pending))
        for url in self.result.pages:
            if url in targets:
                self.result.links[url] = {**targets[url], "status": 200, "error_code": "", "message": ""}
        for error in self.result.page_errors:
            if error["url"] in targets:
                entry = targets[error["url"]]
                entry.update(status=error["status"], error_code=error["code"], message=error["message"])
                self.result.links[error["url"]] = entry
