"""Provider groups mapped to roster roles: only when the bureau configures rows here do an identity
provider's groups give anyone a role; otherwise roles and teams come from the roster alone."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.models import CountyTeam, Role


class Method(models.TextChoices):
    OIDC = "oidc", _("OIDC")
    CAS = "cas", _("CAS")
    LDAP = "ldap", _("LDAP")


class GroupRoleMapping(models.Model):
    """Members of `group` at the identity provider get `role` (in `team`) when they sign in with `method`."""

    method = models.CharField(_("sign-in method"), max_length=8, choices=Method.choices)
    group = models.CharField(
        _("provider group"),
        max_length=255,
        help_text=_("As the provider names it: a value of the OIDC groups claim or CAS groups attribute, or an LDAP group DN."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    team = models.ForeignKey(
        CountyTeam, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("county team"),
        help_text=_("Needed for trainees and team leads."),
    )

    class Meta:
        verbose_name = _("provider group mapping")
        verbose_name_plural = _("provider group mappings")
        ordering = ["method", "group"]
        constraints = [models.UniqueConstraint(fields=["method", "group", "role", "team"], name="sso_mapping_unique")]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.group} → {self.get_role_display()}{f' · {self.team}' if self.team else ''}"

    def clean(self) -> None:
        if self.role in (Role.TRAINEE, Role.TEAM_LEAD) and self.team_id is None:
            raise ValidationError({"team": _("Trainees and team leads belong to a county team: choose one.")})
