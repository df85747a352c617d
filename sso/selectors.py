"""Reads: the roster person an identity belongs to."""

from __future__ import annotations

import re

from lms.models import User

# Roster fields an identity may be matched on; never the display name (two 张伟 are two people).
MATCH_FIELDS = ("phone", "employee_no")


def normalise(field: str, value) -> str:
    """The identity provider's value in the roster's spelling: +86 138-0000-0000 → 13800000000."""
    if isinstance(value, (list, tuple)):
        value = value[0] if len(value) == 1 else ""
    text = str(value or "").strip()
    if field == "phone":
        text = re.sub(r"[\s\-()]", "", text)
        text = re.sub(r"^(\+?86)(?=1\d{10}$)", "", text)
    return text


def roster_person(field: str, value) -> User | None:
    """The person on the roster whose `field` equals `value`, active or not (the caller decides)."""
    if field not in MATCH_FIELDS:
        raise ValueError(f"SSO match field must be one of {MATCH_FIELDS}, not {field!r}")
    key = normalise(field, value)
    if not key:
        return None
    return User.objects.filter(**{field: key}).first()
