"""Grading rules per question type: pure functions of a question's options and an answer.

A fraction is the share of the question's points earned, from 0 to 1. Weights are stored as percent
(-100…100, as in Moodle's GIFT `%50%`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
ONE = Decimal("1")
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class Option:
    pk: int
    text: str
    weight: Decimal  # percent
    order: int = 0


def clamp(value: Decimal) -> Decimal:
    return max(ZERO, min(ONE, value))


def normalise_text(text: str) -> str:
    """Fold what a Chinese keyboard varies: full-width letters, digits and punctuation (NFKC), case,
    and runs of spaces (including the ideographic space)."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return " ".join(folded.split())


def _parts(accepted: str) -> list[str]:
    """The literal pieces between `*` wildcards (as in Moodle, `\\*` is a literal star). Runs of stars
    act as one: the empty pieces between them are dropped, except the first and last, which anchor."""
    pieces = [part.replace("\\*", "*") for part in re.split(r"(?<!\\)\*", normalise_text(accepted))]
    if len(pieces) <= 2:
        return pieces
    return [pieces[0], *(p for p in pieces[1:-1] if p), pieces[-1]]


def matches(accepted: str, given: str) -> bool:
    """Glob matching in one left-to-right pass, never backtracking: the first piece is a prefix, the
    last a suffix, and each middle piece is taken at its leftmost place (which is always safe for `*`).
    A pattern of 35 stars against a long answer that does not match costs a few `str.find`s."""
    pieces, text = _parts(accepted), normalise_text(given)
    if len(pieces) == 1:
        return text == pieces[0]
    first, *middle, last = pieces
    if len(text) < len(first) + len(last) or not text.startswith(first) or not text.endswith(last):
        return False
    position, end = len(first), len(text) - len(last)
    for piece in middle:
        found = text.find(piece, position, end)
        if found == -1:
            return False
        position = found + len(piece)
    return True


def grade_single(options: list[Option], chosen: list[int]) -> Decimal:
    """One option counts; more than one chosen is treated as a wrong answer, not as the best of them."""
    if len(chosen) != 1:
        return ZERO
    weights = {o.pk: o.weight for o in options}
    return clamp(weights.get(chosen[0], ZERO) / HUNDRED)


def grade_multiple(options: list[Option], chosen: list[int]) -> Decimal:
    """Sum of the chosen options' weights (wrong ones may be negative); never below 0 nor above 1."""
    weights = {o.pk: o.weight for o in options}
    return clamp(sum((weights.get(pk, ZERO) for pk in set(chosen)), ZERO) / HUNDRED)


def grade_short(options: list[Option], text: str) -> Decimal:
    """The best weight among the accepted answers the input matches; blank input earns nothing."""
    if not normalise_text(text):
        return ZERO
    best = ZERO
    for option in options:
        if matches(option.text, text):
            best = max(best, option.weight / HUNDRED)
    return clamp(best)


def grade_ordering(options: list[Option], order: list[int]) -> Decimal:
    """Partial credit per correctly ordered neighbour pair (Moodle's "relative to the next item"):
    each item that is directly followed by its right successor earns 1/(n-1)."""
    right = [o.pk for o in sorted(options, key=lambda o: (o.order, o.pk))]
    if len(right) < 2 or sorted(order) != sorted(right):
        return ZERO
    successor = {right[i]: right[i + 1] for i in range(len(right) - 1)}
    good = sum(1 for i in range(len(order) - 1) if successor.get(order[i]) == order[i + 1])
    return (Decimal(good) / Decimal(len(right) - 1)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def grade(qtype: str, options: list[Option], answer: dict | None) -> Decimal:
    """The fraction earned by `answer` (the stored JSON) for a question of `qtype`."""
    answer = answer or {}
    if qtype in ("single", "truefalse"):
        return grade_single(options, _ids(answer.get("choices")))
    if qtype == "multiple":
        return grade_multiple(options, _ids(answer.get("choices")))
    if qtype == "short":
        return grade_short(options, str(answer.get("text") or ""))
    if qtype == "ordering":
        return grade_ordering(options, _ids(answer.get("order")))
    return ZERO


def is_answered(qtype: str, answer: dict | None) -> bool:
    answer = answer or {}
    if qtype == "short":
        return bool(normalise_text(str(answer.get("text") or "")))
    key = "order" if qtype == "ordering" else "choices"
    return bool(answer.get(key))


def _ids(value) -> list[int]:
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, int) and not isinstance(v, bool)]


def points(fraction: Decimal, max_points: Decimal) -> Decimal:
    return (fraction * max_points).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
