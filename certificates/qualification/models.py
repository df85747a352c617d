"""The bureau's yearly commendation rules (评先评优): who may be put forward as 先进单位 and 先进个人."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class CommendationRule(models.Model):
    """The rules for one year and programme, as the bureau states them in its notice."""

    programme = models.ForeignKey(
        "certificates.Programme", on_delete=models.CASCADE, related_name="commendation_rules", verbose_name=_("programme")
    )
    year = models.PositiveIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    unit_min_percent = models.DecimalField(
        _("advanced unit: minimum % qualified"), max_digits=5, decimal_places=1, default=100,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    unit_min_members = models.PositiveIntegerField(
        _("advanced unit: minimum members"), default=3, help_text=_("Very small teams reach 100% too easily.")
    )
    unit_top_n = models.PositiveIntegerField(
        _("advanced unit: how many"), default=3, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    person_top_n = models.PositiveIntegerField(
        _("advanced individual: how many"), default=10, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    person_certified_in_year = models.BooleanField(
        _("advanced individual: certified within the year"), default=True,
        help_text=_("Only people whose certificate was issued in this year."),
    )
    person_first_attempt_only = models.BooleanField(
        _("advanced individual: every quiz passed at the first attempt"), default=True,
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("commendation rule")
        verbose_name_plural = _("commendation rules")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["programme", "year"], name="certificates_commendation_rule_unique")]

    def __str__(self) -> str:
        return f"{self.year} · {self.programme}"
