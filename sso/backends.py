"""Authentication backends: each turns a verified identity into its roster person, never a new user.

The OIDC backend is reached only through its callback view (their keyword arguments are
their own); the LDAP backend through the ordinary login forms, after Django's ModelBackend."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django_auth_ldap.backend import LDAPBackend

from .conf import enabled, setting
from .services import SignInRefused, apply_group_mapping, person_for_identity, record_failure


def _refused(request, refusal: SignInRefused) -> None:
    # The login page / callback view reads this to tell the person why (lms.forms.LoginForm does too).
    if request is not None:
        request.login_refusal = refusal.message


class OIDCBackend(ModelBackend):
    """Claims of an ID token the view has already verified (signature, issuer, audience, expiry, nonce)."""

    def authenticate(self, request, oidc_claims=None, **kwargs):
        if oidc_claims is None or not enabled("oidc"):
            return None
        field = setting("SSO_OIDC_MATCH_FIELD", "phone")
        identity = f"{oidc_claims.get('iss', '')}#{oidc_claims.get('sub', '')}"
        try:
            user = person_for_identity(
                method="oidc", field=field, value=oidc_claims.get(setting("SSO_OIDC_MATCH_CLAIM", "phone_number")), identity=identity
            )
        except SignInRefused as refusal:
            _refused(request, refusal)
            return None
        apply_group_mapping(user=user, method="oidc", groups=oidc_claims.get(setting("SSO_OIDC_GROUPS_CLAIM", "groups")) or [])
        return user


class RosterLDAPBackend(LDAPBackend):
    """Bind as the person with the password they typed (django-auth-ldap searches for their DN with the
    username escaped, so `*)(uid=*` finds nobody), then find them on the roster by a directory attribute."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not enabled("ldap") or not username or not password:
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            if not getattr(request, "login_refusal", None):
                record_failure(method="ldap", identity=username, reason="credentials")
            return None
        apply_group_mapping(user=user, method="ldap", groups=user.ldap_user.group_dns if setting("AUTH_LDAP_GROUP_SEARCH", None) else [])
        return user

    def get_or_build_user(self, username, ldap_user):
        attribute = setting("SSO_LDAP_MATCH_ATTRIBUTE", "employeeNumber")
        # Attribute names are case-insensitive in LDAP; python-ldap keeps the server's spelling.
        values = next((v for k, v in ldap_user.attrs.items() if k.lower() == attribute.lower()), [])
        try:
            user = person_for_identity(
                method="ldap", field=setting("SSO_LDAP_MATCH_FIELD", "employee_no"), value=values[:1] or None, identity=ldap_user.dn or username
            )
        except SignInRefused as refusal:
            _refused(ldap_user._request, refusal)
            raise ldap_user.AuthenticationFailed(refusal.reason)
        return user, False
