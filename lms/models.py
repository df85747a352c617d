"""People, county teams, roles and the audit log: the core every other app builds on."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from .fields import SafeRichTextField
from .names import validate_person_name


class User(AbstractUser):
    """A person who signs in: a county webmaster, a trainer, a team lead or bureau staff."""

    # Names travel into file names (certificate ZIPs): the validator refuses path characters wherever a form edits one.
    full_name = models.CharField(
        _("full name"), max_length=100, blank=True, help_text=_("As on an ID card, e.g. 张伟"), validators=[validate_person_name]
    )
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    employee_no = models.CharField(_("employee number"), max_length=32, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=~models.Q(phone=""), name="lms_user_phone_unique"
            ),
            models.UniqueConstraint(
                fields=["employee_no"], condition=~models.Q(employee_no=""), name="lms_user_employee_no_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username


class CountyTeam(models.Model):
    """A county-level commerce bureau's web team (区县商务局), e.g. 汉寿县."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=32, unique=True, help_text=_("Short code used in URLs and exports, e.g. hanshou"))
    region = models.CharField(_("region"), max_length=100, blank=True, help_text=_("Prefecture, e.g. 常德市"))
    parent_bureau = models.CharField(_("parent bureau"), max_length=100, blank=True, default="常德市商务局")
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("county team")
        verbose_name_plural = _("county teams")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    TRAINEE = "trainee", _("Trainee")
    TRAINER = "trainer", _("Trainer")
    TEAM_LEAD = "team_lead", _("Team lead")
    BUREAU_ADMIN = "bureau_admin", _("Bureau admin")


class Membership(models.Model):
    """A person's role in a county team. A trainee belongs to one team; staff may hold several roles."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    team = models.ForeignKey(CountyTeam, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("county team"), null=True, blank=True, help_text=_("Leave empty for bureau-wide roles (trainer, bureau admin)."))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.TRAINEE)
    title = models.CharField(_("post"), max_length=100, blank=True, help_text=_("Job title, e.g. 网站管理员"))
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "team", "role"], name="lms_membership_unique"),
            # A trainee counts towards exactly one team's qualification figures.
            models.UniqueConstraint(fields=["user"], condition=models.Q(role="trainee"), name="lms_one_trainee_team"),
            models.CheckConstraint(
                condition=~models.Q(role__in=["trainee", "team_lead"]) | models.Q(team__isnull=False),
                name="lms_team_roles_need_team",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.team or _('bureau')}"


class TrainerSupervision(models.Model):
    """A trainer supervises (督导) a few county teams and reviews their hands-on work."""

    trainer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supervisions", verbose_name=_("trainer"))
    team = models.ForeignKey(CountyTeam, on_delete=models.CASCADE, related_name="supervisions", verbose_name=_("county team"))

    class Meta:
        verbose_name = _("trainer supervision")
        verbose_name_plural = _("trainer supervisions")
        constraints = [models.UniqueConstraint(fields=["trainer", "team"], name="lms_supervision_unique")]

    def __str__(self) -> str:
        return f"{self.trainer} → {self.team}"


class AuditEvent(models.Model):
    """An append-only record of a decision that matters later: grades, reviews, certificates, rosters."""

    # Wagtail indexes the references of every model its admin lists, once per save. An audit event
    # refers to a person and a team the admin never asks "where used" about, and one is written per graded
    # attempt: on exam day that was a reference-index job per submit.
    wagtail_reference_index_ignore = True

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("who"))
    action = models.CharField(_("action"), max_length=64, db_index=True, help_text=_("Dotted name, e.g. certificate.revoke"))
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    team = models.ForeignKey(CountyTeam, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("county team"))
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class OneQueryViewRestrictions:
    """Page view restrictions read in one query.

    Wagtail's `get_view_restrictions` reads the ancestors (to resolve aliases to their source pages), then their
    restrictions: two queries on every page view. The ancestors' paths are known from the page's own path, so
    one query with a subquery finds the restrictions of the page, its ancestors, or the pages they alias
    (Wagtail keeps `alias_of` pointing at a source page that is not itself an alias).
    """

    def get_view_restrictions(self):
        from django.db.models.functions import Coalesce
        from wagtail.models import PageViewRestriction

        step = self.steplen
        paths = [self.path[:end] for end in range(step, len(self.path) + 1, step)]
        pages = Page.objects.filter(path__in=paths).annotate(source=Coalesce("alias_of_id", "id")).values("source")
        return PageViewRestriction.objects.filter(page_id__in=pages)


class HomePage(OneQueryViewRestrictions, Page):
    """The academy's front page: what it is, and the way into the course catalogue."""

    intro = SafeRichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["courses.CourseIndexPage"]
    max_count = 1
    template = "lms/home_page.html"

    class Meta:
        verbose_name = _("home page")

    # Its route() only looks its descendants up by URL path; for itself it is Page.route (lms.routing).
    routes_by_url_path = True

    def route(self, request, path_components):
        """Find the requested page and its parent in one lookup by URL path (see lms.routing).

        Wagtail walks the tree one slug at a time, two queries per level (the child, then its specific
        type): seven queries for a lesson four levels down. Anything else, e.g. a 404, goes the usual way.
        """
        from .routing import route_by_url_path

        route = route_by_url_path(request, root_url_path=self.url_path, path_components=path_components, root=self)
        if route is not None:
            return route
        return super().route(request, path_components)
