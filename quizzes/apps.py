from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes and hands-on tasks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The hands-on tasks' admin lives in its own subpackage; Wagtail only auto-loads <app>.wagtail_hooks.
        from .practical import wagtail_hooks  # noqa: F401
