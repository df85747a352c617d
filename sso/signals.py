"""Audit every sign-in that went through one of our backends (OIDC, CAS, LDAP)."""

from django.apps import apps
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from .services import record_sign_in

METHOD_OF_BACKEND = {
    "sso.backends.OIDCBackend": "oidc",
    "sso.backends.CASBackend": "cas",
    "sso.backends.RosterLDAPBackend": "ldap",
}


@receiver(user_logged_in, dispatch_uid="sso.audit_sign_in")
def audit_sign_in(sender, request, user, **kwargs):
    method = METHOD_OF_BACKEND.get(getattr(user, "backend", ""))
    if method:
        record_sign_in(user=user, method=method)


@receiver(user_logged_out, dispatch_uid="sso.forget_cas_ticket")
def forget_cas_ticket(sender, request, user, **kwargs):
    """Signing out here ends the session a CAS ticket opened: single logout has nothing left to find."""
    if apps.is_installed("django_cas_ng") and request is not None:
        from .services import forget_cas_ticket as forget

        forget(session_key=request.session.session_key)


def _directory_unreachable(sender, context, user, request, exception, **kwargs):
    """django-auth-ldap swallows LDAP errors and the login fails as a wrong password would; say what
    really happened, and audit it. Local passwords were already tried and keep working."""
    import ldap

    from .services import record_failure

    if isinstance(exception, ldap.SERVER_DOWN | ldap.TIMEOUT):
        from django.utils.translation import gettext as _

        if request is not None:
            request.login_refusal = _("The directory (LDAP) cannot be reached right now. Try again later, or use a local password.")
        record_failure(method="ldap", identity=getattr(user, "username", "") or "?", reason="unavailable", detail={"detail": str(exception)[:300]})


try:
    from django_auth_ldap.backend import ldap_error
except ImportError:  # python-ldap missing: LDAP sign-in cannot be configured anyway
    pass
else:
    ldap_error.connect(_directory_unreachable, dispatch_uid="sso.ldap_unreachable")
