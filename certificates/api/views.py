from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from certificates import selectors
from certificates.ratelimit import client_of, hit

from .serializers import MyCertificateSerializer, PublicCertificateSerializer


class VerifyCertificateView(APIView):
    """Public, no login: the certificate with this verification code. Rate-limited per client address."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        responses={200: PublicCertificateSerializer, 404: inline_serializer("NotFound", {"detail": serializers.CharField()})},
        examples=[
            OpenApiExample(
                "A valid certificate",
                value={
                    "serial": "CD-2026-000123",
                    "holder": "张*伟",
                    "programme": "常德市商务网站管理员资格",
                    "team": "汉寿县",
                    "issuer": "常德市商务局",
                    "status": "valid",
                    "issued_on": "2026-11-25",
                    "expires_on": "2028-11-25",
                    "revoked_on": None,
                    "sha256": "9f2c…",
                },
                response_only=True,
            )
        ],
    )
    def get(self, request, code: str):
        from django.conf import settings

        if not hit(scope="verify", client=client_of(request), limit=getattr(settings, "CERTIFICATE_VERIFY_RATE", 30)):
            return Response({"detail": _("Too many lookups; try again in a minute.")}, status=429, headers={"Retry-After": "60"})
        certificate = selectors.find_by_code(code)
        if certificate is None:
            return Response({"detail": _("Not found.")}, status=404)
        return Response(PublicCertificateSerializer(certificate).data)


class MyCertificatesView(APIView):
    """The signed-in user's certificates, with links to the PDF and the Open Badges 3.0 JSON."""

    @extend_schema(responses=MyCertificateSerializer(many=True))
    def get(self, request):
        return Response(MyCertificateSerializer(selectors.my_certificates(user=request.user), many=True).data)
