"""The public verification pages (no login): look up a code, check an uploaded PDF against its hash."""

from __future__ import annotations

import hashlib

from django import forms
from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import selectors
from .ratelimit import limited

MAX_PDF_BYTES = 5 * 1024 * 1024


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Verification code"), max_length=40, strip=True)


class PdfForm(forms.Form):
    pdf = forms.FileField(label=gettext_lazy("Certificate PDF"))

    def clean_pdf(self):
        upload = self.cleaned_data["pdf"]
        if upload.size > MAX_PDF_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB; a certificate PDF is far smaller."))
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("This file is not a PDF."))
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        return digest.hexdigest()


def too_many(request):
    response = render(request, "certificates/verify_limited.html", status=429)
    response["Retry-After"] = "60"
    return response


@limited("verify", setting="CERTIFICATE_VERIFY_RATE", default=30, on_limit=too_many)
def verify_index(request):
    """Enter a code (or upload a PDF) to check a certificate."""
    code_form, pdf_form, pdf_result = CodeForm(request.GET or None), PdfForm(), None
    if request.method == "POST":
        pdf_form = PdfForm(request.POST, request.FILES)
        if pdf_form.is_valid():
            pdf_result = selectors.match_pdf(sha256=pdf_form.cleaned_data["pdf"])
            pdf_form = PdfForm()
    elif request.GET and code_form.is_valid():
        certificate = selectors.find_by_code(code_form.cleaned_data["code"])
        if certificate is not None:
            return redirect(certificate.verification_path)
        return render(
            request,
            "certificates/verify_index.html",
            {"code_form": code_form, "pdf_form": pdf_form, "not_found": True},
            status=404,
        )
    return render(
        request, "certificates/verify_index.html", {"code_form": code_form, "pdf_form": pdf_form, "pdf_result": pdf_result}
    )


@limited("verify", setting="CERTIFICATE_VERIFY_RATE", default=30, on_limit=too_many)
def verify_certificate(request, code: str):
    """What the QR code opens: the certificate's public facts, and a PDF check."""
    certificate = selectors.find_by_code(code)
    if certificate is None:
        # The same plain page for every unknown code: nothing about why or whether something is close.
        return render(
            request,
            "certificates/verify_index.html",
            {"code_form": CodeForm(), "pdf_form": PdfForm(), "not_found": True},
            status=404,
        )
    pdf_form, pdf_result = PdfForm(), None
    if request.method == "POST":
        pdf_form = PdfForm(request.POST, request.FILES)
        if pdf_form.is_valid():
            pdf_result = selectors.match_pdf(sha256=pdf_form.cleaned_data["pdf"], certificate=certificate)
            pdf_form = PdfForm()
    return render(
        request,
        "certificates/verify_certificate.html",
        {
            "certificate": certificate,
            "status": certificate.display_status(),
            "masked_name": selectors.mask_name(certificate.holder_name),
            "successor": selectors.successor_of(certificate),
            "pdf_form": pdf_form,
            "pdf_result": pdf_result,
            "site_url": settings.SITE_URL,
        },
    )
