"""The sign-in methods the login pages offer (lms/templates/lms/login.html and the admin's login page)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .conf import enabled, setting


def sign_in_methods(request):
    buttons = []
    if enabled("oidc"):
        buttons.append({"key": "oidc", "label": setting("SSO_OIDC_LABEL") or _("Sign in with unified identity"), "url": reverse("sso:oidc_login")})
    return {
        "sign_in_buttons": buttons,
        "sign_in_directory_note": _("You may also use your directory (LDAP) account and password.") if enabled("ldap") else "",
    }
