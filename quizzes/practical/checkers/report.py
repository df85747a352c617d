"""The shape of a check report: one line per criterion, measured value against what is required."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class CriterionResult:
    key: str
    label: str
    required: str
    measured: str
    passed: bool
    hint: str = ""


@dataclass
class CheckReport:
    """What a checker found. `error` is set when the work could not be checked at all (e.g. not an image)."""

    criteria: list[CriterionResult] = field(default_factory=list)
    error: str = ""
    facts: dict = field(default_factory=dict)

    def add(self, key: str, label: str, *, required: str, measured: str, passed: bool, hint: str = "") -> None:
        self.criteria.append(CriterionResult(key, label, str(required), str(measured), bool(passed), str(hint)))

    @property
    def passed(self) -> bool:
        return not self.error and bool(self.criteria) and all(c.passed for c in self.criteria)

    def as_json(self) -> dict:
        return {
            "passed": self.passed,
            "error": self.error,
            "criteria": [asdict(c) for c in self.criteria],
            "facts": self.facts,
        }
