from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class LmsConfig(AppConfig):
    # Two configs live in this module: without `default`, Django would use a bare AppConfig for "lms".
    default = True
    name = "lms"
    verbose_name = _("People and county teams")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import signals
        from .admin_people import scope_people_filters
        from .models import Membership, TrainerSupervision

        # Infrastructure only: Wagtail's groups mirror our role and supervision rows, whichever way those
        # change (services, the admin's model forms, a shell); the domain flow never hangs on these.
        for model, receiver in ((Membership, signals.membership_changed), (TrainerSupervision, signals.supervision_changed)):
            for signal in (post_save, post_delete):
                signal.connect(receiver, sender=model, dispatch_uid=f"lms_groups_{model.__name__}_{signal is post_save}")
        scope_people_filters()


class UsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with our user fields (full name, phone, employee number)."""

    user_viewset = "lms.admin_users.UserViewSet"
