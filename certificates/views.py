"""Signed-in pages: my certificates, downloads, and the bureau's certificate management."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lms import permissions
from lms.models import CountyTeam, User
from lms.names import validate_person_name

from . import archives, badges, jobs, selectors, services
from .models import BulkJob, Certificate, DisplayStatus, Programme


def _certificate_for(request, pk: int) -> Certificate:
    certificate = get_object_or_404(selectors.certificates_for_list(), pk=pk)
    if not permissions.can_view_certificate(request.user, certificate):
        # 404, not 403: whether a certificate exists is none of this viewer's business.
        raise Http404
    return certificate


def _ensure_pdf(certificate: Certificate) -> Certificate:
    if not certificate.sha256 or not certificate.pdf or not default_storage.exists(certificate.pdf.name):
        certificate = services.render_certificate(certificate=certificate)
    return certificate


@login_required
def my_certificates(request):
    return render(request, "certificates/my_certificates.html", {"certificates": selectors.my_certificates(user=request.user)})


@login_required
def certificate_pdf(request, pk: int):
    certificate = _ensure_pdf(_certificate_for(request, pk))
    response = FileResponse(default_storage.open(certificate.pdf.name, "rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.serial}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def certificate_badge(request, pk: int):
    certificate = _certificate_for(request, pk)
    response = JsonResponse(badges.credential_for(certificate), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Type"] = "application/ld+json; charset=utf-8"
    response["Content-Disposition"] = f'attachment; filename="{certificate.serial}.openbadge.json"'
    return response


# --- The bureau ----------------------------------------------------------------------------------------


def _bureau_only(request) -> None:
    if not permissions.can_manage_certificates(request.user):
        raise PermissionDenied


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (kept on record; the public page only says “revoked”)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={
            "required": gettext_lazy("Give a reason for the revocation."),
            "max_length": gettext_lazy("The reason may be at most %(limit_value)d characters long (it has %(show_value)d)."),
        },
    )


class RenameForm(forms.Form):
    holder_name = forms.CharField(
        label=gettext_lazy("Corrected name"),
        max_length=100,
        validators=[validate_person_name],
        error_messages={
            "required": gettext_lazy("The name cannot be empty."),
            "max_length": gettext_lazy("The name may be at most %(limit_value)d characters long (it has %(show_value)d)."),
        },
    )


def _form_errors(form: forms.Form) -> str:
    """Every error the form found, as its fields said them: one fixed message would hide what is wrong."""
    return " ".join(message for errors in form.errors.values() for message in errors)


class IssueForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=gettext_lazy("Programme"), queryset=Programme.objects.filter(is_active=True), empty_label=None
    )
    username = forms.CharField(label=gettext_lazy("Username of the trainee"), max_length=150)

    def clean_username(self):
        user = User.objects.filter(username=self.cleaned_data["username"].strip(), is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user with this username."))
        return user


class BulkForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Task"), choices=BulkJob.Kind.choices)
    programme = forms.ModelChoiceField(
        label=gettext_lazy("Programme"), queryset=Programme.objects.filter(is_active=True), empty_label=None
    )
    team = forms.ModelChoiceField(
        label=gettext_lazy("County team (issue only; empty: all)"),
        queryset=CountyTeam.objects.all(),
        required=False,
        empty_label=gettext_lazy("All teams"),
    )


@login_required
def manage_list(request):
    _bureau_only(request)
    q, status = request.GET.get("q", ""), request.GET.get("status", "")
    programme, team = request.GET.get("programme", ""), request.GET.get("team", "")
    rows = selectors.search_certificates(
        queryset=selectors.certificates_for_list(), q=q, status=status, programme=programme, team=team
    )
    page = Paginator(rows.order_by("-issued_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "certificates/manage_list.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "programme": programme,
            "team": team,
            "statuses": DisplayStatus.choices,
            "programmes": Programme.objects.all(),
            "teams": CountyTeam.objects.all(),
            "issue_form": IssueForm(),
            "bulk_form": BulkForm(),
            "jobs": BulkJob.objects.select_related("programme", "team")[:5],
        },
    )


@login_required
def manage_detail(request, pk: int):
    _bureau_only(request)
    certificate = get_object_or_404(selectors.certificates_for_list(), pk=pk)
    return render(
        request,
        "certificates/manage_detail.html",
        {
            "certificate": certificate,
            "status": certificate.display_status(),
            "revoke_form": RevokeForm(),
            "rename_form": RenameForm(initial={"holder_name": certificate.holder_name}),
            "versions": certificate.pdf_versions.all()[:10],
        },
    )


@login_required
@require_POST
def manage_revoke(request, pk: int):
    _bureau_only(request)
    certificate = get_object_or_404(Certificate, pk=pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("certificates:manage_detail", pk=pk)
    try:
        services.revoke_certificate(certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"])
    except services.CertificateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Certificate %(serial)s revoked.") % {"serial": certificate.serial})
    return redirect("certificates:manage_detail", pk=pk)


@login_required
@require_POST
def manage_rerender(request, pk: int):
    _bureau_only(request)
    certificate = get_object_or_404(selectors.certificates_for_list(), pk=pk)
    form = RenameForm(request.POST)
    try:
        if "holder_name" in request.POST:
            if not form.is_valid():
                raise services.CertificateError(_form_errors(form))
            certificate = services.correct_holder_name(
                certificate=certificate, holder_name=form.cleaned_data["holder_name"], actor=request.user
            )
        services.render_certificate(certificate=certificate, actor=request.user)
    except services.CertificateError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("A new PDF was made for %(serial)s; the serial is unchanged.") % {"serial": certificate.serial}
        )
    return redirect("certificates:manage_detail", pk=pk)


@login_required
@require_POST
def manage_issue(request):
    _bureau_only(request)
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("certificates:manage_list")
    try:
        certificate = services.issue_certificate(
            holder=form.cleaned_data["username"], programme=form.cleaned_data["programme"], actor=request.user, manual=True
        )
    except services.CertificateError as error:
        messages.error(request, str(error))
        return redirect("certificates:manage_list")
    services.render_certificate(certificate=certificate, actor=request.user)
    messages.success(request, _("Certificate %(serial)s issued.") % {"serial": certificate.serial})
    return redirect("certificates:manage_detail", pk=certificate.pk)


@login_required
@require_POST
def manage_bulk(request):
    _bureau_only(request)
    form = BulkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("certificates:manage_list")
    data = form.cleaned_data
    job = jobs.create_job(
        kind=data["kind"],
        actor=request.user,
        programme=data["programme"],
        team=data["team"] if data["kind"] == BulkJob.Kind.ISSUE else None,
        since=timezone.now() if data["kind"] == BulkJob.Kind.RENDER else None,
    )
    jobs.start_job(job)
    return redirect("certificates:manage_job", pk=job.pk)


@login_required
def manage_job(request, pk: int):
    _bureau_only(request)
    job = get_object_or_404(BulkJob.objects.select_related("programme", "team", "created_by"), pk=pk)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {"state": job.state, "done": job.done, "total": job.total, "changed": job.changed, "percent": job.percent}
        )
    return render(request, "certificates/manage_job.html", {"job": job})


@login_required
def team_zip(request, code: str):
    """Every live certificate of a team as PDFs in one ZIP, with a CSV index (names in Chinese)."""
    _bureau_only(request)
    team = get_object_or_404(CountyTeam, code=code)
    certificates = [
        _ensure_pdf(c) for c in selectors.certificates_for_list().filter(team=team, status="valid").order_by("serial")
    ]
    response = HttpResponse(archives.team_archive(certificates), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="certificates-{team.code}.zip"'
    return response
