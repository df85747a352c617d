from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from courses.completion import register_award_provider, register_completion_listener
        from lms import progress

        from . import checks, renewal, selectors, services  # noqa: F401  (checks registers itself)

        register_completion_listener(services.completion_listener)
        register_award_provider(selectors.my_awards)
        progress.register(renewal.progress_listener)
        renewal.register_renewal_resolver(renewal.programmes_renewed_by_quiz)
        post_migrate.connect(grant_programme_permissions, sender=self, dispatch_uid="certificates_grant_programme_permissions")


def grant_programme_permissions(sender, **kwargs):
    """The bureau admins' group authors programmes in the Wagtail admin (permissions exist only after migrate)."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    from lms.models import Role
    from lms.services import ROLE_GROUPS

    # auth creates permissions in its own post_migrate receiver, which runs after ours (apps are
    # readied in INSTALLED_APPS order); creating them here first is idempotent.
    create_permissions(**{**kwargs, "verbosity": 0})
    using = kwargs.get("using", "default")
    group, _created = Group.objects.using(using).get_or_create(name=ROLE_GROUPS[Role.BUREAU_ADMIN])
    group.permissions.add(
        *Permission.objects.using(using).filter(content_type__app_label="certificates", codename__endswith="_programme")
    )
