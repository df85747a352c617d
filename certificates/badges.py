"""Open Badges 3.0 export: one certificate as an `OpenBadgeCredential` (a W3C verifiable credential).

Unsigned for now (no `proof`): a verifier checks it against the verification URL in `id`.
"""

from __future__ import annotations

from datetime import UTC

from django.conf import settings

from .models import Certificate

CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


def _iso(value) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def credential_for(certificate: Certificate) -> dict:
    programme = certificate.programme
    courses = ", ".join(str(title) for title in programme.required_courses.order_by("path").values_list("title", flat=True))
    credential = {
        "@context": CONTEXT,
        "id": certificate.verification_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{programme.name} · {certificate.serial}",
        "issuer": {
            "id": f"{settings.SITE_URL}/",
            "type": ["Profile"],
            "name": programme.issuer_name,
            "url": f"{settings.SITE_URL}/",
        },
        "validFrom": _iso(certificate.issued_at),
        "awardedDate": _iso(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {"type": "IdentityObject", "hashed": False, "identityHash": certificate.holder_name, "identityType": "name"}
            ],
            "licenseNumber": certificate.serial,
            "achievement": {
                "id": f"urn:webmaster-academy:programme:{programme.slug}",
                "type": ["Achievement"],
                "achievementType": "Certification",
                "name": programme.name,
                "description": programme.description or programme.name,
                "criteria": {"narrative": f"完成规定课程：{courses}。" if courses else programme.name},
                "inLanguage": "zh-CN",
            },
        },
    }
    if certificate.expires_at:
        credential["validUntil"] = _iso(certificate.expires_at)
    return credential
