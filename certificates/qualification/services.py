"""Writes for the qualification dashboards: the bureau's yearly commendation rules."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from lms.models import User
from lms.services import record_audit

from ..models import Programme
from .models import CommendationRule

RULE_FIELDS = (
    "unit_min_percent", "unit_min_members", "unit_top_n", "person_top_n", "person_certified_in_year", "person_first_attempt_only",
)


def _snapshot(rule: CommendationRule) -> dict:
    return {name: str(value) if isinstance(value, Decimal) else value for name in RULE_FIELDS if (value := getattr(rule, name)) is not None}


@transaction.atomic
def set_commendation_rule(
    *,
    programme: Programme,
    year: int,
    actor: User | None,
    unit_min_percent: Decimal,
    unit_min_members: int,
    unit_top_n: int,
    person_top_n: int,
    person_certified_in_year: bool,
    person_first_attempt_only: bool = True,
) -> CommendationRule:
    """Create or change the rule for `year` and `programme`; the change is audited with before and after."""
    rule = CommendationRule.objects.select_for_update().filter(programme=programme, year=year).first()
    before = _snapshot(rule) if rule else None
    rule = rule or CommendationRule(programme=programme, year=year)
    rule.unit_min_percent = unit_min_percent
    rule.unit_min_members = unit_min_members
    rule.unit_top_n = unit_top_n
    rule.person_top_n = person_top_n
    rule.person_certified_in_year = person_certified_in_year
    rule.person_first_attempt_only = person_first_attempt_only
    rule.full_clean()
    rule.save()
    after = _snapshot(rule)
    if before != after:
        record_audit(actor=actor, action="commendation_rule.set", obj=rule, before=before, after=after)
    return rule
