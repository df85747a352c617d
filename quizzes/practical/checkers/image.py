"""The image-processing check: Pillow measures the uploaded picture against the task's spec.

Two stages. `admit_image` runs while the upload request is open and refuses what the check could not read, so
a bad file is never stored and never uses up one of the task's submissions: it walks the file's container
(nothing after the picture's end, no web page code in its metadata: see container.py) and decodes it
completely, the same way the check will — JPEGs in draft mode, i.e. scaled by libjpeg while decoding, so a
12-megapixel photo costs a fraction of a full decode in time and memory. `check_image` runs in the background
and measures every criterion on that decode.
"""

from __future__ import annotations

import logging
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageChops, ImageFile, ImageFilter, ImageStat, UnidentifiedImageError

from . import container
from .report import CheckReport

logger = logging.getLogger(__name__)

# Decoding happens at reduced scale; comparisons need no more than this many pixels on the long side.
COMPARE_SIZE = 256
DRAFT_SIZE = 512
MAX_TEXT_BYTES = 64 * 1024
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
# libjpeg's (IJG) standard luminance quantisation table: a quality setting scales it.
IJG_LUMINANCE = (
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
    14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
)
GPS_IFD = 0x8825
# A picture enlarged from a smaller copy keeps less fine detail than the original scaled to the same size;
# below this share of the original's detail it counts as enlarged. Measured on generated photos: a 2× enlargement
# keeps 70–82%, a sharp downscale 108–116% (JPEG artefacts add a little), a 1.33× enlargement is not caught.
MIN_DETAIL_KEPT = 0.85


class ImageRejected(Exception):
    """The file cannot be checked as an image; the message says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ImageProbe:
    format: str
    width: int
    height: int
    mode: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


def max_upload_bytes() -> int:
    return getattr(settings, "PRACTICAL_UPLOAD_MAX_BYTES", 15 * 1024 * 1024)


def max_pixels() -> int:
    return getattr(settings, "PRACTICAL_IMAGE_MAX_PIXELS", 50_000_000)


def _damaged():
    return ImageRejected(
        _("The picture file is damaged or incomplete (it may have been cut off while saving or uploading). Export it again.")
    )


def _text_too_large():
    return ImageRejected(_("The PNG file carries an oversized text block. Export the picture again without extra metadata."))


@contextmanager
def _guarded():
    """Read an image with every way a hostile or damaged file can fail turned into ImageRejected.

    Pillow signals a bad file with many exception types depending on the format and the stage: OSError
    (truncated data, a decoder error), SyntaxError and EOFError (broken chunks), ValueError (a PNG text chunk
    inflating past its limit), struct.error and IndexError (short headers), zlib.error, DecompressionBombError
    and the bomb warning (made an error here). Whatever the type, the file cannot be read.
    """
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except ImageRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRejected(_("The picture claims an enormous pixel size (a “decompression bomb”) and was refused.")) from None
        except UnidentifiedImageError:
            raise ImageRejected(_("This file is not a picture we can read. Upload a JPEG, PNG or WebP image.")) from None
        except ValueError as error:
            if "text" in str(error).lower() or "chunk" in str(error).lower():
                raise _text_too_large() from None
            raise _damaged() from None
        except Exception as error:  # noqa: BLE001 — any other failure to decode untrusted bytes means the same
            logger.info("picture refused as unreadable: %s: %s", type(error).__name__, error)
            raise _damaged() from None


IMAGE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")


def _sniff_text(head: bytes) -> str:
    # A real picture with markup in its metadata is a different problem, explained by the container walk.
    if head.startswith(IMAGE_SIGNATURES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return ""
    sample = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if sample.startswith((b"<svg", b"<?xml")) or b"<svg" in sample[:512]:
        return "SVG"
    if sample.startswith((b"<!doctype", b"<html", b"<script", b"<head", b"<body")) or b"<script" in sample[:512]:
        return "HTML"
    return ""


def _open(fp) -> Image.Image:
    """Image.open, refusing text files renamed as pictures and pictures over the pixel limit (call inside _guarded)."""
    head = fp.read(1024)
    fp.seek(0)
    if not head:
        raise ImageRejected(_("The file is empty (0 bytes). Choose the processed picture and upload it again."))
    kind = _sniff_text(head)
    if kind:
        raise ImageRejected(
            _("This is a %(kind)s text file renamed as a picture, not an image. Export the picture as JPEG, PNG or WebP.") % {"kind": kind}
        )
    image = Image.open(fp)
    if image.width * image.height > max_pixels():
        raise ImageRejected(
            _("The picture has %(pixels)s megapixels; at most %(limit)s are accepted.")
            % {"pixels": round(image.width * image.height / 1e6, 1), "limit": round(max_pixels() / 1e6, 1)}
        )
    return image


def _text_bytes(image: Image.Image) -> int:
    return sum(len(value) for value in image.info.values() if isinstance(value, (str, bytes)))


def admit_image(fp, *, size: int, still: bool = True) -> ImageProbe:
    """Decide whether the upload is a picture the check can read completely. Raises ImageRejected.

    Everything the background check will decode is decoded here first (at the same reduced scale), so a
    file that passes cannot make the check fail on reading it, and a bad file is refused before it is stored.
    """
    limit = max_upload_bytes()
    if size > limit:
        raise ImageRejected(
            _("The file is %(size)s; uploads are limited to %(limit)s.") % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    with _guarded():
        image = _open(fp)
        frames = getattr(image, "n_frames", 1)
        if still and frames > 1:
            raise ImageRejected(
                _("This is an animated picture (%(frames)s frames); the task needs a still image.") % {"frames": frames}
            )
        if image.format not in CONTENT_TYPES or image.format == "GIF":
            raise ImageRejected(_("%(format)s files are not accepted. Upload a JPEG, PNG or WebP image.") % {"format": image.format})
        if _text_bytes(image) > MAX_TEXT_BYTES:
            raise _text_too_large()
        probe = ImageProbe(format=image.format, width=image.width, height=image.height, mode=image.mode)
    fp.seek(0)
    finding = container.inspect(fp.read(), probe.format, max_text_bytes=MAX_TEXT_BYTES)
    fp.seek(0)
    if finding is not None:
        raise _refusal(finding)
    _decode(fp)
    fp.seek(0)
    return probe


def _where(code: str) -> str:
    """A segment or chunk code in words a trainee recognises, with the code for whoever helps them."""
    if code == "COM":
        return _("the comment, %(code)s") % {"code": code}
    if code in ("tEXt", "zTXt", "iTXt"):
        return _("a text block, %(code)s") % {"code": code}
    return _("a metadata block, %(code)s") % {"code": code}


def _refusal(finding: container.Finding) -> ImageRejected:
    if finding.kind == "trailing":
        return ImageRejected(
            _("The file carries extra data after the end of the picture (for example hidden web page code or a motion-photo clip). "
              "Export the picture again as a plain JPEG, PNG or WebP and upload the new file.")
        )
    if finding.kind == "markup":
        return ImageRejected(
            _("The picture's metadata (%(where)s) contains web page code such as a script. Remove the metadata or export the picture again, then upload it.")
            % {"where": _where(finding.where)}
        )
    if finding.kind == "text_too_large":
        return _text_too_large()
    return _damaged()


def estimate_jpeg_quality(quantization: dict | None) -> int | None:
    """Estimate the IJG quality (1–100) a JPEG was saved with, from its luminance quantisation table."""
    if not quantization or 0 not in quantization:
        return None
    table = list(quantization[0])
    if len(table) != 64:
        return None
    scale = 100 * sum(table) / sum(IJG_LUMINANCE)
    quality = (200 - scale) / 2 if scale <= 100 else 5000 / scale
    return max(1, min(100, round(quality)))


def _decode(fp, *, target: int = DRAFT_SIZE) -> tuple[Image.Image, dict]:
    """Open and fully decode (at reduced scale for JPEG); returns the RGB picture and header facts. Raises ImageRejected."""
    with _guarded():
        image = _open(fp)
        # The header's size and mode, before draft mode scales the JPEG.
        facts = {
            "format": image.format,
            "width": image.width,
            "height": image.height,
            "mode": image.mode,
            "frames": getattr(image, "n_frames", 1),
            "quantization": getattr(image, "quantization", None),
        }
        if image.format == "JPEG":
            image.draft("RGB", (target, target))
        # Load before reading metadata: PNG text chunks after the pixel data only appear (and fail) while loading.
        image.load()
        exif = image.getexif()
        facts.update(exif=exif, has_gps=bool(exif.get_ifd(GPS_IFD)) or GPS_IFD in exif, text_bytes=_text_bytes(image))
        if image.mode != "RGB":
            image = image.convert("RGBA").convert("RGB") if "A" in image.mode or image.mode == "P" else image.convert("RGB")
        if max(image.size) > target * 2:
            image.thumbnail((target * 2, target * 2))
    return image, facts


def _ratio(value) -> float:
    if isinstance(value, str):
        left, _sep, right = value.partition(":")
        return float(left) / float(right)
    return float(value)


def _pixels(w: int, h: int) -> str:
    return _("%(w)s × %(h)s px") % {"w": w, "h": h}


def _corner_box(size: tuple[int, int], corner: str, fraction: float) -> tuple[int, int, int, int]:
    w, h = size
    cw, ch = max(1, round(w * fraction)), max(1, round(h * fraction))
    left = 0 if corner.endswith("left") else w - cw
    top = 0 if corner.startswith("top") else h - ch
    return left, top, left + cw, top + ch


def _similarity(a: Image.Image, b: Image.Image) -> float:
    diff = ImageChops.difference(a.convert("L"), b.convert("L"))
    return 1 - ImageStat.Stat(diff).mean[0] / 255


def _detail(image: Image.Image) -> float:
    """Fine detail: how much a picture differs from a slightly blurred copy of itself."""
    grey = image.convert("L")
    return ImageStat.Stat(ImageChops.difference(grey, grey.filter(ImageFilter.GaussianBlur(1)))).mean[0]


def check_image(fp, *, spec: dict, file_size: int, original=None) -> CheckReport:
    """Measure the picture in `fp` against `spec`; `original` is the task's original image file, when it has one."""
    report = CheckReport()
    try:
        picture, facts = _decode(fp)
    except ImageRejected as rejected:
        report.error = rejected.message
        return report
    width, height, fmt = facts["width"], facts["height"], facts["format"]
    report.facts = {"format": fmt, "width": width, "height": height, "mode": facts["mode"], "bytes": file_size}

    if spec.get("still", True) and facts["frames"] > 1:
        report.error = _("This is an animated picture (%(frames)s frames); the task needs a still image.") % {"frames": facts["frames"]}
        return report
    if "formats" in spec:
        report.add("format", _("File format"), required=" / ".join(spec["formats"]), measured=fmt, passed=fmt in spec["formats"],
                   hint=_("Use “Save as” / “Export” and pick the required format; renaming the file does not convert it."))
    if "width" in spec or "height" in spec:
        want_w, want_h = spec.get("width"), spec.get("height")
        required = _pixels(want_w or "*", want_h or "*")
        ok = (want_w is None or width == want_w) and (want_h is None or height == want_h)
        report.add("size", _("Pixel size"), required=required, measured=_pixels(width, height), passed=ok)
    if "max_width" in spec or "max_height" in spec:
        max_w, max_h = spec.get("max_width"), spec.get("max_height")
        ok = (max_w is None or width <= max_w) and (max_h is None or height <= max_h)
        report.add("max_size", _("Maximum pixel size"), required=_("at most %(size)s") % {"size": _pixels(max_w or "*", max_h or "*")},
                   measured=_pixels(width, height), passed=ok)
    if "aspect_ratio" in spec:
        wanted, tolerance = _ratio(spec["aspect_ratio"]), spec.get("aspect_tolerance", 0.02)
        actual = width / height
        report.add("aspect", _("Aspect ratio"),
                   required=_("%(ratio)s (±%(tol)s%%)") % {"ratio": spec["aspect_ratio"], "tol": round(tolerance * 100, 1)},
                   measured=f"{actual:.3f}", passed=abs(actual - wanted) / wanted <= tolerance)
    if "max_bytes" in spec:
        report.add("bytes", _("File size"), required=_("at most %(size)s") % {"size": filesizeformat(spec["max_bytes"])},
                   measured=filesizeformat(file_size), passed=file_size <= spec["max_bytes"],
                   hint=_("Lower the JPEG quality a little or reduce the pixel size."))
    if spec.get("mode") == "RGB":
        mode = facts["mode"]
        measured = _("CMYK (print colours)") if mode == "CMYK" else mode
        report.add("mode", _("Colour mode"), required="RGB", measured=measured, passed=mode in ("RGB", "RGBA") if fmt != "JPEG" else mode == "RGB",
                   hint=_("Web browsers show CMYK pictures with wrong colours: convert to RGB before saving."))
    if "strip_exif" in spec:
        exif, has_gps = facts["exif"], facts["has_gps"]
        if spec["strip_exif"] == "gps":
            report.add("gps", _("GPS location removed"), required=_("no GPS data"),
                       measured=_("GPS location present") if has_gps else _("none"), passed=not has_gps,
                       hint=_("Photos from phones carry where they were taken: remove it before publishing."))
        else:
            names = sorted({ExifTags.TAGS.get(tag, str(tag)) for tag in exif})
            measured = _("%(n)s EXIF fields (%(names)s)") % {"n": len(exif), "names": ", ".join(names[:4])} if exif else _("none")
            report.add("exif", _("EXIF metadata removed"), required=_("no EXIF data"), measured=measured, passed=not exif,
                       hint=_("Use “Export for web” or remove the metadata: it can include the camera, time and GPS location."))
    if "quality_min" in spec or "quality_max" in spec:
        low, high = spec.get("quality_min", 1), spec.get("quality_max", 100)
        quality = estimate_jpeg_quality(facts["quantization"]) if fmt == "JPEG" else None
        report.add("quality", _("JPEG quality (estimated)"), required=f"{low}–{high}",
                   measured=str(quality) if quality is not None else _("not a JPEG"),
                   passed=quality is not None and low <= quality <= high,
                   hint=_("Set the quality within this range when exporting the JPEG."))
    needs_original = spec.get("no_upscale") or "crop" in spec or "watermark" in spec
    if needs_original:
        _compare_with_original(report, picture, (width, height), spec=spec, original=original)
    if not report.criteria:
        report.error = _("This task has no criteria to check. Tell your trainer.")
    return report


def _check_upscale(report, picture, size, region, region_size, spec) -> None:
    """Not larger than the original (region), and not enlarged from a smaller copy (fine detail kept)."""
    fits = size[0] <= region_size[0] * 1.01 and size[1] <= region_size[1] * 1.01
    measured, kept = _pixels(*size), None
    if fits and region.width >= picture.width and region.height >= picture.height:
        reference = region.resize(picture.size, Image.Resampling.LANCZOS)
        candidate = picture
        mark = spec.get("watermark")
        if mark:
            corner = _corner_box(picture.size, mark["corner"], mark["size"])
            candidate = picture.copy()
            candidate.paste(reference.crop(corner), corner[:2])
        base = _detail(reference)
        if base >= 0.1:  # a flat original has no detail to lose
            kept = _detail(candidate) / base
            measured = _("%(size)s, fine detail kept %(pct)s%%") % {"size": measured, "pct": round(min(kept, 9.99) * 100)}
    report.add("upscale", _("Not enlarged beyond the original"),
               required=_("at most %(size)s, fine detail kept at least %(pct)s%%") % {"size": _pixels(*region_size), "pct": round(MIN_DETAIL_KEPT * 100)},
               measured=measured, passed=fits and (kept is None or kept >= MIN_DETAIL_KEPT),
               hint=_("Enlarging a small picture makes it blurry; start again from the original."))


def _compare_with_original(report: CheckReport, picture: Image.Image, size: tuple[int, int], *, spec: dict, original) -> None:
    if original is None:
        report.error = _("The task's original image is missing, so the picture cannot be compared. Tell your trainer.")
        return
    try:
        # Enough resolution in the original to judge the picture's fine detail against it.
        source, source_facts = _decode(original, target=2 * DRAFT_SIZE if spec.get("no_upscale") else DRAFT_SIZE)
    except ImageRejected:
        report.error = _("The task's original image cannot be read. Tell your trainer.")
        return
    full_w, full_h = source_facts["width"], source_facts["height"]
    box = spec.get("crop", {}).get("box") or [0, 0, full_w, full_h]
    box = [min(box[0], full_w), min(box[1], full_h), min(box[2], full_w), min(box[3], full_h)]
    region_w, region_h = box[2] - box[0], box[3] - box[1]
    scale_x, scale_y = source.width / full_w, source.height / full_h
    region = source.crop((round(box[0] * scale_x), round(box[1] * scale_y), round(box[2] * scale_x), round(box[3] * scale_y)))
    if spec.get("no_upscale"):
        _check_upscale(report, picture, size, region, (region_w, region_h), spec)
    if "crop" not in spec and "watermark" not in spec:
        return
    # Compare at a small common size: the source region scaled to the picture's proportions.
    long_side = max(size)
    compare = (max(1, round(size[0] * COMPARE_SIZE / long_side)), max(1, round(size[1] * COMPARE_SIZE / long_side)))
    reference = region.resize(compare, Image.Resampling.BILINEAR)
    candidate = picture.resize(compare, Image.Resampling.BILINEAR)
    mark = spec.get("watermark")
    if mark:
        corner = _corner_box(compare, mark["corner"], mark["size"])
        difference = 1 - _similarity(candidate.crop(corner), reference.crop(corner))
        corner_name = {"top-left": _("top left"), "top-right": _("top right"), "bottom-left": _("bottom left"), "bottom-right": _("bottom right")}[mark["corner"]]
        report.add("watermark", _("Watermark in the %(corner)s corner") % {"corner": corner_name},
                   required=_("change of at least %(pct)s%%") % {"pct": round(mark["min_difference"] * 100)},
                   measured=f"{difference * 100:.1f}%", passed=difference >= mark["min_difference"],
                   hint=_("Add the unit's name or logo as a watermark in that corner."))
        # The watermark is meant to differ: leave it out of the crop comparison.
        candidate = candidate.copy()
        candidate.paste(reference.crop(corner), corner[:2])
    if "crop" in spec:
        similarity = _similarity(candidate, reference)
        report.add("crop", _("Crop matches the required part of the original"),
                   required=_("similarity at least %(pct)s%%") % {"pct": round(spec["crop"]["min_similarity"] * 100)},
                   measured=f"{similarity * 100:.1f}%", passed=similarity >= spec["crop"]["min_similarity"],
                   hint=_("Crop the area the task describes, without turning or mirroring the picture."))

