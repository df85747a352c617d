"""Writes: linking an identity to its roster person, group-to-role mapping, and the audit trail of SSO sign-ins."""

from __future__ import annotations

from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext as _

from lms.models import User
from lms.services import assign_role, record_audit

from .models import GroupRoleMapping
from .selectors import roster_person


class SignInRefused(Exception):
    """An identity the provider vouched for that may not sign in here; `message` is for the person."""

    def __init__(self, reason: str, message: str):
        super().__init__(reason)
        self.reason = reason
        self.message = message


def refusal_message(reason: str) -> str:
    messages = {
        "unmatched": _("You are not on the training roster. Please contact the municipal commerce bureau."),
        "inactive": _("Your account has been deactivated (you are not on the latest training roster). Please contact the municipal commerce bureau."),
        "no_identifier": _("The identity platform did not give your mobile number or employee number, so you cannot be matched to the training roster. Please contact the municipal commerce bureau."),
        "unavailable": _("The unified identity platform cannot be reached right now. Try again later, or log in with your username and password on the login page."),
    }
    return messages.get(reason, _("Single sign-on did not complete. Please log in again."))


def person_for_identity(*, method: str, field: str, value, identity: str) -> User:
    """The active roster person this identity belongs to, or SignInRefused (audited). Creates nothing."""
    if value in (None, "", []):
        record_failure(method=method, identity=identity, reason="no_identifier")
        raise SignInRefused("no_identifier", refusal_message("no_identifier"))
    user = roster_person(field, value)
    if user is None:
        record_failure(method=method, identity=identity, reason="unmatched", detail={field: str(value)[:64]})
        raise SignInRefused("unmatched", refusal_message("unmatched"))
    if not user.is_active:
        record_failure(method=method, identity=identity, reason="inactive", user=user)
        raise SignInRefused("inactive", refusal_message("inactive"))
    return user


def record_failure(*, method: str, identity: str, reason: str, user: User | None = None, detail: dict | None = None) -> None:
    record_audit(
        actor=None,
        action="sso.login_failed",
        obj=user,
        after={"method": method, "identity": identity[:150], "reason": reason, **(detail or {})},
    )


def refuse_before_authentication(request, *, method: str, identity: str, reason: str, detail: str = "") -> None:
    """A failure before any backend ran (bad state, a token that does not verify, …): audit it, and tell django-axes through the same signal a wrong password sends, so it throttles."""
    record_failure(method=method, identity=identity, reason=reason, detail={"detail": detail[:300]} if detail else None)
    user_login_failed.send(sender=__name__, credentials={"username": f"{method}:{identity}"[:150]}, request=request)


def record_sign_in(*, user: User, method: str) -> None:
    record_audit(actor=user, action="sso.login", obj=user, after={"method": method})


def apply_group_mapping(*, user: User, method: str, groups) -> list[GroupRoleMapping]:
    """Give `user` the roles the bureau mapped to the provider groups they are in. Without mapping rows
    for `method` nothing changes: roles and teams then come from the roster only. Each new role is audited
    by assign_role."""
    names = {str(g).strip().lower() for g in (groups if isinstance(groups, (list, tuple, set, frozenset)) else [groups]) if g}
    if not names:
        return []
    rows = [row for row in GroupRoleMapping.objects.filter(method=method).select_related("team") if row.group.strip().lower() in names]
    for row in rows:
        assign_role(user=user, role=row.role, team=row.team, actor=None)
    return rows


# --- CAS single logout. django_cas_ng's models are imported here, not at the top: its app is installed only when CAS is on.


def remember_cas_ticket(*, session_key: str, ticket: str) -> None:
    """Which session this service ticket opened, so that the CAS server's logout request can end it."""
    from django_cas_ng.models import SessionTicket

    SessionTicket.objects.update_or_create(session_key=session_key, defaults={"ticket": ticket})


def forget_cas_ticket(*, session_key: str | None) -> None:
    from django_cas_ng.models import SessionTicket

    if session_key:
        SessionTicket.objects.filter(session_key=session_key).delete()


def end_sessions_for_logout_request(request, client) -> None:
    """The CAS server's single logout (a SAML LogoutRequest POSTed to the service URL naming the ticket):
    django-cas-ng deletes the session that ticket opened. A request naming no known ticket ends nothing."""
    from django_cas_ng.views import clean_sessions

    clean_sessions(client, request)
