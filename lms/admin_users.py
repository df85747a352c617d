"""The Wagtail user admin, showing our fields: Chinese full name, phone, employee number."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .models import User

PERSON_FIELDS = ("full_name", "phone", "employee_no")


class AcademyUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = {User.USERNAME_FIELD, "email", "is_superuser", "groups", *PERSON_FIELDS}
        widgets = {"groups": forms.CheckboxSelectMultiple}


class AcademyUserEditForm(UserEditForm):
    class Meta(UserEditForm.Meta):
        model = User
        fields = {User.USERNAME_FIELD, "email", "is_active", "is_superuser", "groups", *PERSON_FIELDS}
        widgets = {"groups": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].help_text = _("As on an ID card, e.g. 张伟")


class UserViewSet(WagtailUserViewSet):
    create_template_name = "lms/admin/users/create.html"
    edit_template_name = "lms/admin/users/edit.html"

    def get_form_class(self, for_update=False):
        return AcademyUserEditForm if for_update else AcademyUserCreationForm
