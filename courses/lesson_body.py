"""A lesson's body as HTML, with the parts every reader sees alike kept in the cache.

Rendering the body cost more than the rest of the lesson page: every rich-text block is cleaned again on
read (SafeRichTextBlock), every image reads its row from the database and its rendition from the cache
(Wagtail writes a cached rendition back on each hit: two round trips per image with Redis), an embed
reads its row. None of these blocks shows anything about the reader, so their HTML is kept in the cache,
keyed by a hash of the stored body (a new revision published is a new key) and the language. What a body
shows of other objects — an image, a rendition, a document, an embed, a linked page's URL — is covered by a
generation token replaced whenever one of those is saved or deleted (see `forget_rendered_bodies`).

Blocks that show the reader's own state (the quiz card with their grade, the task card with their
submission), and any block type not listed in SHARED_BLOCK_TYPES, are rendered on every request with the
page's context, as before. The shared blocks are rendered without any context at all, so nothing of the
request or the reader can end up in the cached HTML.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from lms import request_cache
from lms.cache_scope import lifetime

# Block types whose HTML is the same for every reader. A new block type renders per request until added here.
SHARED_BLOCK_TYPES = frozenset({"text", "image", "callout", "steps", "document", "video"})

GENERATION_KEY = "lesson-body:generation"
# The format of a cached entry; change it when the stored structure or the block wrapper changes.
FORMAT = 1


@dataclass(frozen=True)
class BodyPart:
    """Either HTML ready to show (shared blocks, consecutive ones joined) or a block to render with the page's context."""

    html: SafeString | None = None
    block: object = None


def forget_rendered_bodies(**kwargs) -> None:
    """Something a body may show changed: every cached body is stale. Now, and again after the commit, so that
    a page rendered meanwhile cannot keep what it read before the change under the new generation."""
    _new_generation()
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    request_cache.forget_read_ahead()


def _generation(current) -> str:
    if current is None:
        # Never set, or evicted: start one (add, so that two requests agree on the same token).
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        current = cache.get(GENERATION_KEY)
    return current


def _entry_key(body) -> str:
    stored = json.dumps(list(body.raw_data), ensure_ascii=False, separators=(",", ":"), default=str)
    digest = hashlib.blake2b(stored.encode(), digest_size=16).hexdigest()
    return f"lesson-body:{FORMAT}:{digest}:{get_language() or settings.LANGUAGE_CODE}"


def _wrap(block) -> SafeString:
    # The same markup lesson_page.html gives a block rendered live.
    return format_html('<div class="block block--{}">{}</div>', block.block_type, block.render())


def _render_shared(body) -> list:
    """[html string | stream index] for the body: shared blocks rendered and joined, the others by position."""
    spec: list = []
    for index, block in enumerate(body):
        if block.block_type in SHARED_BLOCK_TYPES:
            html = str(_wrap(block))
            if spec and isinstance(spec[-1], str):
                spec[-1] += html
            else:
                spec.append(html)
        else:
            spec.append(index)
    return spec


def body_keys(page) -> list[str]:
    """The cache keys `body_parts` reads for this page (to read them ahead with others: lms.request_cache)."""
    return [GENERATION_KEY, _entry_key(page.body)]


def body_parts(page, *, use_cache: bool = True) -> list[BodyPart]:
    """The lesson body as parts to show in order; one cache read when the shared HTML is there."""
    body = page.body
    if not use_cache:
        return [BodyPart(block=block) for block in body]
    key = _entry_key(body)
    found = request_cache.get_many([GENERATION_KEY, key])
    generation = _generation(found.get(GENERATION_KEY))
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        spec = entry[1]
    else:
        spec = _render_shared(body)
        cache.set(key, (generation, spec), timeout=lifetime(getattr(settings, "LESSON_BODY_CACHE_TIMEOUT", 24 * 3600)))
    return [BodyPart(html=mark_safe(part)) if isinstance(part, str) else BodyPart(block=body[part]) for part in spec]  # noqa: S308 (our own render)
