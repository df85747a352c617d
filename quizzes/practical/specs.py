"""The check specification of each task kind: validated when a trainer saves a task.

A spec is JSON so trainers can author it in the admin; it is checked here against a small schema so
a typo ("max_widht") or an impossible value fails on save with a clear message, not later on a trainee.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
CORNERS = {"top-left", "top-right", "bottom-left", "bottom-right"}
EXIF_RULES = {"all", "gps"}
BACKOFFICE_TYPES = {"news_published", "scheduled", "moved", "unpublished"}


def _int(value, name, low=1, high=100_000):
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(_("“%(name)s” must be a whole number from %(low)s to %(high)s.") % {"name": name, "low": low, "high": high})
    return value


def _float(value, name, low=0.0, high=1.0):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise ValidationError(_("“%(name)s” must be a number from %(low)s to %(high)s.") % {"name": name, "low": low, "high": high})
    return float(value)


def _text(value, name):
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(_("“%(name)s” must be a non-empty text.") % {"name": name})
    return value.strip()


def _ratio(value) -> float:
    if isinstance(value, str) and ":" in value:
        left, _sep, right = value.partition(":")
        try:
            w, h = float(left), float(right)
        except ValueError:
            w = h = 0
        if w > 0 and h > 0:
            return w / h
    elif isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value)
    raise ValidationError(_("“aspect_ratio” must look like “16:9” or be a positive number."))


def _unknown(spec: dict, allowed: set[str], where: str = "") -> None:
    extra = sorted(set(spec) - allowed)
    if extra:
        raise ValidationError(
            _("Unknown setting %(names)s%(where)s; allowed: %(allowed)s.")
            % {"names": "、".join(extra), "where": where, "allowed": "、".join(sorted(allowed))}
        )


def _image_spec(spec: dict) -> dict:
    _unknown(spec, {"formats", "width", "height", "max_width", "max_height", "aspect_ratio", "aspect_tolerance", "max_bytes",
                    "mode", "strip_exif", "no_upscale", "quality_min", "quality_max", "crop", "watermark", "still"})
    out: dict = {}
    if "formats" in spec:
        formats = spec["formats"]
        if not isinstance(formats, list) or not formats or not set(map(str, formats)) <= IMAGE_FORMATS:
            raise ValidationError(_("“formats” must list some of JPEG, PNG, WEBP."))
        out["formats"] = [str(f) for f in formats]
    for key in ("width", "height", "max_width", "max_height"):
        if key in spec:
            out[key] = _int(spec[key], key, 1, 20_000)
    if "aspect_ratio" in spec:
        _ratio(spec["aspect_ratio"])
        out["aspect_ratio"] = spec["aspect_ratio"]
        out["aspect_tolerance"] = _float(spec.get("aspect_tolerance", 0.02), "aspect_tolerance", 0.0, 0.5)
    elif "aspect_tolerance" in spec:
        raise ValidationError(_("“aspect_tolerance” needs “aspect_ratio”."))
    if "max_bytes" in spec:
        out["max_bytes"] = _int(spec["max_bytes"], "max_bytes", 1024, 50 * 1024 * 1024)
    if "mode" in spec:
        if spec["mode"] not in ("RGB",):
            raise ValidationError(_("“mode” can only be RGB."))
        out["mode"] = "RGB"
    if "strip_exif" in spec:
        if spec["strip_exif"] not in EXIF_RULES:
            raise ValidationError(_("“strip_exif” must be “all” or “gps”."))
        out["strip_exif"] = spec["strip_exif"]
    for key in ("no_upscale", "still"):
        if key in spec:
            if not isinstance(spec[key], bool):
                raise ValidationError(_("“%(name)s” must be true or false.") % {"name": key})
            out[key] = spec[key]
    for key in ("quality_min", "quality_max"):
        if key in spec:
            out[key] = _int(spec[key], key, 1, 100)
    if out.get("quality_min", 0) > out.get("quality_max", 100):
        raise ValidationError(_("“quality_min” cannot be above “quality_max”."))
    if "crop" in spec:
        crop = spec["crop"]
        if not isinstance(crop, dict):
            raise ValidationError(_("“crop” must be an object with “box” and “min_similarity”."))
        _unknown(crop, {"box", "min_similarity"}, " (crop)")
        box = crop.get("box")
        if not (isinstance(box, list) and len(box) == 4 and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in box)
                and box[0] < box[2] and box[1] < box[3]):
            raise ValidationError(_("“crop.box” must be [left, top, right, bottom] in pixels of the original."))
        out["crop"] = {"box": box, "min_similarity": _float(crop.get("min_similarity", 0.9), "crop.min_similarity", 0.5, 1.0)}
    if "watermark" in spec:
        mark = spec["watermark"]
        if not isinstance(mark, dict):
            raise ValidationError(_("“watermark” must be an object with “corner”, “size” and “min_difference”."))
        _unknown(mark, {"corner", "size", "min_difference"}, " (watermark)")
        if mark.get("corner", "bottom-right") not in CORNERS:
            raise ValidationError(_("“watermark.corner” must be one of %(corners)s.") % {"corners": "、".join(sorted(CORNERS))})
        out["watermark"] = {
            "corner": mark.get("corner", "bottom-right"),
            "size": _float(mark.get("size", 0.25), "watermark.size", 0.05, 0.5),
            "min_difference": _float(mark.get("min_difference", 0.06), "watermark.min_difference", 0.01, 0.5),
        }
    if not out:
        raise ValidationError(_("An image task needs at least one criterion in its spec."))
    return out


def _topic_spec(spec: dict) -> dict:
    _unknown(spec, {"min_columns", "min_images", "banner_width", "banner_height", "max_age_days", "require_lead", "title_contains"})
    out: dict = {"min_columns": 3, "min_images": 2, "require_lead": True}
    for key, low, high in (("min_columns", 1, 50), ("min_images", 0, 200), ("banner_width", 1, 10000), ("banner_height", 1, 10000), ("max_age_days", 1, 3650)):
        if key in spec:
            out[key] = _int(spec[key], key, low, high)
    if ("banner_width" in out) != ("banner_height" in out):
        raise ValidationError(_("Give both “banner_width” and “banner_height”, or neither."))
    if "require_lead" in spec:
        if not isinstance(spec["require_lead"], bool):
            raise ValidationError(_("“%(name)s” must be true or false.") % {"name": "require_lead"})
        out["require_lead"] = spec["require_lead"]
    if "title_contains" in spec:
        out["title_contains"] = _text(spec["title_contains"], "title_contains")
    return out


def _backoffice_spec(spec: dict) -> dict:
    _unknown(spec, {"expect"})
    expectations = spec.get("expect")
    if not isinstance(expectations, list) or not expectations:
        raise ValidationError(_("A back-office task needs “expect”: a list of expected results."))
    out = []
    for item in expectations:
        if not isinstance(item, dict) or item.get("type") not in BACKOFFICE_TYPES:
            raise ValidationError(_("Each expected result needs a “type”: one of %(types)s.") % {"types": "、".join(sorted(BACKOFFICE_TYPES))})
        kind = item["type"]
        allowed = {"type", "title_contains", "section", "tag", "featured_image", "go_live_at", "from", "page_title"}
        _unknown(item, allowed, f" ({kind})")
        clean = {"type": kind, "title_contains": _text(item.get("title_contains"), "title_contains")}
        if kind in ("news_published", "moved"):
            clean["section"] = _text(item.get("section"), "section")
        if kind == "unpublished" and "section" in item:
            clean["section"] = _text(item["section"], "section")
        if kind in ("moved", "unpublished"):
            # The page to move or take offline must already be on the practice site: these say which one
            # the site is given (see practice_site_needs).
            if "from" in item and kind == "moved":
                clean["from"] = _text(item["from"], "from")
                if clean["from"] == clean["section"]:
                    raise ValidationError(_("“from” and “section” must be different sections: the page has to move."))
            if "page_title" in item:
                clean["page_title"] = _text(item["page_title"], "page_title")
                if clean["title_contains"] not in clean["page_title"]:
                    raise ValidationError(_("“page_title” must contain “%(text)s” (its “title_contains”).") % {"text": clean["title_contains"]})
        elif "from" in item or "page_title" in item:
            raise ValidationError(_("“from” and “page_title” only apply to “moved” and “unpublished”."))
        if kind == "news_published":
            if "tag" in item:
                clean["tag"] = _text(item["tag"], "tag")
            clean["featured_image"] = bool(item.get("featured_image", False))
        if kind == "scheduled":
            when = parse_datetime(str(item.get("go_live_at", "")))
            if not isinstance(when, datetime):
                raise ValidationError(_("“go_live_at” must be a date and time like 2026-12-01T09:00."))
            clean["go_live_at"] = item["go_live_at"]
        out.append(clean)
    return {"expect": out}


@dataclass(frozen=True)
class NeededPage:
    """A live news page the practice site must hold so a task can be done (moved or taken offline)."""

    title: str
    title_contains: str
    section: str | None  # None: the site's first section that is not `not_in`
    not_in: str | None = None


@dataclass
class SiteNeeds:
    """What a practice site must hold before a trainee can do a task: sections (by title) and pages."""

    sections: list[str] = field(default_factory=list)
    pages: list[NeededPage] = field(default_factory=list)

    def add(self, other: SiteNeeds) -> None:
        self.sections += [s for s in other.sections if s not in self.sections]
        self.pages += [p for p in other.pages if p not in self.pages]


def practice_site_needs(kind: str, spec: dict) -> SiteNeeds:
    """What a (validated) spec refers to on the practice site: the sections it names, and the pages it
    expects the trainee to move (“moved”) or take offline (“unpublished”), which therefore must exist,
    live, before the trainee starts. A published news item or a schedule is the trainee's own work."""
    needs = SiteNeeds()
    if kind != "backoffice":
        return needs
    for item in (spec or {}).get("expect", []):
        kind_of = item.get("type")
        named = [item.get("section"), item.get("from")]
        needs.sections += [s for s in named if s and s not in needs.sections]
        if kind_of == "moved":
            needs.pages.append(NeededPage(item.get("page_title") or item["title_contains"], item["title_contains"], item.get("from"), item["section"]))
        elif kind_of == "unpublished":
            needs.pages.append(NeededPage(item.get("page_title") or item["title_contains"], item["title_contains"], item.get("section")))
    return needs


def validate_spec(kind: str, spec) -> dict:
    """Return the normalised spec for `kind`, or raise ValidationError({'spec': ...}) saying what is wrong."""
    if spec in (None, ""):
        spec = {}
    if not isinstance(spec, dict):
        raise ValidationError({"spec": _("The spec must be a JSON object.")})
    try:
        if kind == "image":
            return _image_spec(spec)
        if kind == "topic_page":
            return _topic_spec(spec)
        if kind == "backoffice":
            return _backoffice_spec(spec)
        if spec:
            raise ValidationError(_("Reviewed work has no automatic check: leave the spec empty."))
        return {}
    except ValidationError as error:
        raise ValidationError({"spec": error.messages}) from None


def parse_levels(text: str) -> list[tuple[str, Decimal]]:
    """Parse “name | points” lines into [(name, points)]; raise ValidationError on a bad line."""
    levels = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, points = line.rpartition("|")
        try:
            value = Decimal(points.strip())
        except InvalidOperation:
            value = None
        if not sep or not name.strip() or value is None or value < 0 or value > 1000:
            raise ValidationError(
                {"levels_text": _("Line %(n)s: write “name | points”, e.g. 优秀 | 10.") % {"n": number}}
            )
        levels.append((name.strip(), value))
    if not levels:
        raise ValidationError({"levels_text": _("Give at least one level, e.g. 合格 | 6.")})
    return levels
