"""我的消息 (the inbox), mark read, and per-event channel preferences. Thin: parse, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import PreferencesForm
from .rendering import render as render_event


@login_required
def inbox(request):
    page = Paginator(selectors.inbox(request.user), 20).get_page(request.GET.get("page"))
    items = [(n, render_event(n.event, n.context, fmt="text", link=n.link, language=request.LANGUAGE_CODE)) for n in page]
    return render(request, "notifications/inbox.html", {"page": page, "items": items})


@require_POST
@login_required
def read(request, pk: int):
    notification = services.mark_read(user=request.user, notification_id=pk)
    if notification is None:
        raise Http404
    if (
        request.POST.get("open")
        and notification.link
        and url_has_allowed_host_and_scheme(
            notification.link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return redirect(notification.link)
    return redirect("notifications:inbox")


@require_POST
@login_required
def read_all(request):
    count = services.mark_all_read(user=request.user)
    messages.success(request, _("%(count)d messages marked read.") % {"count": count})
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    events = selectors.events_for(request.user)
    form_kwargs = {
        "current": selectors.current_preferences(request.user, events),
        "mandatory": selectors.mandatory_events(),
        "events": events,
    }
    if request.method == "POST":
        form = PreferencesForm(request.POST, **form_kwargs)
        if form.is_valid():
            services.set_preferences(user=request.user, choices=form.choices())
            messages.success(request, _("Your notification settings were saved."))
            return redirect("notifications:preferences")
    else:
        form = PreferencesForm(**form_kwargs)
    return render(request, "notifications/preferences.html", {"form": form})
