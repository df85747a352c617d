"""Notifications are rows first: the inbox copy (`Notification`) and one `Delivery` per outward channel,
delivered by background tasks that claim them with a lease."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.models import CountyTeam


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WECOM = "wecom", _("WeCom robot")
    DINGTALK = "dingtalk", _("DingTalk robot")


# Channels a person chooses for themselves (the inbox is always on); robots post to a team's work group.
PERSONAL_CHANNELS = (Channel.EMAIL, Channel.SMS)
ROBOT_CHANNELS = (Channel.WECOM, Channel.DINGTALK)


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class Notification(models.Model):
    """One message to one person: what the inbox (我的消息) shows."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    event = models.CharField(_("event"), max_length=64, db_index=True)
    event_key = models.CharField(_("event key"), max_length=200)
    context = models.JSONField(_("context"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "event_key"], name="notifications_one_per_event_and_person")]
        # The bell's count reads only this partial index.
        indexes = [models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notif_unread_idx")]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient_id}"


class RobotWebhook(models.Model):
    """A WeCom group robot or DingTalk custom robot in a county team's work group (no team: the bureau's)."""

    team = models.ForeignKey(
        CountyTeam,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="robots",
        verbose_name=_("county team"),
        help_text=_("Leave empty for the bureau's own group."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=[(c.value, c.label) for c in ROBOT_CHANNELS])
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("e.g. 汉寿县网站工作群"))
    url = models.URLField(_("webhook address"), max_length=500)
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_("DingTalk “加签” secret (starts with SEC). Not used by WeCom robots."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    auth_failures = models.PositiveIntegerField(_("consecutive refusals"), default=0, editable=False)
    disabled_reason = models.CharField(_("why it was switched off"), max_length=300, blank=True, editable=False)
    # Rate window: the robot's row is locked to take a slot, so two workers cannot both send the 21st message.
    window_start = models.DateTimeField(null=True, blank=True, editable=False)
    window_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")
        constraints = [models.UniqueConstraint(fields=["team", "kind", "url"], name="notifications_robot_unique")]

    def __str__(self) -> str:
        where = self.team.name if self.team_id else _("Bureau")
        return f"{where} · {self.get_kind_display()}{' · ' + self.name if self.name else ''}"

    def clean(self):
        from .validation import validate_robot

        validate_robot(kind=self.kind, url=self.url, secret=self.secret.strip())
        self.secret = self.secret.strip()
        if self.is_active and self.disabled_reason:  # switched on again after a correction: a fresh count
            self.auth_failures, self.disabled_reason = 0, ""


class Delivery(models.Model):
    """One attempt-tracked send of an event on one outward channel, to a person or a team's robot."""

    # Written by the thousand per event: no reference-index job per row (see lms.AuditEvent).
    wagtail_reference_index_ignore = True

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries", verbose_name=_("notification")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("recipient")
    )
    robot = models.ForeignKey(
        RobotWebhook, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries", verbose_name=_("robot")
    )
    team = models.ForeignKey(
        CountyTeam, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("county team")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, db_index=True)
    event = models.CharField(_("event"), max_length=64, db_index=True)
    event_key = models.CharField(_("event key"), max_length=200)
    # Robot deliveries have no inbox row: they keep what to render themselves.
    context = models.JSONField(_("context"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_try_at = models.DateTimeField(_("next try"), db_index=True)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True)
    error_code = models.CharField(_("channel's error code"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_try_at"], name="notif_delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.event} · {self.get_status_display()}"


class EventPolicy(models.Model):
    """What the bureau decides about one event type: mandatory for everyone, robots on/off, the SMS template id."""

    event = models.CharField(_("event"), max_length=64, unique=True)
    mandatory = models.BooleanField(
        _("mandatory"), default=False, help_text=_("People cannot switch off e-mail and SMS for this event.")
    )
    robots = models.BooleanField(_("post to group robots"), default=True)
    sms_template_code = models.CharField(
        _("SMS template id"),
        max_length=64,
        blank=True,
        help_text=_("The template id approved by the SMS provider, e.g. SMS_123456789. Empty: no SMS for this event."),
    )

    class Meta:
        verbose_name = _("event policy")
        verbose_name_plural = _("event policies")
        ordering = ["event"]

    def __str__(self) -> str:
        from .events import get_event

        definition = get_event(self.event)
        return str(definition.label) if definition else self.event


class Preference(models.Model):
    """A person's choice for one event type and channel (no row: the event's default)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences")
    event = models.CharField(max_length=64)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    enabled = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "event", "channel"], name="notifications_preference_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.event} · {self.channel} · {'on' if self.enabled else 'off'}"
