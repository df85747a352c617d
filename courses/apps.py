from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lms import progress

        from . import completion, services, task_requirements
        from .quiz_requirements import quiz_requirements

        progress.register(services.refresh_user_completions)
        completion.register_requirement_provider(quiz_requirements)
        completion.register_requirement_provider(task_requirements.task_requirements)
