"""Fetching one URL politely and safely: address checks on every hop, caps on time and size, encodings.

No database here: the crawler and the plain-fetch benchmark share this module.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx
from charset_normalizer import from_bytes
from django.utils.translation import gettext as _

# ASCII only (HTTP headers): names the bureau and where to read about the inspection.
USER_AGENT = "ChangdeCommerceBureau-SiteInspector/1.0 (Changde Municipal Bureau of Commerce website inspection; +https://swj.changde.gov.cn/)"
ROBOTS_AGENT = "ChangdeCommerceBureau-SiteInspector"


class RefusedURL(ValueError):
    """A URL the inspector must not fetch: its message says why, in the user's language."""


@dataclass
class Limits:
    """Caps for one run. The defaults are the bureau's; tests and the benchmark shrink them."""

    max_pages: int = 300
    max_links: int = 2000
    max_seconds: float = 600.0
    max_page_bytes: int = 3 * 1024 * 1024
    page_seconds: float = 15.0  # the checklist's rule: a page not loaded after 15 s is a failure
    connect_seconds: float = 5.0
    max_redirects: int = 5
    per_host: int = 2
    delay: float = 0.5
    list_pages: int = 3
    articles_per_column: int = 3


@dataclass
class Fetched:
    url: str
    final_url: str = ""
    status: int = 0
    content_type: str = ""
    body: bytes = b""
    text: str = ""
    encoding: str = ""
    truncated: bool = False
    elapsed: float = 0.0
    error: str = ""
    error_code: str = ""
    offsite_redirect: str = ""
    not_modified: bool = False
    etag: str = ""
    last_modified: str = ""
    redirects: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error_code and (200 <= self.status < 300 or self.not_modified)

    @property
    def is_html(self) -> bool:
        return "html" in self.content_type or (not self.content_type and b"<html" in self.body[:2048].lower())


def check_url(url: str, *, allow_internal: bool) -> None:
    """Refuse what is not http(s), and hosts resolving to private, loopback or link-local addresses
    (unless the bureau allowed internal hosts for this site). Raises RefusedURL."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise RefusedURL(_("Only http:// and https:// addresses can be inspected: %(url)s") % {"url": url[:200]})
    if not parts.hostname:
        raise RefusedURL(_("The address has no host name: %(url)s") % {"url": url[:200]})
    if allow_internal:
        return
    try:
        infos = socket.getaddrinfo(
            parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), type=socket.SOCK_STREAM
        )
    except (socket.gaierror, UnicodeError, ValueError):
        raise RefusedURL(_("The host %(host)s cannot be found (DNS).") % {"host": parts.hostname})
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            raise RefusedURL(
                _("%(host)s is an internal network address (%(address)s); the bureau must allow internal hosts for this site.")
                % {"host": parts.hostname, "address": address}
            )


def same_host(a: str, b: str) -> bool:
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa.hostname or "").lower().removeprefix("www.") == (pb.hostname or "").lower().removeprefix("www.") and (
        pa.port == pb.port
    )


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


def decode(body: bytes, content_type: str) -> tuple[str, str]:
    """Bytes → text: the declared charset (header, then <meta>), else detected; GB2312/GBK read as GB18030."""
    declared = ""
    match = re.search(r"charset=([A-Za-z0-9_\-]+)", content_type, re.I)
    if match:
        declared = match.group(1)
    else:
        meta = _META_CHARSET.search(body[:4096])
        if meta:
            declared = meta.group(1).decode("ascii", "ignore")
    encoding = declared.lower()
    if encoding in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "euc-cn"):
        encoding = "gb18030"
    if encoding:
        try:
            return body.decode(encoding, errors="replace"), encoding
        except LookupError:
            pass
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        best = from_bytes(body[:200_000]).best()
        encoding = (best.encoding if best else "gb18030").lower()
        if encoding in ("gb2312", "gbk"):
            encoding = "gb18030"
        return body.decode(encoding, errors="replace"), encoding


class HostGate:
    """At most `per_host` requests at once to one host, and `delay` seconds between request starts."""

    def __init__(self, per_host: int, delay: float):
        self.per_host, self.delay = per_host, delay
        self._lock = threading.Lock()
        self._slots: dict[str, threading.Semaphore] = {}
        self._next: dict[str, float] = {}

    def slot(self, host: str) -> threading.Semaphore:
        with self._lock:
            return self._slots.setdefault(host, threading.Semaphore(self.per_host))

    def wait_turn(self, host: str) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + self.delay
        if start > now:
            time.sleep(start - now)


def make_client(limits: Limits) -> httpx.Client:
    # trust_env=False: a proxy from the environment must not see (or break) the bureau's inspection.
    return httpx.Client(
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,*/*;q=0.5"},
        timeout=httpx.Timeout(limits.page_seconds, connect=limits.connect_seconds),
        limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
        follow_redirects=False,
        trust_env=False,
        verify=True,
    )


def fetch(
    client: httpx.Client,
    gate: HostGate,
    url: str,
    *,
    limits: Limits,
    allow_internal: bool,
    want_body: bool = True,
    etag: str = "",
    last_modified: str = "",
) -> Fetched:
    """GET `url`, following same-host redirects (each hop checked), within the page's time and size caps.

    Never raises for network trouble: the result carries `error_code` and a message instead.
    """
    result = Fetched(url=url)
    started = time.monotonic()
    deadline = started + limits.page_seconds
    current, seen = url, {url}
    try:
        for _hop in range(limits.max_redirects + 1):
            check_url(current, allow_internal=allow_internal)
            host = urlsplit(current).netloc
            headers = {}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            with gate.slot(host):
                gate.wait_turn(host)
                with client.stream("GET", current, headers=headers) as response:
                    result.status = response.status_code
                    result.final_url = current
                    if response.status_code == 304:
                        result.not_modified = True
                        result.etag, result.last_modified = etag, last_modified
                        return result
                    if response.status_code in (301, 302, 303, 307, 308):
                        target = urljoin(current, response.headers.get("location", ""))
                        result.redirects.append(target)
                        if not same_host(target, url):
                            result.offsite_redirect = target
                            result.error_code = "offsite_redirect"
                            result.error = _("Redirected to another host: %(target)s") % {"target": target[:200]}
                            return result
                        if target in seen:
                            result.error_code = "redirect_loop"
                            result.error = _("Redirect loop at %(url)s") % {"url": target[:200]}
                            return result
                        seen.add(target)
                        current = target
                        etag = last_modified = ""
                        continue
                    result.content_type = response.headers.get("content-type", "").lower()
                    result.etag = response.headers.get("etag", "")
                    result.last_modified = response.headers.get("last-modified", "")
                    if not want_body or response.status_code >= 400:
                        return result
                    chunks, size = [], 0
                    for chunk in response.iter_bytes(65536):
                        chunks.append(chunk)
                        size += len(chunk)
                        if size >= limits.max_page_bytes:
                            result.truncated = True
                            break
                        if time.monotonic() > deadline:
                            result.error_code = "slow"
                            result.error = _("The page did not finish loading within %(seconds)s seconds.") % {
                                "seconds": int(limits.page_seconds)
                            }
                            break
                    result.body = b"".join(chunks)[: limits.max_page_bytes]
            if result.body and result.is_html:
                result.text, result.encoding = decode(result.body, result.content_type)
            return result
        result.error_code = "redirect_loop"
        result.error = _("Too many redirects from %(url)s") % {"url": url[:200]}
    except RefusedURL as refused:
        result.error_code = "refused"
        result.error = str(refused)
    except httpx.TimeoutException:
        result.error_code = "slow"
        result.error = _("No answer within %(seconds)s seconds.") % {"seconds": int(limits.page_seconds)}
    except (httpx.HTTPError, OSError) as error:
        result.error_code = "unreachable"
        result.error = _("Cannot connect to %(host)s: %(error)s") % {
            "host": urlsplit(current).netloc,
            "error": (str(error) or error.__class__.__name__)[:200],
        }
    finally:
        result.elapsed = time.monotonic() - started
    return result
