"""Forms: reading a quiz page's answers, and the admin's import and question forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .question_rules import check_question


def answers_from_post(post, layout: list[dict]) -> dict[int, dict]:
    """The answers a quiz page posted, keyed by question id, in the shape services.save_answers takes.

    Fields: q<id> (radio / checkboxes / text); ordering items q<id>_pos_<choice id> = position.
    Values that are not numbers are dropped here; the service checks the rest.
    """
    answers: dict[int, dict] = {}
    for item in layout:
        qid, qtype, offered = item["q"], item["t"], item["choices"]
        key = f"q{qid}"
        if qtype == "short":
            if key in post:
                answers[qid] = {"text": post.get(key, "")[:500]}
        elif qtype == "ordering":
            positions = []
            for index, cid in enumerate(offered):
                raw = post.get(f"{key}_pos_{cid}")
                if raw is None:
                    break
                try:
                    positions.append((int(raw), index, cid))
                except ValueError:
                    positions.append((len(offered) + 1, index, cid))
            if len(positions) == len(offered):
                answers[qid] = {"order": [cid for _pos, _index, cid in sorted(positions)]}
        else:
            chosen = []
            for raw in post.getlist(key):
                try:
                    chosen.append(int(raw))
                except ValueError:
                    continue
            answers[qid] = {"choices": chosen}
    return answers


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Question file"),
        help_text=_("The Excel template (.xlsx, up to 5 MB), Moodle XML (.xml, up to 10 MB, pictures included), GIFT or Aiken (UTF-8 text, up to 2 MB)."),
    )
    fmt = forms.ChoiceField(
        label=_("Format"), required=False,
        choices=[("", _("Recognise from the file")), ("xlsx", _("Excel template (.xlsx)")), ("xml", "Moodle XML"), ("gift", "GIFT"), ("aiken", "Aiken")],
    )
    category = forms.CharField(
        label=_("Import into category"), max_length=400, help_text=_("A path; missing levels are created, e.g. 后台管理/栏目设置")
    )


class QuestionForm(WagtailAdminModelForm):
    """The question editor: checks the options against the question type before anything is saved."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("choices")
        if formset is None or not formset.is_valid():
            return cleaned
        choices = [
            (form.cleaned_data.get("text", ""), form.cleaned_data.get("fraction") or 0)
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        for problem in check_question(qtype=cleaned.get("qtype", ""), choices=choices):
            self.add_error(None, problem)
        return cleaned
