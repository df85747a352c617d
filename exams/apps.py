from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = _("Exam sittings")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from certificates.qualification.extra_columns import register_column
        from quizzes.review import register_review_gate
        from quizzes.start_rules import register_start_rule

        from . import qualification, review, start_rule
        from .models import ExamSitting

        register_review_gate(review.sitting_review_rule)
        register_start_rule(start_rule.refuse_free_start)
        post_save.connect(start_rule.forget, sender=ExamSitting, dispatch_uid="exams_forget_quizzes_with_sittings")
        post_delete.connect(start_rule.forget, sender=ExamSitting, dispatch_uid="exams_forget_quizzes_with_sittings_delete")
        register_column(qualification.COLUMN)
        post_migrate.connect(grant_sitting_permissions, sender=self, dispatch_uid="exams_grant_sitting_permissions")


def grant_sitting_permissions(sender, **kwargs):
    """Trainers and the bureau schedule sittings in the Wagtail admin (which teams: exams.permissions)."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    from lms.models import Role
    from lms.services import ROLE_GROUPS

    create_permissions(**{**kwargs, "verbosity": 0})
    using = kwargs.get("using", "default")
    wanted = Permission.objects.using(using).filter(
        content_type__app_label="exams", codename__in=["add_examsitting", "change_examsitting", "view_examsitting"]
    )
    for role in (Role.TRAINER, Role.BUREAU_ADMIN):
        group, _created = Group.objects.using(using).get_or_create(name=ROLE_GROUPS[role])
        group.permissions.add(*wanted)
