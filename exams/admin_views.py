"""The admin action 创建补考: schedule a make-up of a closed sitting for those who were absent or failed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from . import permissions, selectors, services
from .admin_forms import MakeupForm
from .models import ExamSitting


def create_makeup(request, sitting_id: int):
    sitting = get_object_or_404(ExamSitting.objects.select_related("quiz", "parent"), pk=sitting_id)
    root = sitting.parent or sitting
    if not permissions.can_manage_sitting(request.user, root):
        raise Http404
    form = MakeupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            makeup = services.create_makeup(
                actor=request.user,
                sitting=sitting,
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                latest_entry_at=data["latest_entry_at"],
                title=data["title"],
            )
        except services.SittingError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(
                request,
                _("Make-up “%(title)s” scheduled for %(n)d people.") % {"title": makeup.title, "n": makeup.people.count()},
            )
            return redirect("wagtailsnippets_exams_examsitting:list")
    services.open_sitting(sitting=root)  # a sitting nobody visited has its invitations computed now
    chain = selectors.sitting_chain(root)
    return TemplateResponse(
        request,
        "exams/admin/makeup.html",
        {
            "sitting": root,
            "chain": chain,
            "form": form,
            "candidates": len(selectors.not_passed_in_chain(root)) if root.invitations_at else None,
        },
    )
