"""Certificates issued (with the verification link) and revoked, heard through the audit log."""

from __future__ import annotations

from django.urls import reverse

from . import audit


def _certificate(event):
    from certificates.models import Certificate

    return Certificate.objects.select_related("holder", "programme", "team").filter(pk=event.object_id).first()


@audit.on_action("certificate.issue")
def issued(event) -> None:
    from ..services import notify

    certificate = _certificate(event)
    if certificate is None:
        return
    notify(
        "certificate.issued",
        [certificate.holder],
        {
            "name": certificate.holder_name,
            "programme": certificate.programme.name,
            "serial": certificate.serial,
            "verify_url": certificate.verification_url,
        },
        key=f"certificate.issue:{certificate.pk}",
        team=certificate.team,
        link=reverse("certificates:mine"),
    )


@audit.on_action("certificate.revoke")
def revoked(event) -> None:
    from ..services import notify

    certificate = _certificate(event)
    if certificate is None:
        return
    notify(
        "certificate.revoked",
        [certificate.holder],
        {
            "name": certificate.holder_name,
            "programme": certificate.programme.name,
            "serial": certificate.serial,
            "reason": event.note,
        },
        key=f"certificate.revoke:{certificate.pk}",
        link=reverse("certificates:mine"),
    )


def connect() -> None:
    audit.connect()
