"""The sign-in methods the login pages offer (lms/templates/lms/login.html and the admin's login page)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .conf import enabled, setting


def sign_in_methods(request):
    both = enabled("oidc") and enabled("cas")
    buttons = []
    if enabled("oidc"):
        default = _("Sign in with unified identity (OIDC)") if both else _("Sign in with unified identity")
        buttons.append({"key": "oidc", "label": setting("SSO_OIDC_LABEL") or default, "url": reverse("sso:oidc_login")})
    if enabled("cas"):
        # With both on and no labels configured, the protocol tells the two buttons apart.
        default = _("Sign in with unified identity (CAS)") if both else _("Sign in with unified identity")
        buttons.append({"key": "cas", "label": setting("SSO_CAS_LABEL") or default, "url": reverse("sso:cas_login")})
    return {
        "sign_in_buttons": buttons,
        "sign_in_directory_note": _("You may also use your directory (LDAP) account and password.") if enabled("ldap") else "",
    }
