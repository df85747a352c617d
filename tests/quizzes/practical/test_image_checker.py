"""Each image criterion with a passing and a failing picture, and every kind of bad file."""

import io

import pytest
from PIL import Image

from quizzes.practical.checkers.image import ImageRejected, admit_image, check_image, estimate_jpeg_quality

from .images import (
    SCRIPT,
    animated_gif,
    cmyk_jpeg,
    encode,
    jpeg,
    jpeg_html_polyglot,
    jpeg_with_segment,
    photo,
    png_claiming,
    png_text_chunk,
    png_with_chunk,
    png_with_text,
    png_with_trailing,
    png_ztxt_bomb_after_pixels,
    truncated_jpeg,
    webp_with_chunk,
    webp_with_trailing,
    with_watermark,
    xmp_packet,
)

ORIGINAL = photo((1600, 1200))
ORIGINAL_BYTES = jpeg(ORIGINAL, quality=92)


def run(data: bytes, spec: dict, original: bytes | None = None):
    return check_image(io.BytesIO(data), spec=spec, file_size=len(data), original=io.BytesIO(original) if original else None)


def result(report, key):
    matches = [c for c in report.criteria if c.key == key]
    assert matches, f"no criterion {key}: {report.criteria} {report.error}"
    return matches[0]


@pytest.mark.parametrize(
    "spec, good, bad",
    [
        ({"formats": ["JPEG"]}, jpeg(), encode(photo((80, 60)), "PNG")),
        ({"formats": ["PNG", "WEBP"]}, encode(photo((80, 60)), "WEBP"), jpeg()),
        ({"width": 800, "height": 600}, jpeg(photo((800, 600))), jpeg(photo((801, 600)))),
        ({"max_width": 800, "max_height": 600}, jpeg(photo((640, 480))), jpeg(photo((1024, 600)))),
        ({"aspect_ratio": "16:9", "aspect_tolerance": 0.01}, jpeg(photo((1280, 720))), jpeg(photo((1280, 800)))),
        ({"max_bytes": 60_000}, jpeg(photo((400, 300)), quality=60), jpeg(photo((1600, 1200)), quality=95)),
        ({"mode": "RGB"}, jpeg(), cmyk_jpeg()),
        ({"strip_exif": "all"}, jpeg(), jpeg(camera=True)),
        ({"strip_exif": "gps"}, jpeg(camera=True), jpeg(gps=True)),
        ({"quality_min": 70, "quality_max": 85}, jpeg(quality=78), jpeg(quality=97)),
    ],
    ids=["format", "format-png-webp", "exact-size", "max-size", "aspect", "file-size", "rgb-not-cmyk", "exif", "gps", "quality"],
)
def test_criterion_passes_and_fails(spec, good, bad):
    passed, failed = run(good, spec), run(bad, spec)
    assert not passed.error and not failed.error
    assert passed.passed, passed.criteria
    assert not failed.passed, failed.criteria
    assert len(passed.criteria) == len(failed.criteria) == 1


def test_report_states_measured_and_required_values_in_chinese():
    report = run(cmyk_jpeg((800, 600)), {"width": 640, "height": 480, "mode": "RGB"})
    size, mode = result(report, "size"), result(report, "mode")
    assert size.label == "像素尺寸" and size.required == "640 × 480 像素" and size.measured == "800 × 600 像素"
    assert mode.label == "色彩模式" and "CMYK" in mode.measured and "RGB" in mode.hint


@pytest.mark.parametrize("quality", [35, 60, 75, 90])
def test_jpeg_quality_estimate_is_close(quality):
    estimate = estimate_jpeg_quality(Image.open(io.BytesIO(jpeg(quality=quality))).quantization)
    assert abs(estimate - quality) <= 2


def test_upscaled_picture_fails_against_the_original():
    spec = {"no_upscale": True}
    assert run(jpeg(ORIGINAL.resize((800, 600))), spec, ORIGINAL_BYTES).passed
    small_original = jpeg(ORIGINAL.resize((400, 300)))
    report = run(jpeg(ORIGINAL.resize((800, 600))), spec, small_original)
    assert not report.passed and result(report, "upscale").measured == "800 × 600 像素"


def test_enlarged_from_a_thumbnail_fails_even_within_the_original_size():
    spec = {"no_upscale": True}
    sharp = run(jpeg(ORIGINAL.resize((800, 600), Image.Resampling.LANCZOS), quality=75), spec, ORIGINAL_BYTES)
    blurry = run(jpeg(ORIGINAL.resize((400, 300)).resize((800, 600)), quality=75), spec, ORIGINAL_BYTES)
    assert sharp.passed, sharp.criteria
    assert not blurry.passed and "细节保留" in result(blurry, "upscale").measured


def test_crop_must_match_the_required_region():
    box = [400, 300, 1200, 900]
    spec = {"crop": {"box": box, "min_similarity": 0.92}}
    right = ORIGINAL.crop(box).resize((400, 300))
    wrong = ORIGINAL.crop((0, 0, 800, 600)).resize((400, 300))
    mirrored = right.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    assert run(jpeg(right), spec, ORIGINAL_BYTES).passed
    assert not run(jpeg(wrong), spec, ORIGINAL_BYTES).passed
    assert not run(jpeg(mirrored), spec, ORIGINAL_BYTES).passed


def test_watermark_must_be_present_in_the_corner():
    spec = {"watermark": {"corner": "bottom-right", "size": 0.25, "min_difference": 0.06}}
    plain = ORIGINAL.resize((800, 600))
    assert not run(jpeg(plain), spec, ORIGINAL_BYTES).passed
    assert run(jpeg(with_watermark(plain)), spec, ORIGINAL_BYTES).passed
    assert not run(jpeg(with_watermark(plain, corner="top-left")), spec, ORIGINAL_BYTES).passed


def test_crop_and_watermark_together():
    box = [400, 300, 1200, 900]
    spec = {"crop": {"box": box, "min_similarity": 0.92}, "watermark": {"corner": "bottom-right", "size": 0.25, "min_difference": 0.06}, "no_upscale": True}
    report = run(jpeg(with_watermark(ORIGINAL.crop(box).resize((600, 450)))), spec, ORIGINAL_BYTES)
    assert report.passed, report.criteria


def test_large_jpeg_is_decoded_at_reduced_scale():
    big = jpeg(photo((4000, 3000)), quality=85)
    report = run(big, {"width": 4000, "height": 3000})
    assert report.passed and report.facts["width"] == 4000


BAD_FILES = {
    "empty": (b"", "空"),
    "not-an-image": (b"PK\x03\x04 this is a zip, really" * 10, "不是可读取的图片"),
    "html-renamed": (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "HTML"),
    "svg-renamed": (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>', "SVG"),
    "bomb": (png_claiming(30_000, 30_000), "解压炸弹"),
    "too-many-pixels": (png_claiming(10_000, 6_000), "百万像素"),
    "animated-gif": (animated_gif(), "动图"),
    "huge-png-text": (png_with_text(2 * 1024 * 1024), "文本数据块"),
    "huge-compressed-png-text": (png_with_text(3 * 1024 * 1024, compressed=True), "文本数据块"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_files_are_refused_with_a_clear_message(name):
    data, words = BAD_FILES[name]
    with pytest.raises(ImageRejected) as refused:
        admit_image(io.BytesIO(data), size=len(data))
    assert words in refused.value.message


DAMAGED = "已损坏或不完整"
HIDDEN_AFTER = "图片结束之后"
MARKUP = "网页代码"
HOSTILE_FILES = {
    # Damaged: the header is intact, so only decoding the whole picture finds them.
    "truncated-jpeg": (truncated_jpeg(), DAMAGED),
    "jpeg-without-end-marker": (jpeg()[:-2], DAMAGED),
    "truncated-progressive-jpeg": (encode(photo((800, 600)), "JPEG", progressive=True)[:12000], DAMAGED),
    "truncated-png": (encode(photo((800, 600)), "PNG")[:30000], DAMAGED),
    "truncated-webp": (encode(photo((800, 600)), "WEBP")[:3000], DAMAGED),
    "png-short-header": (encode(photo((80, 60)), "PNG")[:20], DAMAGED),
    # A text chunk after the pixel data that inflates past Pillow's limit: Pillow raises ValueError while loading.
    "png-ztxt-bomb-after-pixels": (png_ztxt_bomb_after_pixels(), "文本数据块"),
    # Polyglots: a valid picture and a web page in one file.
    "jpeg-html-polyglot": (jpeg_html_polyglot(), HIDDEN_AFTER),
    "png-with-script-after-iend": (png_with_trailing(), HIDDEN_AFTER),
    "webp-with-script-after-riff": (webp_with_trailing(), HIDDEN_AFTER),
    "jpeg-com-script": (jpeg_with_segment(0xFE, SCRIPT), MARKUP),
    "jpeg-app1-script": (jpeg_with_segment(0xE1, b"Exif\x00\x00" + SCRIPT), MARKUP),
    "jpeg-app15-iframe": (jpeg_with_segment(0xEF, b'<iframe src="https://evil.example/">'), MARKUP),
    "png-text-script": (png_with_chunk(b"tEXt", png_text_chunk(b"tEXt", SCRIPT)), MARKUP),
    "png-ztxt-script-after-pixels": (png_with_chunk(b"zTXt", png_text_chunk(b"zTXt", SCRIPT), after_pixels=True), MARKUP),
    "png-itxt-svg": (png_with_chunk(b"iTXt", png_text_chunk(b"iTXt", b'<svg onload="alert(1)">')), MARKUP),
    "png-private-chunk-html": (png_with_chunk(b"prVt", b"<!DOCTYPE html><a href='javascript:alert(1)'>x</a>"), MARKUP),
    "webp-xmp-script": (webp_with_chunk(b"XMP ", SCRIPT), MARKUP),
}


@pytest.mark.parametrize("name", HOSTILE_FILES)
def test_damaged_and_hostile_files_are_refused_at_upload(name):
    data, words = HOSTILE_FILES[name]
    with pytest.raises(ImageRejected) as refused:
        admit_image(io.BytesIO(data), size=len(data))
    assert words in refused.value.message, refused.value.message


@pytest.mark.parametrize("name", ["plain", "xmp", "exif-gps", "comment", "png-text", "zero-padding"])
def test_ordinary_metadata_is_not_mistaken_for_markup(name):
    data = {
        "plain": jpeg(),
        "xmp": jpeg_with_segment(0xE1, xmp_packet()),
        "exif-gps": jpeg(gps=True, camera=True),
        "comment": jpeg_with_segment(0xFE, "常德市商务局 2026 <作者：张伟>".encode()),
        "png-text": png_with_chunk(b"tEXt", png_text_chunk(b"tEXt", b"Software: GIMP 2.10 (a < b > c)")),
        "zero-padding": jpeg() + b"\x00" * 64,
    }[name]
    probe = admit_image(io.BytesIO(data), size=len(data))
    assert probe.width == 800


CHECKABLE = {
    "jpeg": jpeg(photo((800, 600))),
    "cmyk": cmyk_jpeg((800, 600)),
    "progressive": encode(photo((800, 600)), "JPEG", progressive=True),
    "png-rgba": encode(photo((800, 600)).convert("RGBA"), "PNG"),
    "png-palette": encode(photo((800, 600)).convert("P"), "PNG"),
    "png-small-text-after-pixels": png_with_chunk(b"zTXt", png_text_chunk(b"zTXt", b"A" * 30000), after_pixels=True),
    "webp": encode(photo((800, 600)), "WEBP"),
    "webp-lossless": encode(photo((800, 600)), "WEBP", lossless=True),
    "gps": jpeg(gps=True, camera=True),
    **{name: data for name, (data, _words) in HOSTILE_FILES.items()},
    **{name: data for name, (data, _words) in BAD_FILES.items()},
}
FULL_SPEC = {"formats": ["JPEG", "PNG", "WEBP"], "width": 800, "height": 600, "mode": "RGB", "strip_exif": "gps",
             "quality_min": 1, "quality_max": 100, "max_bytes": 10_000_000, "no_upscale": True,
             "crop": {"box": [0, 0, 1600, 1200], "min_similarity": 0.5}, "watermark": {"corner": "top-left", "size": 0.1, "min_difference": 0.0}}


@pytest.mark.parametrize("name", CHECKABLE)
def test_what_passes_upload_is_always_checked_to_the_end(name):
    """The background check never fails to read a file that upload admitted: the same decode ran at upload."""
    data = CHECKABLE[name]
    try:
        admit_image(io.BytesIO(data), size=len(data))
    except ImageRejected:
        return
    report = run(data, FULL_SPEC, ORIGINAL_BYTES)
    assert not report.error and report.criteria, report.error


def test_oversized_upload_states_the_limit(settings):
    settings.PRACTICAL_UPLOAD_MAX_BYTES = 100 * 1024
    data = jpeg(photo((1600, 1200)), quality=95)
    with pytest.raises(ImageRejected) as refused:
        admit_image(io.BytesIO(data), size=len(data))
    assert "100.0 KB" in refused.value.message.replace("\xa0", " ")


def test_gif_format_is_refused_even_when_still():
    data = encode(Image.new("P", (50, 50)), "GIF")
    with pytest.raises(ImageRejected) as refused:
        admit_image(io.BytesIO(data), size=len(data))
    assert "GIF" in refused.value.message
