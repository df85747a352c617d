"""Authentication backends: each turns a verified identity into its roster person, never a new user.

The OIDC and CAS backends are reached only through their callback views (their keyword arguments are
their own); the LDAP backend through the ordinary login forms, after Django's ModelBackend."""

from __future__ import annotations

from django_auth_ldap.backend import LDAPBackend

from lms.auth_backends import RolesModelBackend

from .conf import enabled, setting
from .services import SignInRefused, apply_group_mapping, person_for_identity, record_failure


def _refused(request, refusal: SignInRefused) -> None:
    # The login page / callback view reads this to tell the person why (lms.forms.LoginForm does too).
    if request is not None:
        request.login_refusal = refusal.message


class VerifiedIdentityBackend(RolesModelBackend):
    """What a provider vouched for, already verified by our view (an OIDC ID token's claims, a CAS ticket's
    attributes): find the roster person by the configured claim/attribute, apply group mappings."""

    method = ""
    match_key = ("", "")  # (setting naming the claim/attribute that holds the roster key, its default)
    match_field = ("", "")  # (setting naming the roster field it is compared with, its default)
    groups_key = ("", "")

    def authenticate(self, request, sso_method=None, sso_identity="", sso_attributes=None, **kwargs):
        if sso_method != self.method or sso_attributes is None or not enabled(self.method):
            return None
        try:
            user = person_for_identity(
                method=self.method, field=setting(*self.match_field), value=sso_attributes.get(setting(*self.match_key)), identity=sso_identity
            )
        except SignInRefused as refusal:
            _refused(request, refusal)
            return None
        apply_group_mapping(user=user, method=self.method, groups=sso_attributes.get(setting(*self.groups_key)) or [])
        return user


class OIDCBackend(VerifiedIdentityBackend):
    """Claims of an ID token the view has verified (signature, issuer, audience, expiry, nonce)."""

    method = "oidc"
    match_key = ("SSO_OIDC_MATCH_CLAIM", "phone_number")
    match_field = ("SSO_OIDC_MATCH_FIELD", "phone")
    groups_key = ("SSO_OIDC_GROUPS_CLAIM", "groups")


class CASBackend(VerifiedIdentityBackend):
    """Attributes of a service ticket the CAS server has just validated for this academy's service URL."""

    method = "cas"
    match_key = ("SSO_CAS_MATCH_ATTRIBUTE", "employeeNumber")
    match_field = ("SSO_CAS_MATCH_FIELD", "employee_no")
    groups_key = ("SSO_CAS_GROUPS_ATTRIBUTE", "groups")


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
