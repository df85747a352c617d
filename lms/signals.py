"""Keep Wagtail's admin groups in step with roles and supervision (connected in apps.py).

Admin rights are Wagtail group rights; our truth is Membership and TrainerSupervision. These receivers
re-derive a person's groups whenever one of their rows changes, so no path (the admin's model forms, a
queryset delete, a shell) can leave a trainer with rights on a team they no longer supervise.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from .services import SUPERVISOR_GROUP_PREFIX, sync_role_groups, sync_supervisor_groups


def membership_changed(sender, instance, **kwargs) -> None:
    user = get_user_model().objects.filter(pk=instance.user_id).first()
    if user is not None:
        sync_role_groups(user)


def supervision_changed(sender, instance, **kwargs) -> None:
    # An edited row may have changed its trainer: re-derive everyone who holds a supervisor group, too.
    people = get_user_model().objects.filter(
        Q(pk=instance.trainer_id) | Q(groups__name__startswith=SUPERVISOR_GROUP_PREFIX)
    ).distinct()
    for user in people:
        sync_supervisor_groups(user)
