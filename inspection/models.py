"""Site inspection (网站检查): county sites, their columns, runs, findings and 整改 items."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from lms.models import CountyTeam

from .columns import ColumnKind
from .rules import RULES


class InspectedSite(models.Model):
    """A county team's public website, registered by the bureau for inspection."""

    team = models.ForeignKey(CountyTeam, on_delete=models.CASCADE, related_name="inspected_sites", verbose_name=_("county team"))
    name = models.CharField(_("name"), max_length=100)
    base_url = models.URLField(_("home page address"), max_length=300, unique=True)
    start_pages = models.TextField(
        _("extra start pages"), blank=True, help_text=_("Column pages the navigation does not reach, one address per line.")
    )
    allow_internal = models.BooleanField(
        _("allow internal addresses"),
        default=False,
        help_text=_("Only for the bureau's own hosts on an internal network: otherwise private addresses are refused."),
    )
    respect_robots = models.BooleanField(
        _("respect robots.txt"), default=True, help_text=_("Turn off only for the bureau's own sites.")
    )
    is_active = models.BooleanField(_("inspected daily"), default=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspected site")
        verbose_name_plural = _("inspected sites")
        ordering = ["team__sort_order", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.base_url}）"

    def extra_start_pages(self) -> list[str]:
        return [line.strip() for line in self.start_pages.splitlines() if line.strip()]


class SiteColumn(models.Model):
    """A column (栏目) found on a site; the bureau's corrections (class, excluded) survive later crawls."""

    site = models.ForeignKey(InspectedSite, on_delete=models.CASCADE, related_name="columns", verbose_name=_("site"))
    url = models.URLField(_("address"), max_length=500)
    name = models.CharField(_("name"), max_length=100)
    detected_kind = models.CharField(_("class found"), max_length=20, choices=ColumnKind.choices, default=ColumnKind.OTHER)
    kind = models.CharField(
        _("class set by the bureau"),
        max_length=20,
        choices=ColumnKind.choices,
        blank=True,
        help_text=_("Empty: the class found."),
    )
    excluded = models.BooleanField(_("excluded from checks"), default=False)
    first_seen = models.DateTimeField(_("first seen"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last seen"), auto_now=True)

    class Meta:
        verbose_name = _("site column")
        verbose_name_plural = _("site columns")
        ordering = ["site", "name"]
        constraints = [models.UniqueConstraint(fields=["site", "url"], name="inspection_column_site_url_unique")]

    def __str__(self) -> str:
        return self.name


class ExpressionRule(models.Model):
    """A wrong → right expression (严重错别字、固定表述); a page containing the wrong one fails the site."""

    wrong = models.CharField(_("wrong expression"), max_length=60, unique=True)
    right = models.CharField(_("correct expression"), max_length=60)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("severe-error expression")
        verbose_name_plural = _("severe-error expressions")
        ordering = ["wrong"]

    def __str__(self) -> str:
        return f"{self.wrong} → {self.right}"


class RuleWeight(models.Model):
    """The bureau's deduction for a rule, replacing the documented default."""

    rule = models.CharField(
        _("rule"), max_length=40, unique=True, choices=[(rule.id, f"{rule.id}：{rule.wording}") for rule in RULES]
    )
    points = models.DecimalField(_("points per finding"), max_digits=5, decimal_places=2)
    cap = models.DecimalField(_("at most"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("deduction weight")
        verbose_name_plural = _("deduction weights")
        ordering = ["rule"]

    def __str__(self) -> str:
        return self.rule


class InspectionRun(models.Model):
    """One inspection of a site: queued, taken by any worker (re-taken when its worker stops beating), done."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Could not inspect")

    site = models.ForeignKey(InspectedSite, on_delete=models.CASCADE, related_name="runs", verbose_name=_("site"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    today = models.DateField(_("reference date"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("started by")
    )
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    pages = models.PositiveIntegerField(_("pages read"), default=0)
    verdict = models.CharField(_("verdict"), max_length=10, blank=True)
    deciding_rule = models.CharField(_("deciding rule"), max_length=40, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("inspection run")
        verbose_name_plural = _("inspection runs")
        ordering = ["-created_at"]
        constraints = [
            # One run in flight per site: a second request joins the first instead of crawling twice.
            models.UniqueConstraint(
                fields=["site"], condition=Q(state__in=["queued", "running"]), name="inspection_one_active_run_per_site"
            )
        ]
        indexes = [models.Index(fields=["site", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.site.name} · {self.today}"


class Finding(models.Model):
    """One thing a run found, with its evidence."""

    run = models.ForeignKey(InspectionRun, on_delete=models.CASCADE, related_name="findings", verbose_name=_("run"))
    rule = models.CharField(_("rule"), max_length=40)
    key = models.CharField(_("key"), max_length=500)
    url = models.URLField(_("page"), max_length=500)
    column = models.CharField(_("column"), max_length=500, blank=True)
    item = models.CharField(_("content item"), max_length=500, blank=True)
    dates = models.JSONField(_("dates"), default=dict, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["run", "rule", "pk"]

    def __str__(self) -> str:
        return f"{self.rule} · {self.url}"


class PageCache(models.Model):
    """A page's validators and summary from the last run: a 304 answer re-uses the summary."""

    site = models.ForeignKey(InspectedSite, on_delete=models.CASCADE, related_name="+")
    url = models.URLField(max_length=500)
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "url"], name="inspection_cache_site_url_unique")]

    def __str__(self) -> str:
        return self.url


class AvailabilityProbe(models.Model):
    """One scheduled visit of a site's home page (the checklist's availability rule: 15 s, weekly ratio)."""

    site = models.ForeignKey(InspectedSite, on_delete=models.CASCADE, related_name="probes", verbose_name=_("site"))
    at = models.DateTimeField(_("when"), db_index=True)
    ok = models.BooleanField(_("reachable"))
    elapsed = models.FloatField(_("seconds"))
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("availability probe")
        verbose_name_plural = _("availability probes")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.site_id} · {self.at:%Y-%m-%d %H:%M} · {'ok' if self.ok else 'fail'}"


class Rectification(models.Model):
    """A 整改 item: a finding the team's webmasters must fix by the deadline; closed by the first later run
    that no longer finds it."""

    site = models.ForeignKey(InspectedSite, on_delete=models.CASCADE, related_name="rectifications", verbose_name=_("site"))
    team = models.ForeignKey(CountyTeam, on_delete=models.CASCADE, related_name="rectifications", verbose_name=_("county team"))
    key = models.CharField(_("key"), max_length=500)
    rule = models.CharField(_("rule"), max_length=40)
    url = models.URLField(_("page"), max_length=500)
    column = models.CharField(_("column"), max_length=500, blank=True)
    item = models.CharField(_("content item"), max_length=500, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    lesson_url = models.CharField(_("lesson"), max_length=300, blank=True)
    lesson_title = models.CharField(_("lesson title"), max_length=200, blank=True)
    opened_at = models.DateTimeField(_("opened"))
    deadline = models.DateField(_("deadline"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    opened_run = models.ForeignKey(InspectionRun, on_delete=models.SET_NULL, null=True, related_name="+")
    closed_run = models.ForeignKey(InspectionRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["closed_at", "deadline", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "key"], condition=Q(closed_at__isnull=True), name="inspection_one_open_item_per_finding"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule} · {self.url}"


@register_setting(icon="globe")
class InspectionSettings(BaseGenericSetting):
    """Bureau-wide choices of site inspection that are not per rule."""

    ranking_weight = models.PositiveSmallIntegerField(
        _("site score's weight in the team ranking (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "0 ranks teams by the share of qualified webmasters alone; 30 ranks them by 70 % share qualified and 30 % their site's latest score. Teams whose site has not been inspected are ranked on the share qualified."
        ),
    )

    class Meta:
        verbose_name = _("site inspection settings")
