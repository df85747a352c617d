from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The username or password is not right. Both are case-sensitive."),
        "inactive": _("This account has been deactivated. Ask your bureau administrator."),
    }

    def get_invalid_login_error(self):
        # A sign-in method that refused for a reason the person should know (e.g. single sign-on: not on
        # the training roster) leaves its message on the request; otherwise the usual wrong-password text.
        refusal = getattr(self.request, "login_refusal", None)
        if refusal:
            return ValidationError(refusal, code="refused")
        return super().get_invalid_login_error()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
