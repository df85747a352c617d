from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes and hands-on tasks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from lms.models import Membership

        # The hands-on tasks' admin lives in its own subpackage; Wagtail only auto-loads <app>.wagtail_hooks.
        from .practical import wagtail_hooks  # noqa: F401
        from .practical.practice import membership_changed

        # Infrastructure: a trainee's practice area is granted to their team's supervisors; when the trainee
        # moves team (through any path that saves the membership), the grant moves too.
        for signal in (post_save, post_delete):
            signal.connect(membership_changed, sender=Membership, dispatch_uid=f"quizzes_area_supervision_{signal is post_save}")

        # Cache purge: the question content cached per quiz version (quizzes/content.py).
        from . import content
        from .models import Choice, Question, QuestionCategory, Quiz, QuizSlot

        for signal in (post_save, post_delete):
            name = "save" if signal is post_save else "delete"
            for model in (Question, Choice, QuestionCategory):
                signal.connect(content.on_bank_change, sender=model, dispatch_uid=f"quizzes_content_{model.__name__}_{name}")
            signal.connect(content.on_slot_change, sender=QuizSlot, dispatch_uid=f"quizzes_content_slot_{name}")
        post_save.connect(content.on_quiz_saved, sender=Quiz, dispatch_uid="quizzes_content_quiz_save")
