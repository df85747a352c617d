from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class InspectionConfig(AppConfig):
    name = "inspection"
    verbose_name = _("Site inspection")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save

        from .models import InspectionSettings
        from .overview_columns import forget_ranking_weight, register

        register()
        post_save.connect(forget_ranking_weight, sender=InspectionSettings, dispatch_uid="inspection_forget_ranking_weight")
        post_migrate.connect(grant_bureau_permissions, sender=self, dispatch_uid="inspection_grant_bureau_permissions")


def grant_bureau_permissions(sender, **kwargs):
    """The bureau admins' group manages sites, columns, the expression list and weights in the Wagtail admin."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    from lms.models import Role
    from lms.services import ROLE_GROUPS

    create_permissions(**{**kwargs, "verbosity": 0})
    using = kwargs.get("using", "default")
    group, _created = Group.objects.using(using).get_or_create(name=ROLE_GROUPS[Role.BUREAU_ADMIN])
    group.permissions.add(*Permission.objects.using(using).filter(content_type__app_label="inspection"))
