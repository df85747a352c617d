from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig

# Django's multipart parser reads at most 1 KiB of headers per form part and refuses the whole request past
# that ("Request max total header size exceeded"). A file name of 300 Chinese characters (3 bytes each in UTF-8)
# already goes over, so an ordinary long document name failed the upload. 16 KiB still bounds what one part's
# headers may cost; names are shortened before they are stored (Django keeps 255 characters, we keep 200).
MULTIPART_PART_HEADER_MAX_BYTES = 16 * 1024


class LmsConfig(AppConfig):
    default = True  # apps.py also holds the Wagtail users config, so Django must be told which one is the app
    name = "lms"
    verbose_name = _("People and county teams")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.http import multipartparser

        # The limit is a module constant read on every parse; Django offers no setting for it.
        multipartparser.MAX_TOTAL_HEADER_SIZE = max(multipartparser.MAX_TOTAL_HEADER_SIZE, MULTIPART_PART_HEADER_MAX_BYTES)


class UsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with our user fields (full name, phone, employee number)."""

    user_viewset = "lms.admin_users.UserViewSet"
