from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Inbox, e-mail, WeCom/DingTalk robots and SMS. The top layer: it listens to the other apps, which never
    import it."""

    name = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .sources import connect_all

        connect_all()
