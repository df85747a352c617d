"""Django's ModelBackend, loading the signed-in user together with their roles (one query per request)."""

from django.contrib.auth.backends import ModelBackend

from .models import User
from .permissions import remember_annotated_roles, with_roles


class RolesModelBackend(ModelBackend):
    """Every request reads the user from the session's user id; the roles come in the same query, so the
    menu, the pages and the API asking `lms.permissions` about roles cost no further query."""

    def get_user(self, user_id):
        user = with_roles(User._default_manager.filter(pk=user_id)).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        return remember_annotated_roles(user)
