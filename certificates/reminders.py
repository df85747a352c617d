"""Expiry reminder e-mails, sent by `manage.py send_expiry_reminders` (run it daily from cron or a timer)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import selectors
from .models import Certificate

# Reminders go out when a certificate enters each of these windows (days before expiry).
REMINDER_DAYS = (60, 14)


def reminder_due(certificate: Certificate, *, now: datetime, days_before=REMINDER_DAYS) -> bool:
    """Due when a window has opened since the last reminder (one e-mail per window, however often we run)."""
    for days in sorted(days_before):
        opened = certificate.expires_at - timedelta(days=days)
        if opened <= now and (certificate.reminder_sent_at is None or certificate.reminder_sent_at < opened):
            return True
    return False


def send_expiry_reminders(*, now: datetime | None = None, days_before=REMINDER_DAYS, dry_run: bool = False) -> list[Certificate]:
    """E-mail each holder whose certificate is about to expire; returns the certificates reminded."""
    now = now or timezone.now()
    sent = []
    for certificate in selectors.expiring_within(days=max(days_before), now=now):
        if not certificate.holder.email or not reminder_due(certificate, now=now, days_before=days_before):
            continue
        if dry_run:
            sent.append(certificate)
            continue
        with transaction.atomic():
            locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
            if not reminder_due(locked, now=now, days_before=days_before):
                continue
            with translation.override(settings.LANGUAGE_CODE):
                context = {"certificate": certificate, "days": (certificate.expires_at - now).days, "site_url": settings.SITE_URL}
                subject = _("Your certificate “%(programme)s” expires on %(date)s") % {
                    "programme": certificate.programme.name,
                    "date": timezone.localtime(certificate.expires_at).date().isoformat(),
                }
                body = render_to_string("certificates/email/expiry_reminder.txt", context)
            send_mail(subject, body, None, [certificate.holder.email])
            locked.reminder_sent_at = now
            locked.save(update_fields=["reminder_sent_at"])
        sent.append(certificate)
    return sent
