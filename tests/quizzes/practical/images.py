"""Real image files for the tests, generated with Pillow (nothing shipped, nothing mocked)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image, ImageDraw, PngImagePlugin


def photo(size=(1600, 1200)) -> Image.Image:
    """A picture with structure everywhere (gradients and shapes), so crops and watermarks are measurable."""
    w, h = size
    base = Image.radial_gradient("L").resize(size)
    picture = Image.merge("RGB", (base, Image.linear_gradient("L").resize(size), base.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
    draw = ImageDraw.Draw(picture)
    for i in range(0, w, max(1, w // 12)):
        draw.ellipse((i, h // 3, i + w // 16, h // 3 + h // 10), fill=(255, 200 - i % 150, 40))
    draw.rectangle((w // 4, h // 2, w // 2, h // 2 + h // 8), fill=(20, 60, 160))
    return picture


def encode(picture: Image.Image, fmt="JPEG", **options) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, fmt, **options)
    return buffer.getvalue()


def jpeg(picture=None, *, quality=80, gps=False, camera=False, **options) -> bytes:
    picture = picture if picture is not None else photo((800, 600))
    if gps or camera:
        exif = Image.Exif()
        exif[0x010F] = "Canon"
        if gps:
            exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (29.0, 2.0, 0.0), 3: "E", 4: (111.0, 41.0, 0.0)}
        options["exif"] = exif
    return encode(picture, "JPEG", quality=quality, **options)


def with_watermark(picture: Image.Image, corner="bottom-right", fraction=0.2) -> Image.Image:
    marked = picture.copy()
    w, h = marked.size
    cw, ch = int(w * fraction), int(h * fraction)
    left = 0 if corner.endswith("left") else w - cw
    top = 0 if corner.startswith("top") else h - ch
    draw = ImageDraw.Draw(marked)
    draw.rectangle((left + 4, top + 4, left + cw - 4, top + ch - 4), fill=(255, 255, 255))
    draw.text((left + 10, top + 10), "常德商务", fill=(180, 0, 0))
    return marked


def png_with_text(text_bytes: int, *, compressed=False) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("comment", "A" * text_bytes, zip=compressed)
    return encode(Image.new("RGB", (64, 48), "white"), "PNG", pnginfo=info)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width × height pixels: a decompression bomb, without the memory."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + _chunk(b"IEND", b"")


def animated_gif(frames=3) -> bytes:
    images = [Image.new("RGB", (120, 90), colour) for colour in ("red", "green", "blue")[:frames]]
    buffer = io.BytesIO()
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:], duration=200, loop=0)
    return buffer.getvalue()


def cmyk_jpeg(size=(800, 600)) -> bytes:
    return encode(photo(size).convert("CMYK"), "JPEG", quality=85)


# Hostile and damaged files, as an outside audit found them: each decodes as an ordinary picture in part.

SCRIPT = b"<script>alert(document.cookie)</script>"


def truncated_jpeg(size=(800, 600)) -> bytes:
    data = jpeg(photo(size), quality=85)
    return data[: len(data) * 2 // 3]


def jpeg_html_polyglot(size=(800, 600)) -> bytes:
    """A complete, valid JPEG with a web page after its end marker."""
    return jpeg(photo(size)) + b"<!DOCTYPE html><html><body>" + SCRIPT + b"</body></html>"


def jpeg_with_segment(marker: int, payload: bytes, size=(800, 600)) -> bytes:
    """A JPEG with an extra APPn/COM segment right after its start marker."""
    data = jpeg(photo(size))
    return data[:2] + bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload + data[2:]


def png_with_chunk(kind: bytes, body: bytes, *, after_pixels=False, size=(800, 600)) -> bytes:
    """A PNG with one extra chunk, before the pixel data or after it (just before IEND)."""
    data = encode(photo(size), "PNG")
    at = data.rfind(b"IEND") - 4 if after_pixels else data.find(b"IDAT") - 4
    return data[:at] + _chunk(kind, body) + data[at:]


def png_text_chunk(kind: bytes, text: bytes, keyword=b"Comment") -> bytes:
    if kind == b"tEXt":
        return keyword + b"\x00" + text
    if kind == b"zTXt":
        return keyword + b"\x00\x00" + zlib.compress(text)
    return keyword + b"\x00\x01\x00\x00\x00" + zlib.compress(text)  # iTXt, compressed, no language


def png_ztxt_bomb_after_pixels(inflated=(2 * 1024 * 1024)) -> bytes:
    """A zTXt chunk after the pixel data that inflates past Pillow's text limit (1 MB): only loading finds it."""
    return png_with_chunk(b"zTXt", png_text_chunk(b"zTXt", b"A" * inflated), after_pixels=True)


def png_with_trailing(extra: bytes = SCRIPT) -> bytes:
    return encode(photo((800, 600)), "PNG") + extra


def webp_with_chunk(kind: bytes, body: bytes, size=(800, 600)) -> bytes:
    """A WebP with an extra RIFF chunk (the RIFF size updated, so the container stays valid)."""
    data = encode(photo(size), "WEBP")
    chunk = kind + struct.pack("<I", len(body)) + body + (b"\x00" if len(body) % 2 else b"")
    riff = data[12:] + chunk
    return b"RIFF" + struct.pack("<I", 4 + len(riff)) + b"WEBP" + riff


def webp_with_trailing(extra: bytes = SCRIPT) -> bytes:
    return encode(photo((800, 600)), "WEBP") + extra


def xmp_packet() -> bytes:
    """Ordinary XMP metadata as photo editors write it (namespaced XML, no HTML): must not be mistaken for markup."""
    return (b'http://ns.adobe.com/xap/1.0/\x00<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            b'<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Adobe Photoshop 2024"'
            b' xmp:ModifyDate="2026-11-02T10:00:00+08:00"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>')
