"""Django's ModelBackend and DRF's token authentication, loading the signed-in user together with their
roles in one query per request, whose SQL is compiled once per process.

Every request reads its user, so the ORM's work to build that one query (a filter and an EXISTS per role)
was paid on every page and every API call: ~1.5 ms of CPU, a sixth of an exam start. The query is the
same each time but for the id or the token, so it is compiled on first use and then run as raw SQL
with that one parameter swapped in (`lms/compiled_query.py`).
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from .compiled_query import CompiledQuery
from .models import User
from .permissions import remember_annotated_roles, with_roles


def _user_by(lookup: str, sentinel) -> CompiledQuery:
    """`with_roles(User.objects.filter(<lookup>=value))`, compiled once per database alias."""
    return CompiledQuery(User, lambda value: with_roles(User._default_manager.filter(**{lookup: value})), scalars={"value": sentinel})


def _one_user(query: CompiledQuery, value) -> User | None:
    found = query.objects(value=value)
    return remember_annotated_roles(found[0]) if found else None


_BY_ID = _user_by("pk", -20_260_101)  # an id no user has
_BY_TOKEN = _user_by("auth_token__key", "\x00token-sentinel\x00")


class RolesModelBackend(ModelBackend):
    """Every request reads the user from the session's user id; the roles come in the same query, so the
    menu, the pages and the API asking `lms.permissions` about roles cost no further query."""

    def get_user(self, user_id):
        try:
            user_id = User._meta.pk.to_python(user_id)
        except (ValidationError, TypeError, ValueError):  # a tampered or foreign session: nobody is signed in
            return None
        low, high = connections[router.db_for_read(User)].ops.integer_field_range(User._meta.pk.get_internal_type())
        if user_id is None or not (low or -(2**63)) <= user_id <= (high or 2**63 - 1):
            return None
        user = _one_user(_BY_ID, user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        return user


class RolesTokenAuthentication(TokenAuthentication):
    """DRF's `Authorization: Token …`, reading the user and their roles in one query (DRF's own reads the
    token with its user, then the roles cost a second query). `request.auth` is the token (not re-read:
    built from the key that matched, as DRF's own would be)."""

    def authenticate_credentials(self, key):
        # Longer than the column or holding NUL (which PostgreSQL refuses to compare): no token is that.
        user = _one_user(_BY_TOKEN, key) if len(key) <= Token._meta.get_field("key").max_length and "\x00" not in key else None
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, Token(key=key, user=user)
