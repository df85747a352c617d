"""What an uploaded picture carries besides its pixels: walks the JPEG, PNG or WebP container.

Pillow reads the pixels and the metadata it knows; it does not say where the picture ends or what sits in
segments it skips. A valid JPEG followed by `<script>` (a JPEG/HTML polyglot), or a PNG text chunk holding a
web page, decodes as an ordinary picture. This walk finds them so the upload can be refused: the trainee's own
file is what the check grades (its EXIF, JPEG quality and file size), so it is kept as uploaded or not at all —
re-encoding it to strip the extras would change exactly what is being graded.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass

# HTML that a browser or a careless viewer would run or render: tags that load or execute something, and
# script URLs. Namespaced XML (XMP's <x:xmpmeta>, <rdf:RDF>) is not matched, so ordinary photo metadata passes.
MARKUP = re.compile(
    rb"<\s*/?\s*(?:script|iframe|frame|frameset|object|embed|applet|svg|math|html|head|body|img|image|a|form|input|button"
    rb"|meta|link|style|base|template|video|audio|source|marquee|details|!doctype|\?php)(?=[\s/>])"
    rb"|(?:java|vb)script\s*:",
    re.IGNORECASE,
)
# A JPEG marker inside entropy-coded data: 0xFF followed by anything but a stuffed zero, a restart marker or fill.
JPEG_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
PNG_PIXEL_CHUNKS = {b"IDAT", b"fdAT"}
WEBP_PIXEL_CHUNKS = {b"VP8 ", b"VP8L", b"ALPH", b"ANMF"}


@dataclass(frozen=True)
class Finding:
    """Why the container is refused: `kind` is "trailing", "markup", "text_too_large" or "damaged"."""

    kind: str
    where: str = ""


def inspect(data: bytes, fmt: str, *, max_text_bytes: int) -> Finding | None:
    """The first reason to refuse `data` (a picture Pillow identified as `fmt`), or None when only pixels and harmless metadata remain."""
    try:
        if fmt == "JPEG":
            return _jpeg(data)
        if fmt == "PNG":
            return _png(data, max_text_bytes=max_text_bytes)
        if fmt == "WEBP":
            return _webp(data)
    except (struct.error, IndexError, zlib.error):
        return Finding("damaged")
    return None


def _markup(payload: bytes, where: str) -> Finding | None:
    return Finding("markup", where) if MARKUP.search(payload) else None


def _trailing(rest: bytes) -> Finding | None:
    # Some encoders pad the file with zero bytes; anything else after the end is not part of the picture.
    return Finding("trailing") if rest.strip(b"\x00") else None


def _jpeg(data: bytes) -> Finding | None:
    pos = 2  # after SOI
    while pos < len(data):
        if data[pos] != 0xFF:
            return Finding("damaged")
        while pos + 1 < len(data) and data[pos + 1] == 0xFF:  # fill bytes before a marker
            pos += 1
        marker = data[pos + 1]
        if marker == 0xD9:  # EOI
            return _trailing(data[pos + 2 :])
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        segment = data[pos + 4 : pos + 2 + length]
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:  # APPn and COM carry free-form bytes
            found = _markup(segment, "COM" if marker == 0xFE else f"APP{marker - 0xE0}")
            if found:
                return found
        pos += 2 + length
        if marker == 0xDA:  # SOS: skip the entropy-coded scan up to the next real marker
            match = JPEG_MARKER.search(data, pos)
            if match is None:
                return Finding("damaged")
            pos = match.start()
    return Finding("damaged")  # no end marker


def _inflate(compressed: bytes, limit: int) -> bytes | None:
    inflater = zlib.decompressobj()
    text = inflater.decompress(compressed, limit + 1)
    return None if len(text) > limit or inflater.unconsumed_tail else text


def _png_text(kind: bytes, body: bytes, limit: int) -> bytes | None:
    """The text of a tEXt/zTXt/iTXt chunk, inflated no further than `limit` (None when it would be larger)."""
    _keyword, _sep, rest = body.partition(b"\x00")
    if kind == b"tEXt":
        return rest
    if kind == b"zTXt":
        return _inflate(rest[1:], limit)
    compressed = rest[:1] == b"\x01"
    _language, _sep, rest = rest[2:].partition(b"\x00")
    _translated, _sep, text = rest.partition(b"\x00")
    return _inflate(text, limit) if compressed else text


def _png(data: bytes, *, max_text_bytes: int) -> Finding | None:
    pos, text_total = 8, 0
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if len(body) < length:
            return Finding("damaged")
        pos += 12 + length
        if kind == b"IEND":
            return _trailing(data[pos:])
        if kind in PNG_PIXEL_CHUNKS:
            continue
        if kind in (b"tEXt", b"zTXt", b"iTXt"):
            text = _png_text(kind, body, max_text_bytes - text_total)
            if text is None:
                return Finding("text_too_large", kind.decode())
            text_total += len(text)
            found = _markup(text, kind.decode())
        else:
            found = _markup(body, kind.decode("latin-1"))
        if found:
            return found
    return Finding("damaged")  # no IEND


def _webp(data: bytes) -> Finding | None:
    (size,) = struct.unpack("<I", data[4:8])
    end = 8 + size
    if end > len(data):
        return Finding("damaged")
    pos = 12
    while pos + 8 <= end:
        kind, length = struct.unpack("<4sI", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        pos += 8 + length + (length & 1)
        if kind not in WEBP_PIXEL_CHUNKS:
            found = _markup(body, kind.decode("latin-1").strip())
            if found:
                return found
    return _trailing(data[end:])
