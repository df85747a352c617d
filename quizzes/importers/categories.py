"""Category paths as question files write them, read the way Moodle reads them.

Moodle writes `$course$/top/栏目设置/二级栏目` (also `$system$`, `$module$`, `$cat1$` …): the `$…$`
context and its `top` are the bank's root, which for an import is the category chosen to import into.
A "/" inside a name is written "//" (Moodle's split_category_path). Our category names cannot hold
"/", so such a name keeps the full-width "／" instead. HTML in a name is removed (Moodle's
clean_param PARAM_TEXT); "." and ".." and empty levels are refused rather than created.
"""

from __future__ import annotations

import html
import re

import nh3
from django.utils.translation import gettext as _

CONTEXT = re.compile(r"^\$[a-z0-9]+\$(?:/|$)", re.IGNORECASE)
SLASH = "\ue000"  # a private-use character stands for "//" while the path is split
MAX_NAME = 100


class CategoryPathError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def parse_category_path(value: str) -> str:
    """`$course$/top/a/b` → "a/b" relative to the import's target ("" = the target itself)."""
    value = (value or "").strip()
    value = CONTEXT.sub("", value, count=1)
    if value == "top" or value.startswith("top/"):
        value = value[4:]
    # "//" first, then the HTML goes (its "</b>" must not split the path), then the levels.
    value = html.unescape(nh3.clean(value.replace("//", SLASH), tags=set()))
    if not value.strip():
        return ""
    names = []
    for raw in value.split("/"):
        name = " ".join(raw.split()).replace(SLASH, "／")
        if not name:
            raise CategoryPathError(_("The category path “%(path)s” has an empty level.") % {"path": _shown(value)})
        if name in {".", ".."}:
            raise CategoryPathError(_("The category path “%(path)s” contains “%(name)s”; give real category names.") % {"path": _shown(value), "name": name})
        if len(name) > MAX_NAME:
            raise CategoryPathError(_("A category name can be at most 100 characters."))
        names.append(name)
    return "/".join(names)


def write_category_path(relative: str) -> str:
    """Our relative path → Moodle's `$course$/top/…` form, each "／" written back as "//"."""
    names = [name.replace("/", "//").replace("／", "//") for name in relative.split("/") if name]
    return "/".join(["$course$", "top", *names])


def _shown(value: str) -> str:
    return value.replace(SLASH, "//")[:120]
