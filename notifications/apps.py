from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Inbox, e-mail, WeCom/DingTalk robots and SMS. The top layer: it listens to the other apps, which never
    import it."""

    name = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .selectors import warm_unread_count
        from .sources import connect_all

        connect_all()
        # The bell's count is read at sign-in, so pages never pay for it (cache infrastructure, not domain flow).
        user_logged_in.connect(warm_unread_count, dispatch_uid="notifications.warm_unread_count")
