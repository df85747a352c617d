from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig

# Django's multipart parser reads at most 1 KiB of headers per form part and refuses the whole request past
# that ("Request max total header size exceeded"). A file name of 300 Chinese characters (3 bytes each in UTF-8)
# already goes over, so an ordinary long document name failed the upload. 16 KiB still bounds what one part's
# headers may cost; names are shortened before they are stored (Django keeps 255 characters, we keep 200).
MULTIPART_PART_HEADER_MAX_BYTES = 16 * 1024


class LmsConfig(AppConfig):
    # Two configs live in this module: without `default`, Django would use a bare AppConfig for "lms".
    default = True
    name = "lms"
    verbose_name = _("People and county teams")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.http import multipartparser

        # The limit is a module constant read on every parse; Django offers no setting for it.
        multipartparser.MAX_TOTAL_HEADER_SIZE = max(multipartparser.MAX_TOTAL_HEADER_SIZE, MULTIPART_PART_HEADER_MAX_BYTES)

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

        from wagtail.models import Site

        from .routing import forget_sites

        # The sites are cached for routing (lms/routing.py): a saved or deleted site clears them.
        for signal in (post_save, post_delete):
            signal.connect(forget_sites, sender=Site, dispatch_uid=f"lms_sites_{signal is post_save}")


class UsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with our user fields (full name, phone, employee number)."""

    user_viewset = "lms.admin_users.UserViewSet"
