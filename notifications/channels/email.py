"""E-mail through Django's configured backend (SMTP settings from the environment in production)."""

from __future__ import annotations

import smtplib

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .base import FAILED, RETRY, SENT, Outcome


def send_email(
    *, to: str, subject: str, text: str, html_title: str, html_body: str, url: str, link_label: str, message_id: str
) -> Outcome:
    # A Message-ID made from the delivery's idempotency key lets a mail server or client recognise a copy
    # re-sent after a worker died between handing the message over and recording it.
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200],
        body=f"{text}\n\n{link_label}：{url}\n",
        to=[to],
        headers={"Message-ID": f"<{message_id}@webmaster-academy>"},
    )
    message.attach_alternative(
        render_to_string(
            "notifications/email.html", {"title": html_title, "body": html_body, "url": url, "link_label": link_label}
        ),
        "text/html",
    )
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        return Outcome(FAILED, code="recipient_refused", message=str(exc)[:300])
    except smtplib.SMTPAuthenticationError as exc:
        return Outcome(FAILED, code=str(exc.smtp_code), message=str(exc)[:300])
    except smtplib.SMTPResponseException as exc:
        return Outcome(RETRY if 400 <= exc.smtp_code < 500 else FAILED, code=str(exc.smtp_code), message=str(exc)[:300])
    except (smtplib.SMTPException, OSError) as exc:
        return Outcome(RETRY, code=exc.__class__.__name__, message=str(exc)[:300])
    return Outcome(SENT)
