"""What a person's name may hold, and how a name becomes part of a file name.

Names travel into file names (the team certificate ZIP, downloads), so path characters are refused where a
name enters the system (roster import, certificate rename) and replaced wherever one becomes a file name.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Path separators, a drive colon, and every control character (Unicode category C*: tabs, NUL, bells…).
_UNSAFE_CHARS = re.compile(r"[/\\:]")


def _has_control(value: str) -> bool:
    return any(unicodedata.category(ch).startswith("C") for ch in value)


def validate_person_name(value: str) -> None:
    """Refuse names that could steer a file path: / \\ :, control characters, and “..”."""
    if _UNSAFE_CHARS.search(value) or _has_control(value) or ".." in value:
        raise ValidationError(
            _("A name may not contain / \\ :, “..” or control characters (such as tabs); give the name alone."), code="unsafe_name"
        )


def filename_part(value: str, *, max_length: int = 60) -> str:
    """`value` made safe as one component of a file name: no separators, controls or dot-runs, never empty."""
    cleaned = "".join("_" if _UNSAFE_CHARS.match(ch) or unicodedata.category(ch).startswith("C") else ch for ch in value)
    cleaned = re.sub(r"\.{2,}", "_", cleaned).strip(" ._")
    return cleaned[:max_length] or "_"
