"""A team's certificates as one ZIP: every live PDF plus an index the bureau opens in Excel."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

from django.core.files.storage import default_storage
from django.utils import timezone

from lms.names import filename_part

from .models import Certificate
from .qualification.exports import Sheet, to_csv

INDEX_HEADERS = ["证书编号", "姓名", "项目", "发证日期", "有效期至", "状态", "SHA-256"]


def entry_name(certificate: Certificate) -> str:
    """The serial keeps entries unique; the name is only a readable hint, made safe as a file name (a holder
    name such as ../../x or 甲/乙 must not place the entry outside the extraction folder)."""
    return f"{certificate.serial}-{filename_part(certificate.holder_name)}.pdf"


def team_archive(certificates: Iterable[Certificate]) -> bytes:
    """The ZIP of these certificates (each with its PDF stored) and index.csv, formula-safe like every export."""
    certificates = list(certificates)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            with default_storage.open(certificate.pdf.name, "rb") as handle:
                archive.writestr(entry_name(certificate), handle.read())
        rows = [_index_row(certificate) for certificate in certificates]
        archive.writestr("index.csv", to_csv(Sheet(title="index", headers=INDEX_HEADERS, rows=rows, widths=[])))
    return buffer.getvalue()


def _index_row(certificate: Certificate) -> list:
    expires = timezone.localtime(certificate.expires_at).date().isoformat() if certificate.expires_at else ""
    return [
        certificate.serial,
        certificate.holder_name,
        certificate.programme.name,
        timezone.localtime(certificate.issued_at).date().isoformat(),
        expires,
        str(certificate.get_display_status_label()),
        certificate.sha256,
    ]
