"""Forms for handing in work and for a trainer's review."""

from django import forms
from django.utils.translation import gettext_lazy as _

from quizzes.models import SubmissionStatus, TaskKind


class SubmissionForm(forms.Form):
    file = forms.FileField(label=_("File"), required=False)
    link = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        if task.kind == TaskKind.IMAGE:
            del self.fields["link"], self.fields["text"]
            self.fields["file"].label = _("Processed picture (JPEG, PNG or WebP)")
            self.fields["file"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"
        elif task.kind == TaskKind.REVIEWED:
            for name, wanted in (("file", task.accept_file), ("link", task.accept_link), ("text", task.accept_text)):
                if not wanted:
                    del self.fields[name]
        else:
            del self.fields["file"], self.fields["link"], self.fields["text"]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return for revision"))])
    feedback = forms.CharField(label=_("Feedback to the trainee"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(task.rubric_criteria.all())
        for criterion in self.criteria:
            choices = [("", "—")] + [(name, f"{name}（{points}）") for name, points in criterion.levels()]
            self.fields[f"level_{criterion.pk}"] = forms.ChoiceField(label=criterion.title, choices=choices, required=False,
                                                                      help_text=criterion.description)

    def levels(self) -> dict[str, str]:
        return {str(c.pk): self.cleaned_data.get(f"level_{c.pk}", "") for c in self.criteria}


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All"))] + list(SubmissionStatus.choices))
    team = forms.ModelChoiceField(label=_("County team"), required=False, queryset=None, empty_label=_("All teams"))
    task = forms.ModelChoiceField(label=_("Task"), required=False, queryset=None, empty_label=_("All tasks"))
    unsupervised = forms.BooleanField(label=_("Only teams without a supervising trainer"), required=False)

    def __init__(self, *args, teams, tasks, oversees_all: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["task"].queryset = tasks
        if not oversees_all:
            # Only the bureau sees teams beyond its own supervision; for a trainer the filter would be empty.
            del self.fields["unsupervised"]
