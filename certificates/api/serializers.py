from django.utils import timezone
from rest_framework import serializers

from certificates import selectors
from certificates.models import Certificate


class PublicCertificateSerializer(serializers.ModelSerializer):
    """What anyone with the code may see: the name partly masked, no reason for a revocation."""

    holder = serializers.SerializerMethodField(help_text="Holder's name, partly masked (张*伟)")
    programme = serializers.CharField(source="programme.name")
    team = serializers.CharField(source="team.name", default="")
    issuer = serializers.CharField(source="programme.issuer_name")
    status = serializers.SerializerMethodField(help_text="valid, expiring, expired, revoked or superseded")
    issued_on = serializers.SerializerMethodField()
    expires_on = serializers.SerializerMethodField()
    revoked_on = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = ["serial", "holder", "programme", "team", "issuer", "status", "issued_on", "expires_on", "revoked_on", "sha256"]

    def get_holder(self, obj) -> str:
        return selectors.mask_name(obj.holder_name)

    def get_status(self, obj) -> str:
        return obj.display_status()

    def _date(self, value):
        return timezone.localtime(value).date().isoformat() if value else None

    def get_issued_on(self, obj) -> str:
        return self._date(obj.issued_at)

    def get_expires_on(self, obj) -> str | None:
        return self._date(obj.expires_at)

    def get_revoked_on(self, obj) -> str | None:
        return self._date(obj.revoked_at)


class MyCertificateSerializer(PublicCertificateSerializer):
    holder = serializers.CharField(source="holder_name")
    verification_url = serializers.CharField(read_only=True)
    pdf_url = serializers.SerializerMethodField()
    badge_url = serializers.SerializerMethodField()

    class Meta(PublicCertificateSerializer.Meta):
        fields = PublicCertificateSerializer.Meta.fields + ["verification_url", "pdf_url", "badge_url"]

    def get_pdf_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("certificates:pdf", args=[obj.pk])

    def get_badge_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("certificates:badge", args=[obj.pk])
