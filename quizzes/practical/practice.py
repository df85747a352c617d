"""Practice areas: each trainee's own subtree of the Wagtail site, editable by them alone (and the trainers
who supervise their team).

Wagtail grants page permissions to groups, so every trainee gets a group of their own holding the
rights on their area page (and so on everything below it) and on an image collection of their own.
The supervisor group of the trainee's team (lms.services.supervisor_group_name, whose members lms keeps
equal to the team's active trainers) holds a trainer's rights on the area; when the trainee moves team,
the area's grant moves with them. Admin access itself comes with the trainee role's group
(see lms.services.ROLE_GROUPS).
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from lms.models import HomePage, Role, User
from lms.selectors import team_of
from lms.services import ROLE_GROUPS, SUPERVISOR_GROUP_PREFIX, supervisor_group_name
from quizzes.models import NewsPage, PracticeAreaPage, PracticeIndexPage, PracticeSectionPage

from .specs import SiteNeeds, practice_site_needs

AREA_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "delete_page", "lock_page", "unlock_page"]
TRAINER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
AREA_IMAGE_PERMISSIONS = ["add_image", "change_image", "choose_image"]
DEFAULT_SECTIONS = [("通知公告", "notices"), ("工作动态", "news"), ("招商引资", "investment")]
PROVIDED_BODY = "<p>本条信息由系统按实操任务的要求放入你的练习站点，供你练习移动、下线等操作。</p>"


class PracticeSiteMissing(Exception):
    """The academy's home page does not exist yet (run manage.py setup_academy)."""


def area_group_name(user: User) -> str:
    return f"练习园地·{user.username}"[:150]


@transaction.atomic
def ensure_practice_index() -> PracticeIndexPage:
    """The 练习园地 page under the home page, and admin access for the trainee role's group."""
    index = PracticeIndexPage.objects.first()
    if index is None:
        home = HomePage.objects.first()
        if home is None:
            raise PracticeSiteMissing
        index = home.add_child(instance=PracticeIndexPage(
            title="练习园地", slug="practice",
            intro="每位学员在这里有一个自己的练习站点：在后台新建专题页、发布新闻、移动和下线页面，系统会自动检查你的操作。",
        ))
        index.save_revision().publish()
    trainees, _created = Group.objects.get_or_create(name=ROLE_GROUPS[Role.TRAINEE])
    trainees.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    # Trainers look after the areas of the teams they supervise (per area, see grant_area_supervision),
    # not the whole practice site: a grant on the index (as earlier versions made) would reach every team.
    trainers, _created = Group.objects.get_or_create(name=ROLE_GROUPS[Role.TRAINER])
    GroupPagePermission.objects.filter(group=trainers, page=index).delete()
    # Trainers and the bureau author hands-on tasks in the admin (the snippet “实操任务”).
    bureau, _created = Group.objects.get_or_create(name=ROLE_GROUPS[Role.BUREAU_ADMIN])
    for group, actions in ((trainers, ["add", "change", "view"]), (bureau, ["add", "change", "delete", "view"])):
        group.permissions.add(*Permission.objects.filter(
            content_type__app_label="quizzes", codename__in=[f"{action}_practicaltask" for action in actions]
        ))
    return index


@transaction.atomic
def ensure_practice_area(*, user: User) -> PracticeAreaPage:
    """The trainee's practice area with a few sections, their own group and image collection. Idempotent."""
    # One area per trainee: the user row lock serialises two enrolments arriving at once.
    User.objects.select_for_update().filter(pk=user.pk).first()
    area = PracticeAreaPage.objects.filter(owner_user=user).first()
    if area is None:
        index = ensure_practice_index()
        area = index.add_child(instance=PracticeAreaPage(
            title=f"{user.get_full_name()}的练习站点", slug=f"u{user.pk}", owner_user=user, owner=user,
            intro="这是你的练习站点，只有你和培训讲师可以编辑。",
        ))
        area.save_revision(user=user).publish()
        for title, slug in DEFAULT_SECTIONS:
            section = area.add_child(instance=PracticeSectionPage(title=title, slug=slug, owner=user))
            section.save_revision(user=user).publish()
    _grant_area(user=user, area=area)
    grant_area_supervision(area=area)
    return area


def grant_area_supervision(*, area: PracticeAreaPage) -> None:
    """Give the supervisor group of the area owner's team a trainer's rights on the area (help, never delete),
    and take them from any other team's group (the trainee moved). Idempotent."""
    team = team_of(area.owner_user) if area.owner_user_id else None
    keep = None
    if team is not None:
        keep, _created = Group.objects.get_or_create(name=supervisor_group_name(team))
        for codename in TRAINER_PAGE_PERMISSIONS:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=keep, page=area, permission=permission)
    stale = GroupPagePermission.objects.filter(page=area, group__name__startswith=SUPERVISOR_GROUP_PREFIX)
    (stale.exclude(group=keep) if keep is not None else stale).delete()


def sync_practice_supervision() -> int:
    """Re-derive every area's supervisor grant (after an upgrade, or a bulk change made without the services)."""
    ensure_practice_index()
    areas = list(PracticeAreaPage.objects.select_related("owner_user"))
    for area in areas:
        grant_area_supervision(area=area)
    return len(areas)


@transaction.atomic
def provision_practice_site(*, user: User, tasks) -> PracticeAreaPage:
    """The trainee's practice area holding everything `tasks` refer to (see specs.practice_site_needs):
    the sections they name and, live, the pages they ask to move or take offline.

    Idempotent and additive: a section is looked up by title, a page counts as there when any page of
    the area (live or not, wherever it now is) has the expected words in its title, so what the trainee
    already did (moved, unpublished, renamed elsewhere, added) is never undone or duplicated. A page the
    trainee deleted is given again: the task cannot be done without it.
    """
    area = ensure_practice_area(user=user)  # locks the user row: two provisioners for one trainee queue here
    needs = SiteNeeds()
    for task in tasks:
        needs.add(practice_site_needs(task.kind, task.spec))
    if not needs.sections and not needs.pages:
        return area
    sections = {page.title: page for page in PracticeSectionPage.objects.child_of(area).order_by("path")}
    for title in needs.sections:
        if title not in sections:
            sections[title] = _publish(area, PracticeSectionPage(title=title, owner=user))
    titles = list(Page.objects.descendant_of(area).values_list("title", flat=True))
    for need in needs.pages:
        if any(need.title_contains in title for title in titles):
            continue
        parent = sections.get(need.section) if need.section else next(
            (page for title, page in sections.items() if title != need.not_in), None
        )
        if parent is None:  # the only section is where the page must go: it has to start somewhere else
            fallback = next(title for title, _slug in DEFAULT_SECTIONS if title != need.not_in)
            parent = sections[fallback] = _publish(area, PracticeSectionPage(title=fallback, owner=user))
        _publish(parent, NewsPage(title=need.title, date=timezone.localdate(), body=PROVIDED_BODY, owner=user))
        titles.append(need.title)
    return area


def _publish(parent: Page, page: Page) -> Page:
    # No user on the revision: the page history shows the system provided it, not the trainee.
    parent.add_child(instance=page)  # the slug is pinyin of the title (see slugs.PinyinSlugMixin)
    page.save_revision().publish()
    return page


def _grant_area(*, user: User, area: Page) -> None:
    group, _created = Group.objects.get_or_create(name=area_group_name(user))
    for codename in AREA_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=area, permission=permission)
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=group.name).first() or root.add_child(name=group.name)
    for codename in AREA_IMAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailimages", codename=codename)
        GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)
    user.groups.add(group)


def practice_area_of(user: User) -> PracticeAreaPage | None:
    return PracticeAreaPage.objects.filter(owner_user=user).first()


def membership_changed(sender, instance, **kwargs) -> None:
    """A trainee's membership was saved or deleted: their area follows them to their (new) team's supervisors."""
    if instance.role != Role.TRAINEE:
        return
    area = PracticeAreaPage.objects.filter(owner_user_id=instance.user_id).first()
    if area is not None:
        grant_area_supervision(area=area)
