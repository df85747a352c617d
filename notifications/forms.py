"""The preferences form: one checkbox per event type × personal channel."""

from __future__ import annotations

from django import forms

from .events import EVENTS
from .models import PERSONAL_CHANNELS


def field_name(event: str, channel: str) -> str:
    return f"{event}__{channel}"


class PreferencesForm(forms.Form):
    def __init__(self, *args, current: dict[tuple[str, str], bool], mandatory: set[str], events, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for event in events:
            cells = []
            for channel in PERSONAL_CHANNELS:
                name = field_name(event.code, channel)
                locked = event.code in mandatory
                self.fields[name] = forms.BooleanField(
                    required=False,
                    initial=current[(event.code, channel)],
                    disabled=locked,
                    label=f"{event.label} · {channel.label}",
                )
                cells.append(self[name])
            self.rows.append((event, event.code in mandatory, cells))

    def choices(self) -> dict[tuple[str, str], bool]:
        return {
            (code, channel.value): bool(self.cleaned_data.get(field_name(code, channel)))
            for code in EVENTS
            for channel in PERSONAL_CHANNELS
            if field_name(code, channel) in self.fields and not self.fields[field_name(code, channel)].disabled
        }
