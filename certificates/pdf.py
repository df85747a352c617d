"""The certificate PDF: HTML from a template, rendered by WeasyPrint with a CJK font and an inline QR code.

The renderer fetches nothing from the network: `LockedURLFetcher` serves only files under our own static
folder and MEDIA_ROOT. A bulk run reuses one `CertificateRenderer` (the parsed stylesheet and the font
configuration), which is most of the fixed cost of a render.

WeasyPrint is imported on first render, not with this module: importing it costs about half a second
and 20 MiB, and every web process imports the certificate services, while only the task worker (and
the rare re-render by hand) draws PDFs.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)
# WeasyPrint logs every rendering step at INFO; a bulk run would flood the log with them.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

STATIC_DIR = Path(__file__).resolve().parent / "static" / "certificates"
STYLESHEET = STATIC_DIR / "certificate.css"


@functools.cache
def _locked_fetcher_class():
    from weasyprint.urls import URLFetcher

    class LockedURLFetcher(URLFetcher):
        """Serves `file:` URLs under the allowed folders and nothing else (no http, no other files).

        Refused URLs raise a plain error: WeasyPrint then leaves the resource out and keeps rendering.
        """

        def __init__(self, allowed_roots: list[Path]):
            super().__init__(allowed_protocols={"file"}, allow_redirects=False)
            self.allowed_roots = [Path(root).resolve() for root in allowed_roots]

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                logger.warning("Certificate renderer refused %s", url[:200])
                raise ValueError(f"Refused by the certificate renderer: {url[:200]}")
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in self.allowed_roots):
                logger.warning("Certificate renderer refused %s", url[:200])
                raise ValueError(f"Refused by the certificate renderer: {url[:200]}")
            return super().fetch(url, headers)

    return LockedURLFetcher


def __getattr__(name: str):
    # `pdf.LockedURLFetcher` is made on first use, with WeasyPrint (see the module docstring).
    if name == "LockedURLFetcher":
        return _locked_fetcher_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class CertificateData:
    """Everything printed on a certificate; plain values so bulk renders and benchmarks need no database."""

    holder_name: str
    team_name: str
    programme_name: str
    title: str
    statement: str
    issuer: str
    issued_on: date
    expires_on: date | None
    serial: str
    verification_url: str
    template: str = "classic"
    verification_code: str = ""

    @property
    def grouped_code(self) -> str:
        """The code in groups of four, easier to type from paper (the lookup ignores the dashes)."""
        return "-".join(self.verification_code[i : i + 4] for i in range(0, len(self.verification_code), 4))


def data_for(certificate) -> CertificateData:
    programme = certificate.programme
    with translation.override("zh-hans"):
        statement = programme.statement or _(
            "has completed every required course of “%(programme)s” and passed the assessment."
        ) % {"programme": programme.name}
    local = lambda value: value and value.astimezone(_tz()).date()  # noqa: E731
    return CertificateData(
        holder_name=certificate.holder_name,
        team_name=certificate.team.name if certificate.team_id else "",
        programme_name=programme.name,
        title=programme.certificate_title,
        statement=statement,
        issuer=programme.issuer_name,
        issued_on=local(certificate.issued_at),
        expires_on=local(certificate.expires_at),
        serial=certificate.serial,
        verification_url=certificate.verification_url,
        template=programme.template,
        verification_code=certificate.verification_code,
    )


def _tz():
    from django.utils import timezone

    return timezone.get_default_timezone()


_CHINESE_DIGITS = "〇一二三四五六七八九"


def chinese_date(value: date) -> str:
    """二〇二六年十一月二十五日: how an official document writes the date of issue."""

    def number(n: int) -> str:
        if n < 10:
            return _CHINESE_DIGITS[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CHINESE_DIGITS[tens]) + "十" + (_CHINESE_DIGITS[ones] if ones else "")

    year = "".join(_CHINESE_DIGITS[int(d)] for d in str(value.year))
    return f"{year}年{number(value.month)}月{number(value.day)}日"


def qr_svg(url: str) -> str:
    """The verification URL as an inline SVG QR code (medium error correction survives a worn print)."""
    return segno.make(url, error="m").svg_inline(scale=1, border=0, omitsize=True, dark="#1a1a1a")


def certificate_html(data: CertificateData) -> str:
    """The certificate as HTML. The template escapes every value, so a name is always text, never markup."""
    with translation.override("zh-hans"):
        return render_to_string(
            "certificates/pdf/certificate.html",
            {
                "c": data,
                "issued_on_chinese": chinese_date(data.issued_on),
                "qr_svg": qr_svg(data.verification_url),
            },
        )


class CertificateRenderer:
    """Renders certificates; keep one per process or thread for a bulk run (not thread-safe)."""

    def __init__(self):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.font_config = FontConfiguration()
        self.url_fetcher = _locked_fetcher_class()([STATIC_DIR, Path(settings.MEDIA_ROOT)])
        self.stylesheets = [CSS(filename=str(STYLESHEET), font_config=self.font_config, url_fetcher=self.url_fetcher)]

    def render_html(self, html: str) -> bytes:
        from weasyprint import HTML

        document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=self.url_fetcher)
        return document.write_pdf(stylesheets=self.stylesheets, font_config=self.font_config)

    def render(self, data: CertificateData) -> bytes:
        return self.render_html(certificate_html(data))


_local = threading.local()


def renderer() -> CertificateRenderer:
    """This thread's renderer, created on first use."""
    current = getattr(_local, "renderer", None)
    if current is None:
        current = _local.renderer = CertificateRenderer()
    return current


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
