from django import forms
from django.utils.translation import gettext_lazy as _

from lms.models import CountyTeam


class RegisterSiteForm(forms.Form):
    team = forms.ModelChoiceField(label=_("County team"), queryset=CountyTeam.objects.filter(is_active=True))
    name = forms.CharField(label=_("Site name"), max_length=100, required=False)
    base_url = forms.URLField(label=_("Home page address"), max_length=300, assume_scheme="https")
    allow_internal = forms.BooleanField(label=_("Allow internal addresses"), required=False)
