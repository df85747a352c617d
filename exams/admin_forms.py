"""Admin forms: the sitting's teams and people limited to what the signed-in person may schedule, and
its save going through `services.schedule_sitting` (which checks the same rules again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateTimeInput

from . import permissions, services


class SittingForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None:
            # A crafted POST naming another team fails here ("not one of the available choices"),
            # and again in the service.
            self.fields["teams"].queryset = permissions.schedulable_teams(user).order_by("sort_order", "code")
            self.fields["people"].queryset = permissions.schedulable_people(user).order_by("username")

    def clean(self):
        cleaned = super().clean()
        if self.for_user is not None and not self.errors:
            errors = services.scope_errors(
                actor=self.for_user, teams=cleaned.get("teams") or [], people=cleaned.get("people") or []
            )
            for name, message in errors.items():
                self.add_error(None if name == "__all__" else name, message)
            if not cleaned.get("teams") and not cleaned.get("people") and not self.instance.parent_id:
                self.add_error("teams", _("Invite at least one team or person."))
        return cleaned

    def save(self, commit=True):
        sitting = super().save(commit=False)
        return services.schedule_sitting(
            actor=self.for_user,
            sitting=sitting,
            teams=self.cleaned_data.get("teams") or [],
            people=self.cleaned_data.get("people") or [],
        )


class MakeupForm(forms.Form):
    title = forms.CharField(
        label=_("title"), max_length=200, required=False, help_text=_("Empty: the sitting's title with “make-up”.")
    )
    opens_at = forms.DateTimeField(label=_("opens"), widget=AdminDateTimeInput)
    latest_entry_at = forms.DateTimeField(label=_("latest entry"), widget=AdminDateTimeInput, required=False)
    closes_at = forms.DateTimeField(label=_("closes"), widget=AdminDateTimeInput)
