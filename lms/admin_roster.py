"""The roster import page in the Wagtail admin: upload, preview with per-row errors, apply."""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import permissions, roster

SESSION_KEY = "lms_roster_upload"


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Roster file"),
        help_text=gettext_lazy("An .xlsx or .csv file with the columns 姓名, 手机号 or 工号, 区县, 岗位, 邮箱."),
    )


def _template_workbook() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    sheet.append(["姓名", "手机号", "工号", "区县", "岗位", "邮箱"])
    sheet.append(["张伟", "13907360001", "", "汉寿县", "网站管理员", "zhangwei@example.cn"])
    for column, width in zip("ABCDEF", (12, 16, 12, 14, 16, 26), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster_import(request):
    if not permissions.can_manage_rosters(request.user):
        raise PermissionDenied
    if request.GET.get("template"):
        response = HttpResponse(
            _template_workbook(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = "attachment; filename*=UTF-8''roster-template.xlsx"
        return response
    context = {"form": RosterUploadForm(), "preview": None, "filename": ""}
    if request.method == "POST" and request.POST.get("action") == "apply":
        stored = request.session.get(SESSION_KEY)
        if not stored:
            messages.error(request, _("The uploaded roster has expired; upload it again."))
            return redirect("lms_roster_import")
        try:
            result = roster.apply_roster(
                rows=roster.rows_from_dicts(stored["rows"]), actor=request.user, source=stored["filename"]
            )
        except roster.RosterFileError as error:
            messages.error(request, str(error))
            return redirect("lms_roster_import")
        del request.session[SESSION_KEY]
        messages.success(
            request,
            _("Roster imported: %(created)s new, %(updated)s updated, %(reactivated)s back, %(deactivated)s deactivated.")
            % vars(result),
        )
        return redirect("lms_roster_import")
    if request.method == "POST":
        form = RosterUploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > roster.MAX_BYTES:
                    raise roster.RosterFileError(_("The file is larger than 5 MB; split the roster by county."))
                rows = roster.read_rows(upload.read(), upload.name)
                checked = roster.preview(rows)
            except roster.RosterFileError as error:
                form.add_error("file", str(error))
            else:
                request.session[SESSION_KEY] = {"filename": upload.name, "rows": [r.as_dict() for r in rows]}
                context.update(preview=checked, filename=upload.name)
    return TemplateResponse(request, "lms/admin/roster_import.html", context)
