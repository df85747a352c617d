"""One fetched HTML page → a small JSON-able summary (what the rules need, nothing more).

The summary is what the crawler caches between runs (ETag/Last-Modified): a page answered 304 is not
parsed again. selectolax (Lexbor) parses a page in about a millisecond.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from . import dates

# Containers that frame every page of a site (navigation, header, footer, pagination) and so are not a
# column's list nor an article's content.
_FRAME_MARKERS = ("nav", "menu", "header", "footer", "foot", "page", "pagination", "breadcrumb", "crumb", "topbar")
_FRAME_TAGS = {"nav", "header", "footer"}
_EMPTY_NOTICES = ("暂无信息", "暂无内容", "暂无数据", "暂无记录", "没有内容", "本栏目暂无")
_NEXT_TEXTS = {"下一页", "下页", "下一頁", "next", "›", ">", "»"}
_MORE_TEXTS = ("更多", "more", "MORE", ">>", "更多>>")
_UNANSWERED = ("未回复", "待回复", "未答复", "待答复", "尚未回复", "暂未回复", "办理中", "处理中")
_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "#", "data:")


def _frame_of(node: Node) -> bool:
    """Is `node` inside navigation, header, footer or pagination?"""
    current = node.parent
    while current is not None and current.tag not in ("body", "html"):
        if current.tag in _FRAME_TAGS:
            return True
        marker = f"{current.attributes.get('class') or ''} {current.attributes.get('id') or ''}".lower()
        if marker.strip() and any(word in re.split(r"[\s_\-]+", marker) for word in _FRAME_MARKERS):
            return True
        current = current.parent
    return False


def _text(node: Node) -> str:
    return " ".join((node.text(separator=" ") or "").split())


def _href(base: str, raw: str | None) -> str | None:
    if not raw:
        return None
    raw = raw.strip()
    if not raw or raw.lower().startswith(_SKIP_SCHEMES):
        return None
    return urldefrag(urljoin(base, raw))[0]


def parse_page(html: str, url: str) -> dict:
    """The summary of one HTML page at `url` (links resolved against it and any <base href>)."""
    tree = HTMLParser(html)
    base_node = tree.css_first("base[href]")
    base = urljoin(url, base_node.attributes.get("href")) if base_node else url
    title_node = tree.css_first("title")
    body = tree.body
    full_text = _text(body) if body is not None else ""

    nav, links = [], []
    seen_links = set()
    for a in tree.css("a[href]"):
        href = _href(base, a.attributes.get("href"))
        if not href:
            continue
        text = _text(a) or (a.attributes.get("title") or "")
        if _frame_of(a) and text:
            nav.append([text[:40], href])
        if href not in seen_links:
            seen_links.add(href)
            links.append(href)

    items = []
    for row in tree.css("li, tr"):
        if _frame_of(row) or len(row.css("li, tr")) > 1:  # innermost rows only (css includes the node itself)
            continue
        link = row.css_first("a[href]")
        href = _href(base, link.attributes.get("href")) if link is not None else None
        text = _text(row)
        if not href or not text:
            continue
        title = _text(link) or text
        items.append(
            {
                "title": title[:120],
                "href": href,
                "dates": dates.encode_item_date(text),
                "unanswered": any(word in text for word in _UNANSWERED),
            }
        )

    next_page = None
    for a in tree.css("a[href]"):
        if _text(a).lower() in _NEXT_TEXTS:
            next_page = _href(base, a.attributes.get("href"))
            if next_page and next_page != urldefrag(url)[0]:
                break
            next_page = None

    blocks = []
    for a in tree.css("a[href]"):
        text = _text(a)
        if not any(text.startswith(word) for word in _MORE_TEXTS) or _frame_of(a):
            continue
        href = _href(base, a.attributes.get("href"))
        heading = _block_heading(a)
        if href and heading:
            blocks.append([heading[:40], href])

    images, content_images = [], 0
    for img in tree.css("img"):
        src = _href(base, img.attributes.get("src"))
        if not src:
            continue
        alt = img.attributes.get("alt")
        in_frame = _frame_of(img)
        content_images += 0 if in_frame else 1
        images.append({"src": src, "alt": (alt or "").strip(), "frame": in_frame})

    meta_date = None
    for name in ("PubDate", "pubdate", "publishdate", "article:published_time", "firstpublishedtime"):
        node = tree.css_first(f'meta[name="{name}"], meta[property="{name}"]')
        if node is not None:
            found = dates.full_dates(node.attributes.get("content") or "")
            if found:
                meta_date = found[0].isoformat()
                break
    labelled = dates.labelled_date(full_text)
    published = meta_date or (labelled.isoformat() if labelled else None)

    return {
        "title": _text(title_node)[:200] if title_node is not None else "",
        "nav": nav,
        "links": links,
        "items": items,
        "next_page": next_page,
        "blocks": blocks,
        "images": images,
        "content_images": content_images,
        "published": published,
        "empty_notice": any(notice in full_text for notice in _EMPTY_NOTICES),
    }


def page_text(html: str) -> str:
    """The visible text of a page (scripts and styles dropped), for the expression check."""
    tree = HTMLParser(html)
    for node in tree.css("script, style, noscript"):
        node.decompose()
    return _text(tree.body) if tree.body is not None else ""


def _block_heading(more_link: Node) -> str:
    """The heading of the home-page block a 更多 link belongs to: the nearest heading in its ancestors."""
    current = more_link.parent
    for _ in range(4):
        if current is None:
            return ""
        heading = current.css_first("h1, h2, h3, h4, .title, .tit, .hd, span.name")
        if heading is not None:
            text = _text(heading)
            for word in _MORE_TEXTS:
                text = text.replace(word, "")
            text = text.strip(" >»")
            if text:
                return text
        current = current.parent
    return ""
